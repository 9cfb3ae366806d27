/**
 * `npm run bench -- portfolio-query [--partnerships=N] [--seconds=S] [--rounds=R] [--rate=C]`: requests per second and
 * p50/p99 latency of filtered, ordered first pages of `portfolio` over HTTP (autocannon, 32
 * keep-alive connections) at 10,000 partnerships, beside the trivial-query control
 * `{ __typename }` on the same service in the same run; and projection lag (append acknowledged
 * → visible to a query: the partnership read with the returned position, one command in ten)
 * p50/p99 while commands are sent at a steady 500 per second (`--rate`),
 * with the projections on the event loop and then on their own worker thread
 * (PROJECTIONS_THREAD=true), with the CPU time per command of the service's main thread, of
 * the whole service and of the probe's own client (all on the same machine: at 500/s the main
 * thread must stay under 2 ms a command, and the three together under the machine's cores).
 * `--only=query|lag` runs one part; BENCH_CPU_PROF_DIR=<dir> makes
 * the service write CPU profiles there. Each query round measures, in turns, the service (the
 * whole-response cache on, the default) and a twin on a copy of the same data with
 * RESPONSE_CACHE=off, each against its own control; beside requests/s, the service's CPU time per
 * request (what other load on the machine moves least).
 */
import 'reflect-metadata';
import type { ChildProcess } from 'node:child_process';
import { cpSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import autocannon from 'autocannon';
import { ensureEmbeddedKeys, issueToken } from '@ppl/auth';
import { CommandGateway, StandaloneCommandsModule } from '@ppl/commands';
import { SqliteEventStore } from '@ppl/event-store';
import { startBenchService } from './bench-service';
import { fmt, intArg, median, withTempDir } from './bench-support';

const ACTOR = { id: 'bench', role: 'MANAGER' };
const THEMES = ['work', 'care', 'child', 'services', 'learning'];
const PHASES = ['EXPLORE', 'SHARE'];

export async function record(dir: string, partnerships: number): Promise<void> {
  process.env.DATA_DIR = dir;
  process.env.SQLITE_DURABILITY = 'normal';
  const app = await NestFactory.createApplicationContext(StandaloneCommandsModule, { logger: false });
  const gateway = app.get(CommandGateway);
  await gateway.execute(
    'DefineStrategy',
    { themes: THEMES.map((t) => ({ themeId: t, name: t, criteria: [] })), nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' },
    {},
    ACTOR,
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < partnerships) {
        const i = next++;
        const partnershipId = `bench-${i}`;
        await gateway.execute('ProposePartnership', {
          partnershipId,
          name: `Partnership ${String(i).padStart(5, '0')}`,
          themeId: THEMES[i % THEMES.length],
          owningDepartmentId: `dept-${i % 7}`,
          description: 'a partnership for the benchmark',
          purposeType: 'CHAIN',
          origin: { kind: i % 4 === 0 ? 'IMPOSED' : 'CHOSEN', ...(i % 4 === 0 ? { imposedBy: 'region' } : {}) },
          motives: ['COMPLEX_PROBLEM'],
          quadrant: { relation: 'COOPERATIVE', resources: 'COMPLEMENTARY' },
          valueForHome: 'x',
          valueForPartnership: 'y',
          leadParty: { organisationId: 'home', delegate: { personId: 'p', name: 'P' } },
        }, {}, ACTOR);
        await gateway.execute('AdmitParty', { partnershipId, organisationId: `org-${i % 50}`, delegate: { personId: `d-${i}`, name: 'D' } }, {}, ACTOR);
        if (PHASES[i % 2] === 'SHARE') await gateway.execute('AdvancePhase', { partnershipId, toPhase: 'SHARE' }, {}, ACTOR);
      }
    }),
  );
  await app.close();
}

interface Load {
  perSecond: number;
  /** CPU time of the service process per request (ms; Linux /proc, NaN elsewhere): what the noise of other processes moves least. */
  cpuMsPerRequest: number;
  p50: number;
  p99: number;
  errors: number;
}

/**
 * User + system CPU time a process used so far, in ms (Linux: /proc/<pid>/stat at 100 ticks/s),
 * NaN if unknown; with `thread`, that thread's only (the main thread's id is the process id).
 */
