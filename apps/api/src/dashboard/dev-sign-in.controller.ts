import { BadRequestException, Body, Controller, ForbiddenException, Get, HttpCode, Inject, NotFoundException, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { APP_CONFIG, type AppConfig } from '@ppl/config';
import { ROLES, type EmbeddedKeys, type Role, ensureEmbeddedKeys, isRole, issueToken } from '@ppl/auth';

const TTL = '8h';

export interface DevSignIn {
  readonly token: string;
  readonly role: Role;
  readonly sub: string;
  /** What to send with every request (Authorization: Bearer <token>). */
  readonly headers: { readonly authorization: string };
  readonly expiresIn: string;
}

/**
 * One-click development sign-in for the board page: a token signed with the embedded key for any
 * role. Answers 404 when NODE_ENV is production, as if it did not exist, and 403 to any caller
 * not on this machine (the service listens on every interface by default: nobody else on the
 * network may mint an ADMIN token). The peer's own socket address decides, never a forwarded
 * header.
 */
@Controller('dev')
export class DevSignInController {
  private keys?: Promise<EmbeddedKeys>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get('sign-in')
  roles(@Req() req: Request): { roles: readonly Role[] } {
    this.refuse(req);
    return { roles: ROLES };
  }

  @Post('sign-in')
  @HttpCode(200)
  async signIn(@Req() req: Request, @Body() body: unknown): Promise<DevSignIn> {
    this.refuse(req);
    const role = typeof body === 'object' && body !== null ? (body as { role?: unknown }).role : undefined;
    if (!isRole(role)) throw new BadRequestException(`role must be one of ${ROLES.join(', ')}`);
    const sub = `dev-${role.toLowerCase()}`;
    this.keys ??= ensureEmbeddedKeys(this.config.dataDir);
    const token = await issueToken(await this.keys, {
      sub,
      role,
      issuer: this.config.AUTH_ISSUER,
      audience: this.config.AUTH_AUDIENCE,
      ttl: TTL,
    });
    return { token, role, sub, headers: { authorization: `Bearer ${token}` }, expiresIn: TTL };
  }

  private refuse(req: Request): void {
    if (this.config.NODE_ENV === 'production') throw new NotFoundException();
    if (!isLoopback(req.socket.remoteAddress)) {
      throw new ForbiddenException('The development sign-in answers only on this machine; elsewhere, get a token with `npm run token`');
    }
  }
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return v4.startsWith('127.') || address === '::1';
}
