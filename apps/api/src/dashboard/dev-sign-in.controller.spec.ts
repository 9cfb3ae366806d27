import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ForbiddenException, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import { decodeJwt } from 'jose';
import { loadConfig } from '@ppl/config';
import { DevSignInController, isLoopback } from './dev-sign-in.controller';

const from = (remoteAddress: string | undefined) => ({ socket: { remoteAddress }, headers: { 'x-forwarded-for': '127.0.0.1' } }) as unknown as Request;

describe('development sign-in', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ppl-dev-sign-in-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('signs in a caller on this machine, over IPv4, IPv6 and IPv4-mapped IPv6', async () => {
    const controller = new DevSignInController(loadConfig({ DATA_DIR: dir }));
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const answer = await controller.signIn(from(address), { role: 'ADMIN' });
      expect(decodeJwt(answer.token)).toMatchObject({ sub: 'dev-admin', role: 'ADMIN' });
    }
    expect(controller.roles(from('127.0.0.1')).roles).toContain('BOARD');
  });

  it('refuses a caller from elsewhere on the network, whatever forwarded headers claim', async () => {
    const controller = new DevSignInController(loadConfig({ DATA_DIR: dir }));
    for (const address of ['192.168.1.20', '::ffff:10.0.0.7', 'fe80::1', undefined]) {
      await expect(controller.signIn(from(address), { role: 'ADMIN' })).rejects.toBeInstanceOf(ForbiddenException);
      expect(() => controller.roles(from(address))).toThrow(ForbiddenException);
    }
  });

  it('does not exist in production, not even for this machine', async () => {
    const controller = new DevSignInController(loadConfig({ DATA_DIR: dir, NODE_ENV: 'production' }));
    await expect(controller.signIn(from('127.0.0.1'), { role: 'ADMIN' })).rejects.toBeInstanceOf(NotFoundException);
  });

  it('knows loopback addresses from the others', () => {
    expect(['127.0.0.1', '127.8.9.10', '::1', '::ffff:127.0.0.1'].map(isLoopback)).toEqual([true, true, true, true]);
    expect(['128.0.0.1', '::2', '::ffff:192.168.0.1', '1127.0.0.1', ''].map(isLoopback)).toEqual([false, false, false, false, false]);
  });
});
