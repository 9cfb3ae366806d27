import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ensureEmbeddedKeys, issueToken } from '@ppl/auth';
import { fmt, intArg, populate, rate, ratio } from './bench-support';

/**
 * Subscriptions through the running service (started as `npm start` does, SQLite store):
 * - latency from a mutation's acknowledgement (HTTP response received) to the event received by
 *   every subscriber, p50/p99, with 1, 100 and 1,000 live subscribers (one connection each) at a
 *   steady command rate; the load generator and all clients share this process and the 2 cores
 *   with the service, so the 1,000 figure includes the clients' own JSON parsing;
 * - events/s delivered to one subscriber catching up from position 0.
 * The event often reaches a subscriber before the mutation's HTTP response reaches the client, so
 * ack→received can be negative; request→received (mutation sent → event received) is also given.
 * `--baseline=<dir>` runs the same measurements first on the build in `<dir>/dist` (e.g. a copy of
 * dist/ built from an earlier commit) and prints ours/baseline ratios.
 */
export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const seconds = intArg(args, 'seconds', 4);
  const catchUpEvents = intArg(args, 'catchup', 50_000);
  // --rate1000=<n>: commands/s with 1,000 subscribers (each command is 1,000 deliveries).
  const rate1000 = intArg(args, 'rate1000', 20);
  // --baseline=<dir>: another build (its dist/) measured first, in the same run, for the ratios.
  const baselineRoot = args.find((a) => a.startsWith('--baseline='))?.slice('--baseline='.length);
  const variants: [string, string][] = [
    ...(baselineRoot ? [['baseline', join(resolve(baselineRoot), 'dist/apps/api/src/main.js')] as [string, string]] : []),
    ['ours', entryPoint()],
  ];
  const results: Record<string, Figures> = {};
  for (const [variant, entry] of variants) {
    console.log(`-- ${variant} (${entry})`);
    results[variant] = await measureAll(entry, seconds, catchUpEvents, rate1000);
  }
  const ours = results.ours;
  const baseline = results.baseline;
  if (baseline) {
    console.log(`catch-up events/s ours/baseline: ${ratio(ours.catchUpEventsPerSecond, baseline.catchUpEventsPerSecond)}`);
    for (const key of Object.keys(ours.latency)) {
      const a = ours.latency[key];
      const b = baseline.latency[key];
      console.log(
        `${key}: request→received p50 ${b.p50FromRequest} → ${a.p50FromRequest} ms, p99 ${b.p99FromRequest} → ${a.p99FromRequest} ms (ours/baseline p99 ${ratio(a.p99FromRequest, b.p99FromRequest)})`,
      );
    }
  }
  return { unit: 'ms / events/s', catchUpEvents, ...results };
}

interface Figures {
  catchUpEventsPerSecond: number;
  latency: Record<string, Awaited<ReturnType<typeof measureLatency>> & { commandsPerSecond: number }>;
}

async function measureAll(entry: string, seconds: number, catchUpEvents: number, rate1000: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'ppl-bench-subs-'));
  try {
    await populate(join(dir, 'events.sqlite'), catchUpEvents);
    const service = await start(dir, entry);
    try {
      const catchUp = await measureCatchUp(service, catchUpEvents);
      console.log(`catch-up from 0: ${fmt(catchUp)} (${catchUpEvents.toLocaleString('en-US')} events, one subscriber)`);
      const latency: Figures['latency'] = {};
      for (const [subscribers, commandsPerSecond] of [
        [1, 50],
        [100, 50],
        [1000, rate1000],
      ] as const) {
        const figures = await measureLatency(service, subscribers, commandsPerSecond, seconds);
        console.log(
          `${String(subscribers).padStart(4)} subscribers @ ${commandsPerSecond} commands/s: ack→received p50 ${figures.p50} ms p99 ${figures.p99} ms; request→received p50 ${figures.p50FromRequest} ms p99 ${figures.p99FromRequest} ms (${figures.samples} deliveries, ${figures.missing} missing)`,
        );
        latency[`subscribers_${subscribers}`] = { commandsPerSecond, ...figures };
      }
      return { catchUpEventsPerSecond: catchUp, latency };
    } finally {
      await service.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Service {
  httpUrl: string;
  wsUrl: string;
  /** Bearer tokens signed with the service's embedded key: a MANAGER for the mutations, an INTEGRATOR for the subscribers. */
  manager: string;
  integrator: string;
  stop(): Promise<void>;
}

function entryPoint(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'dist/apps/api/src/main.js');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('dist/apps/api/src/main.js not found: npm run build');
  }
}