function cpuMsOf(pid: number | undefined, thread?: number): number {
  try {
    const path = thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`;
    const fields = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

async function load(url: string, seconds: number, headers: Record<string, string>, body: (n: number) => string, pid?: number): Promise<Load> {
  let n = 0;
  const cpuBefore = cpuMsOf(pid);
  const result = await autocannon({
    url: `${url}/graphql`,
    connections: 32,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: body(n++) }) }],
  });
  const cpuMsPerRequest = Number(((cpuMsOf(pid) - cpuBefore) / Math.max(1, result.requests.total)).toFixed(3));
  return { perSecond: Math.round(result.requests.average), cpuMsPerRequest, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

const PAGE = `query($f: PortfolioFilter, $o: [PortfolioOrder!]) {
  portfolio(filter: $f, orderBy: $o, first: 20) { totalCount nodes { id name phase daysInPhase themeId openEscalationCount signals { code } } pageInfo { endCursor } }
}`;

const FILTERS = [
  { f: { phase: ['SHARE'] }, o: [{ field: 'NAME', direction: 'ASC' }] },
  { f: { themeId: ['care'] }, o: [{ field: 'LAST_ACTIVITY', direction: 'DESC' }] },
  { f: { partnerOrganizationId: 'org-7' }, o: [{ field: 'NAME', direction: 'DESC' }] },
  { f: { origin: 'IMPOSED', phase: ['EXPLORE'] }, o: [{ field: 'PHASE_SINCE', direction: 'ASC' }] },
  { f: { search: 'Partnership 01' }, o: [{ field: 'NAME', direction: 'ASC' }] },
];

type Post = (
  query: string,
  variables?: unknown,
  as?: Record<string, string>,
) => Promise<{ data?: { portfolio?: { totalCount: number }; result?: { position: number } }; errors?: unknown }>;

interface Lag {
  /**
   * Acknowledged command → visible to a read-your-writes query (one command in ten sampled):
   * the partnership it was sent to, read with the position the mutation returned (answered once
   * the portfolio projection has applied it; the read itself is one document).
   */
  p50Ms: number;
  p99Ms: number;
  samples: number;
  /** Requests that failed, timed out or answered an error (PROJECTION_LAGGING after its timeout). */
  failures: number;
  /** Commands sent per second over the probe (the rate, less the skipped slots). */
  sentPerSecond: number;
  /** Commands acknowledged per second over the probe (below the rate when the service cannot keep up). */
  acknowledgedPerSecond: number;
  /** Slots not sent because MAX_IN_FLIGHT commands were already waiting for an answer. */
  skipped: number;
  /**
   * CPU time of the service's main thread (its event loop: HTTP, GraphQL, the command side) per
   * acknowledged command, in ms, samples' reads included (Linux; NaN elsewhere); at `rate`
   * commands per second it must stay under 1000 / rate. Other load on the machine moves it least.
   */
  mainCpuMsPerCommand: number;
  /** The same for the whole service process (every thread: projections on their worker included). */
  cpuMsPerCommand: number;
  /** The same for this process, the probe's client (it shares the machine with the service). */
  clientCpuMsPerCommand: number;
}

/**
 * The probe's HTTP client: node:http over kept-alive connections, which takes the machine's
 * CPU (shared with the service) a fraction of what fetch does per request.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 1024 });

async function postJson<T>(url: string, body: unknown, headers: Record<string, string>): Promise<T> {
  const payload = JSON.stringify(body);
  return new Promise<T>((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload), ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as T);
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Commands waiting for an answer at most: past it the service is saturated and slots are skipped. */
const MAX_IN_FLIGHT = 256;

/** The read-your-writes query of a sample: the written partnership, once the projection has applied the write. */
const VISIBLE = 'query($id: ID!, $p: SafeInt) { partnership(id: $id, position: $p) { id } }';

async function lagProbe(
  post: Post,
  writer: Record<string, string>,
  options: { seconds: number; rate: number; partnerships: number; pid: number | undefined },
): Promise<Lag> {
  const { seconds, rate, partnerships, pid } = options;
  const cpuBefore = cpuMsOf(pid);
  const mainCpuBefore = cpuMsOf(pid, pid);
  const clientCpuBefore = process.cpuUsage();
  const lags: number[] = [];
  let failures = 0;
  let acknowledged = 0;
  let sent = 0;
  let skipped = 0;
  let inFlight = 0;
  const mutation = 'mutation($i: DeclareInterestInput!) { result: declareInterest(input: $i) { position } }';
  const started = Date.now();
  const pending: Promise<void>[] = [];
  for (let n = 0; Date.now() - started < seconds * 1000; n++) {
    const wait = started + (n * 1000) / rate - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped++;
      continue;
    }
    inFlight++;
    sent++;
    pending.push(
      (async (): Promise<void> => {
        const partnershipId = `bench-${n % partnerships}`;
        const res = await post(mutation, { i: { partnershipId, organisationId: 'home', kind: 'ORGANISATIONAL', description: `lag ${n}` } }, writer).catch(() => undefined);
        inFlight--;
        const position = res?.data?.result?.position;
        if (typeof position !== 'number') {
          failures++;
          return;
        }
        const at = Date.now();
        acknowledged++;
        if (n % 10 !== 0) return; // sample one in ten
        const seen = await post(VISIBLE, { id: partnershipId, p: position }).catch(() => undefined);
        if ((seen?.data as { partnership?: { id: string } | null } | undefined)?.partnership && !seen?.errors) lags.push(Date.now() - at);
        else failures++;
      })(),
    );
  }
  await Promise.all(pending);
  const perCommand = (ms: number) => Number((ms / Math.max(1, acknowledged)).toFixed(3));
  const mainCpuMsPerCommand = perCommand(cpuMsOf(pid, pid) - mainCpuBefore);
  const cpuMsPerCommand = perCommand(cpuMsOf(pid) - cpuBefore);
  const clientCpu = process.cpuUsage(clientCpuBefore);
  const clientCpuMsPerCommand = perCommand((clientCpu.user + clientCpu.system) / 1000);
  lags.sort((a, b) => a - b);
  return {
    p50Ms: lags[Math.floor(lags.length * 0.5)] ?? NaN,
    p99Ms: lags[Math.floor(lags.length * 0.99)] ?? NaN,
    samples: lags.length,
    failures,
    sentPerSecond: Math.round(sent / ((Date.now() - started) / 1000)),
    acknowledgedPerSecond: Math.round(acknowledged / ((Date.now() - started) / 1000)),
    skipped,
    mainCpuMsPerCommand,
    cpuMsPerCommand,
    clientCpuMsPerCommand,
  };
}

const describeLag = (lag: Lag): string =>
  `p50 ${lag.p50Ms} ms, p99 ${lag.p99Ms} ms (${lag.samples} samples, ${lag.failures} failed or timed out; ${fmt(lag.sentPerSecond)} sent, ${fmt(lag.acknowledgedPerSecond)} acknowledged, ${lag.skipped} skipped at ${MAX_IN_FLIGHT} in flight); ` +
  `service CPU per command: main thread ${lag.mainCpuMsPerCommand} ms, whole process ${lag.cpuMsPerCommand} ms (the probe's client ${lag.clientCpuMsPerCommand} ms)`;

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const partnerships = intArg(args, 'partnerships', 10_000);
  const seconds = intArg(args, 'seconds', 8);
  const rate = intArg(args, 'rate', 500);
  const roundCount = intArg(args, 'rounds', 3);
  // --only=query or --only=lag runs one of the two measurements (e.g. to profile it alone).
  const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length);
  return withTempDir(async (dir) => {
    const started = Date.now();
    await record(dir, partnerships);
    console.log(`recorded ${partnerships.toLocaleString("en-US")} partnerships in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const keys = await ensureEmbeddedKeys(dir);
    const tokenFor = (role: 'BOARD' | 'MANAGER') =>
      issueToken(keys, { sub: `bench-${role}`, role, issuer: process.env.AUTH_ISSUER ?? 'ppl-embedded', audience: process.env.AUTH_AUDIENCE ?? 'partnership-ledger', ttl: '1h' });
    const headers = { authorization: `Bearer ${await tokenFor('BOARD')}` };
    const writer = { authorization: `Bearer ${await tokenFor('MANAGER')}` };
    // The query rounds compare the service (response cache on, the default) with a twin on a copy
    // of the same data with RESPONSE_CACHE=off, both running, measured in turns in the same rounds.
    const queryRounds = only === 'lag' ? 0 : roundCount;
    const uncachedDir = `${dir}-uncached`;
    if (queryRounds > 0) cpSync(dir, uncachedDir, { recursive: true });
    const metricsToken = 'bench-metrics-token-not-a-secret';
    let { url, child } = await startBenchService(dir, { METRICS_TOKEN: metricsToken });
    let uncachedService: { url: string; child: ChildProcess } | undefined;
    try {
      if (queryRounds > 0) uncachedService = await startBenchService(uncachedDir, { RESPONSE_CACHE: 'off' });
      const post: Post = (query, variables, as = headers) => postJson(`${url}/graphql`, { query, variables }, as);
      // Measure only once every projection has caught up with the recorded history.
      const store = new SqliteEventStore({ path: join(dir, 'events.sqlite') });
      const head = await store.headPosition();
      await store.close();
      const caughtUp = Date.now();
      for (const target of [url, ...(uncachedService ? [uncachedService.url] : [])]) {
        for (;;) {
          const res = (await (
            await fetch(`${target}/graphql`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', ...headers },
              body: JSON.stringify({
                query: 'query($p: SafeInt) { portfolio(position: $p) { totalCount } organizations(position: $p) { totalCount } auditTrail(position: $p) { totalCount } }',
                variables: { p: head },
              }),
            })
          ).json()) as { data?: { portfolio?: { totalCount: number } }; errors?: unknown };
          if (res.data?.portfolio?.totalCount === partnerships) break;
          if (Date.now() - caughtUp > 600_000) throw new Error(`projections did not catch up: ${JSON.stringify(res)}`);
          if (res.errors && !JSON.stringify(res.errors).includes('PROJECTION_LAGGING')) throw new Error(JSON.stringify(res.errors));
        }
      }
      console.log(`projections caught up in ${((Date.now() - caughtUp) / 1000).toFixed(1)} s after start`);

      type Round = { query: Load; control: Load };
      const measureRound = async (target: { url: string; child: ChildProcess }, label: string, round: number): Promise<Round> => {
        const measureControl = () => load(target.url, seconds, headers, () => JSON.stringify({ query: '{ __typename }' }), target.child.pid);
        const measureQuery = () => load(target.url, seconds, headers, (n) => JSON.stringify({ query: PAGE, variables: FILTERS[n % FILTERS.length] }), target.child.pid);
        {
          // Alternate which goes first, so that neither always meets the warmer (or busier) machine.
          let control: Load;
          let query: Load;
          if (round % 2 === 0) {
            control = await measureControl();
            query = await measureQuery();
          } else {
            query = await measureQuery();
            control = await measureControl();
          }
          console.log(`${label} round ${round + 1}: portfolio pages ${fmt(query.perSecond)} p50 ${query.p50} ms p99 ${query.p99} ms (errors ${query.errors}), ${query.cpuMsPerRequest} ms CPU each; control ${fmt(control.perSecond)} p99 ${control.p99} ms (errors ${control.errors}), ${control.cpuMsPerRequest} ms CPU each; ratio ${(query.perSecond / control.perSecond).toFixed(2)}, by CPU ${(control.cpuMsPerRequest / query.cpuMsPerRequest).toFixed(2)}`);
          return { query, control };
        }
      };
      const summarise = (rounds: Round[]) => {
        const queryPerSecond = rounds.length > 0 ? median(rounds.map((r) => r.query.perSecond)) : NaN;
        const controlPerSecond = rounds.length > 0 ? median(rounds.map((r) => r.control.perSecond)) : NaN;
        return {
          portfolioPagesPerSecond: queryPerSecond,
          portfolioP50Ms: median(rounds.map((r) => r.query.p50)),
          portfolioP99Ms: median(rounds.map((r) => r.query.p99)),
          portfolioErrors: rounds.reduce((s, r) => s + r.query.errors, 0),
          controlErrors: rounds.reduce((s, r) => s + r.control.errors, 0),
          controlPerSecond,
          ratio: Number((queryPerSecond / controlPerSecond).toFixed(2)),
          /** Median of each round's ratio (query and control measured back to back). */
          roundRatio: rounds.length > 0 ? Number(median(rounds.map((r) => r.query.perSecond / r.control.perSecond)).toFixed(2)) : NaN,
          /** Service CPU per page and per control request (medians, ms), and control ÷ page: the ratio the machine's other load moves least. */
          portfolioCpuMs: Number(median(rounds.map((r) => r.query.cpuMsPerRequest)).toFixed(3)),
          controlCpuMs: Number(median(rounds.map((r) => r.control.cpuMsPerRequest)).toFixed(3)),
          cpuRatio: rounds.length > 0 ? Number(median(rounds.map((r) => r.control.cpuMsPerRequest / r.query.cpuMsPerRequest)).toFixed(2)) : NaN,
        };
      };
      const cachedRounds: Round[] = [];
      const uncachedRounds: Round[] = [];
      for (let round = 0; round < queryRounds && uncachedService; round++) {
        // Both services in every round, in turns (which goes first alternates).
        const on = () => measureRound({ url, child }, 'response cache on: ', round).then((r) => cachedRounds.push(r));
        const off = () => measureRound(uncachedService!, 'response cache off:', round).then((r) => uncachedRounds.push(r));
        if (round % 2 === 0) {
          await on();
          await off();
        } else {
          await off();
          await on();
        }
      }
      if (uncachedService) {
        await stop(uncachedService.child);
        uncachedService = undefined;
        rmSync(uncachedDir, { recursive: true, force: true });
      }
      const cached = summarise(cachedRounds);
      const uncached = summarise(uncachedRounds);
      if (queryRounds > 0) {
        const metrics = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
        const outcomes = metrics.split('\n').filter((line) => line.startsWith('ppl_response_cache_requests_total{'));
        console.log(`response cache: ${outcomes.map((line) => line.replace('ppl_response_cache_requests_total', '')).join(', ')}`);
        console.log(
          `medians: response cache on ${fmt(cached.portfolioPagesPerSecond)} pages p50 ${cached.portfolioP50Ms} ms p99 ${cached.portfolioP99Ms} ms, ` +
            `${cached.portfolioCpuMs} ms CPU each, ratio ${cached.ratio} to its control (${fmt(cached.controlPerSecond)}, ${cached.controlCpuMs} ms CPU), by CPU ${cached.cpuRatio}; ` +
            `off ${fmt(uncached.portfolioPagesPerSecond)} pages p50 ${uncached.portfolioP50Ms} ms p99 ${uncached.portfolioP99Ms} ms, ${uncached.portfolioCpuMs} ms CPU each, ` +
            `ratio ${uncached.ratio} to its control (${fmt(uncached.controlPerSecond)}, ${uncached.controlCpuMs} ms CPU), by CPU ${uncached.cpuRatio}; ` +
            `on/off ${(cached.portfolioPagesPerSecond / uncached.portfolioPagesPerSecond).toFixed(2)}`,
        );
      }

      // Projection lag at a steady rate of commands, with the projections on the event loop (the
      // default) and then on their own worker thread (PROJECTIONS_THREAD=true), same data.
      const lag = only === 'query' ? undefined : await lagProbe(post, writer, { seconds, rate, partnerships, pid: child.pid });
      if (lag) console.log(`projection lag at ${rate} commands/s, projections on the event loop: ${describeLag(lag)}`);
      let threadLag: Lag | undefined;
      if (only !== 'query') {
        await stop(child);
        const threaded = await startBenchService(dir, { PROJECTIONS_THREAD: 'true' });
        child = threaded.child;
        url = threaded.url;
        threadLag = await lagProbe(post, writer, { seconds, rate, partnerships, pid: child.pid });
        console.log(`projection lag at ${rate} commands/s, projections on a worker thread: ${describeLag(threadLag)}`);
      }

      return {
        partnerships,
        /** With the response cache on (the default). */
        ...cached,
        uncached,
        commandRate: rate,
        projectionLag: lag,
        projectionLagThread: threadLag,
      };
    } finally {
      if (uncachedService) await stop(uncachedService.child);
      rmSync(uncachedDir, { recursive: true, force: true });
      await stop(child);
      agent.destroy();
    }
  });
}
