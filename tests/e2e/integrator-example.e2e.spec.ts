import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqliteEventStore } from '@ppl/event-store';
import { Ledger } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * The integrator's example client (examples/subscribe-events.js), run as README says: it follows
 * the feed, is killed with -9, and run again continues after its saved cursor; a token that is
 * refused makes it stop instead of retrying for ever.
 */
const EXAMPLE = resolve(__dirname, '../../examples/subscribe-events.js');

describe('the integrator example client', () => {
  let service: RunningService;
  let ledger: Ledger;
  const dataDir = tempDataDir();
  const work = mkdtempSync(join(tmpdir(), 'ppl-example-'));
  const cursorFile = join(work, 'cursor.txt');
  let organisations = 0;

  beforeAll(async () => {
    service = await startService({ dataDir });
    ledger = new Ledger(await service.client('MANAGER'));
  });
  afterAll(async () => {
    await service.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  const record = async (count: number): Promise<void> => {
    for (let i = 0; i < count; i++) await ledger.run('registerOrganization', { name: `Partner ${++organisations}`, kind: 'NON_PROFIT', isHome: false, departments: [] });
  };
  const storeLines = async (): Promise<string[]> => {
    const store = new SqliteEventStore({ path: join(dataDir, 'events.sqlite'), durability: 'normal' });
    try {
      return (await store.readAll({ maxCount: 10_000 })).map((e) => `${e.streamId}@${e.revision} ${e.type}`);
    } finally {
      await store.close();
    }
  };
  const run = (token: string): { child: ChildProcess; lines: string[]; errors: string[]; exited: Promise<number | null> } => {
    const child = spawn(process.execPath, [EXAMPLE, service.graphqlUrl.replace(/^http/, 'ws'), cursorFile], {
      env: { ...process.env, LEDGER_TOKEN: token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    const errors: string[] = [];
    child.stdout?.on('data', (d: Buffer) => lines.push(...d.toString().split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(' ') + 1))));
    child.stderr?.on('data', (d: Buffer) => errors.push(d.toString()));
    return { child, lines, errors, exited: new Promise((ok) => child.once('exit', (code) => ok(code))) };
  };
  const until = async (done: () => boolean): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('follows the feed, and after kill -9 continues after its saved cursor: every event once, in order', async () => {
    await record(5);
    const token = await service.token('INTEGRATOR', 'warehouse');
    const first = run(token);
    await until(() => first.lines.length === 5 && existsSync(cursorFile));
    await record(3);
    await until(() => first.lines.length === 8);
    first.child.kill('SIGKILL');
    await first.exited;
    await record(4);
    const second = run(token);
    await until(() => second.lines.length >= 4);
    second.child.kill('SIGTERM');
    await second.exited;
    expect([...first.lines, ...second.lines]).toEqual(await storeLines());
  }, 60_000);

  it('stops (exit 2) when its token is refused, instead of retrying', async () => {
    const refused = run('not-a-token');
    expect(await refused.exited).toBe(2);
    expect(refused.errors.join('')).toContain('4401');
  }, 30_000);
});