async function start(dataDir: string, entry: string): Promise<Service> {
  const port = await new Promise<number>((ok) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => ok(typeof address === 'object' && address ? address.port : 0));
    });
  });
  const child: ChildProcess = spawn(process.execPath, [entry], {
    cwd: dirname(dirname(dirname(dirname(dirname(entry))))),
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      SQLITE_DURABILITY: 'normal',
      WS_MAX_CONNECTIONS: '2000',
      // All subscribers share one integrator token.
      WS_MAX_CONNECTIONS_PER_SUBJECT: '2000',
      WS_MAX_SUBSCRIPTIONS_PER_SUBJECT: '2000',
      WS_KEEPALIVE_SECONDS: '0',
      RATE_LIMIT_REQUESTS: '1000000000',
      // Projections would catch up on the same populated store and compete for the 2 cores.
      PROJECTIONS_IN_PROCESS: 'false',
      REVIEW_INTERVAL_SECONDS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  const httpUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${httpUrl}/health/ready`)).ok) break;
    } catch {
      // not yet listening
    }
    await sleep(100);
  }
  const keys = await ensureEmbeddedKeys(dataDir);
  const token = (role: 'MANAGER' | 'INTEGRATOR', sub: string) =>
    issueToken(keys, { sub, role, issuer: process.env.AUTH_ISSUER ?? 'ppl-embedded', audience: process.env.AUTH_AUDIENCE ?? 'partnership-ledger', ttl: '1h' });
  return {
    httpUrl,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    manager: await token('MANAGER', 'bench'),
    integrator: await token('INTEGRATOR', 'bench-integrator'),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Item {
  cursor: number;
}

function subscribe(service: Service, after: number | null, query: string, onItem: (item: Item) => void): Client {
  const client = createClient({
    url: service.wsUrl,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    lazy: false,
    connectionParams: { authorization: `Bearer ${service.integrator}` },
  });
  client.subscribe<{ events: Item }>(
    { query, variables: { after } },
    {
      next: (result) => {
        if (result.data) onItem(result.data.events);
      },
      error: (error) => console.error('subscription error', error),
      complete: () => undefined,
    },
  );
  return client;
}

async function measureCatchUp(service: Service, events: number): Promise<number> {
  let received = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((ok) => (done = ok));
  const started = performance.now();
  const client = subscribe(
    service,
    null,
    'subscription($after: SafeInt) { events(after: $after) { cursor event { id type streamId revision position recordedAt data } } }',
    () => {
      if (++received === events) done();
    },
  );
  await finished;
  const elapsed = (performance.now() - started) / 1000;
  await client.dispose();
  return rate(received, elapsed);
}

async function measureLatency(service: Service, subscribers: number, commandsPerSecond: number, seconds: number) {
  const head = await headPosition(service);
  const received = new Map<number, number[]>();
  const query = 'subscription($after: SafeInt) { events(after: $after) { cursor event { id type streamId } } }';
  let ready = 0;
  const clients: Client[] = [];
  for (let i = 0; i < subscribers; i++) {
    const client = subscribe(service, head, query, ({ cursor }) => {
      const at = performance.now();
      const list = received.get(cursor);
      if (list) list.push(at);
      else received.set(cursor, [at]);
    });
    client.on('connected', () => ready++);
    clients.push(client);
    if (i % 50 === 49) await sleep(10);
  }
  while (ready < subscribers) await sleep(20);
  await sleep(300); // subscriptions started and caught up (nothing to catch up: after = head)
  const acknowledged = new Map<number, { sent: number; ack: number }>();
  const total = commandsPerSecond * seconds;
  const interval = 1000 / commandsPerSecond;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const sent = performance.now();
    inFlight.push(
      mutate(service, i).then((position) => {
        acknowledged.set(position, { sent, ack: performance.now() });
      }),
    );
  }
  await Promise.all(inFlight);
  const deadline = performance.now() + 15_000;
  const expected = total * subscribers;
  const count = () => [...received.values()].reduce((n, l) => n + l.length, 0);
  while (count() < expected && performance.now() < deadline) await sleep(50);
  const fromAck: number[] = [];
  const fromSend: number[] = [];
  for (const [position, { sent, ack }] of acknowledged) {
    for (const at of received.get(position) ?? []) {
      fromAck.push(at - ack);
      fromSend.push(at - sent);
    }
  }
  await Promise.all(clients.map((c) => c.dispose()));
  const pct = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN) * 10) / 10;
  };
  return {
    p50: pct(fromAck, 0.5),
    p99: pct(fromAck, 0.99),
    p50FromRequest: pct(fromSend, 0.5),
    p99FromRequest: pct(fromSend, 0.99),
    samples: fromAck.length,
    missing: expected - fromAck.length,
  };
}

async function mutate(service: Service, n: number): Promise<number> {
  const res = await fetch(`${service.httpUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${service.manager}` },
    body: JSON.stringify({
      query: 'mutation($input: RegisterOrganizationInput!) { r: registerOrganization(input: $input) { position } }',
      variables: { input: { name: `Bench organisation ${n}`, kind: 'NON_PROFIT', isHome: false, departments: [] } },
    }),
  });
  const body = (await res.json()) as { data?: { r: { position: number } }; errors?: unknown };
  if (!body.data) throw new Error(`mutation refused: ${JSON.stringify(body.errors)}`);
  return body.data.r.position;
}

async function headPosition(service: Service): Promise<number> {
  return mutate(service, -1);
}
