import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Role, ensureEmbeddedKeys, issueToken } from '@ppl/auth';
import { GraphQLClient } from './graphql-client';

/** The service started as `npm start` starts it: the compiled entry point, in its own process. */
export interface RunningService {
  readonly url: string;
  readonly graphqlUrl: string;
  readonly dataDir: string;
  readonly port: number;
  logs(): string;
  /**
   * A bearer token for this service, signed with the embedded key in its DATA_DIR (what
   * `npm run token` prints). `sub` defaults to `<role>-test`.
   */
  token(role: Role, sub?: string, options?: { org?: string; ttl?: string }): Promise<string>;
  /** A GraphQL client sending `Authorization: Bearer <token(role, sub)>`. */
  client(role: Role, sub?: string): Promise<GraphQLClient>;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: no chance to flush anything. */
  kill(): Promise<void>;
}

const ROOT = resolve(__dirname, '../../..');
const ENTRY = join(ROOT, 'dist/apps/api/src/main.js');

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}

export function tempDataDir(prefix = 'ppl-e2e-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function startService(
  /** `until`: started when `/health/ready` answers 200 (default) or only `/health/live`. */
  options: { dataDir?: string; env?: Record<string, string>; port?: number; until?: 'ready' | 'live' } = {},
): Promise<RunningService> {
  if (!existsSync(ENTRY)) {
    throw new Error(`${ENTRY} is missing: run \`npm run build\` first (npm test does it).`);
  }
  const dataDir = options.dataDir ?? tempDataDir();
  const port = options.port ?? (await freePort());
  let output = '';
  const child: ChildProcess = spawn(process.execPath, [ENTRY], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      // Suites drive bursts from one subject: limits high unless a suite sets its own.
      RATE_LIMIT_REQUESTS: '100000',
      RATE_LIMIT_WINDOW_SECONDS: '1',
      WS_MAX_CONNECTIONS_PER_SUBJECT: '1000',
      WS_MAX_SUBSCRIPTIONS_PER_SUBJECT: '10000',
      // Suites count what they recorded: no review rounds of the service's own unless a suite asks.
      REVIEW_INTERVAL_SECONDS: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 50_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}:\n${output}`);
    try {
      const res = await fetch(`${url}/health/${options.until ?? 'ready'}`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`service not ready within 50 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const issuer = options.env?.AUTH_ISSUER ?? 'ppl-embedded';
  const audience = options.env?.AUTH_AUDIENCE ?? 'partnership-ledger';
  const token = async (role: Role, sub?: string, extra: { org?: string; ttl?: string } = {}) =>
    issueToken(await ensureEmbeddedKeys(dataDir), {
      sub: sub ?? `${role.toLowerCase()}-test`,
      role,
      issuer,
      audience,
      ttl: extra.ttl ?? '1h',
      ...(extra.org ? { organisationId: extra.org } : {}),
    });
  return {
    url,
    graphqlUrl: `${url}/graphql`,
    dataDir,
    port,
    logs: () => output,
    token,
    async client(role: Role, sub?: string) {
      return new GraphQLClient(`${url}/graphql`, { authorization: `Bearer ${await token(role, sub)}` });
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      const code = await exited;
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    async kill() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
