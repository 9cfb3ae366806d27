/**
 * `npm run bench -- commands [--seconds N]`: commands per second
 *  - through the CommandBus in process (DeclareInterest on 200 partnerships, 32 in flight),
 *    beside the event store's own append rate for single events in the same run (the ceiling);
 *  - through GraphQL mutations over HTTP (autocannon, keep-alive, 32 connections), beside the
 *    same service answering a trivial query `{ __typename }` in the same run (the control).
 * Each figure is the median of several rounds; latencies are autocannon's p50/p99 in ms. Beside
 * the rates, CPU time per command (the bus rounds' process; the service per request over HTTP):
 * what the load of other processes on the machine moves least.
 * `--kind INDIVIDUAL` declares INDIVIDUAL interests instead of ORGANISATIONAL ones: personal
 * data, so every command also seals its texts with the delegate's key; the bus rounds then
 * alternate with ORGANISATIONAL ones, the baseline for the cost of sealing.
 */
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import autocannon from 'autocannon';
import { ensureEmbeddedKeys, issueToken } from '@ppl/auth';
import { CommandGateway, StandaloneCommandsModule } from '@ppl/commands';
import { SqliteEventStore } from '@ppl/event-store';
import { startBenchService } from './bench-service';
import { median, rate, sampleEvent, timed, withTempDir } from './bench-support';

const ROUNDS = 3;
const PARTNERSHIPS = 200;
const IN_FLIGHT = 32;
const ACTOR = { id: 'bench', role: 'MANAGER' };

const proposal = (i: number) => ({
  partnershipId: `bench-${i}`,
  name: `Bench partnership ${i}`,
  themeId: 'work',
  owningDepartmentId: 'dept',
  description: 'a partnership for the benchmark',
  purposeType: 'CHAIN',
  origin: { kind: 'CHOSEN' },
  motives: ['COMPLEX_PROBLEM'],
  quadrant: { relation: 'COOPERATIVE', resources: 'COMPLEMENTARY' },
  valueForHome: 'x',
  valueForPartnership: 'y',
  leadParty: { organisationId: 'home', delegate: { personId: 'p', name: 'P' } },
});

let interestKind = 'ORGANISATIONAL';
const interest = (n: number) => ({
  partnershipId: `bench-${n % PARTNERSHIPS}`,
  interestId: `i-${n}`,
  organisationId: 'home',
  kind: interestKind,
  description: `interest number ${n}`,
});

interface BusRound {
  perSecond: number;
  ceiling: number;
  /** CPU time of this process per command over the round (ms): what other load on the machine moves least. */
  cpuMsPerCommand: number;
}

async function busRound(dir: string, commands: number, kind = interestKind): Promise<BusRound> {
  process.env.DATA_DIR = dir;
  process.env.SQLITE_DURABILITY = 'full';
  const app = await NestFactory.createApplicationContext(StandaloneCommandsModule, { logger: false });
  const gateway = app.get(CommandGateway);
  await gateway.execute('DefineStrategy', { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' }, {}, ACTOR);
  for (let i = 0; i < PARTNERSHIPS; i++) await gateway.execute('ProposePartnership', proposal(i), {}, ACTOR);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const seconds = await timed(async () => {
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < commands) await gateway.execute('DeclareInterest', { ...interest(next++), kind }, {}, ACTOR);
      }),
    );
  });
  const cpu = process.cpuUsage(cpuBefore);
  await app.close();

  // The ceiling: the same store appending single events, 32 in flight, same durability.
  const store = new SqliteEventStore({ path: join(dir, 'ceiling.sqlite'), durability: 'full' });
  let n = 0;
  const ceilingSeconds = await timed(async () => {
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (n < commands) {
          const i = n++;
          await store.append(`stream-${i % PARTNERSHIPS}`, [sampleEvent('ceiling', i)]);
        }
      }),
    );
  });
  await store.close();
  return {
    perSecond: rate(commands, seconds),
    ceiling: rate(commands, ceilingSeconds),
    cpuMsPerCommand: Number(((cpu.user + cpu.system) / 1000 / commands).toFixed(3)),
  };
}

interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time of the service process per request (ms; Linux /proc, NaN elsewhere). */
  cpuMsPerRequest: number;
}

/** User + system CPU time a process used so far, in ms (Linux: /proc/<pid>/stat at 100 ticks/s), NaN if unknown. */
function cpuMsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

async function load(url: string, seconds: number, token: string, body: (n: number) => string, pid: number | undefined): Promise<Load> {
  let n = 0;
  const cpuBefore = cpuMsOf(pid);
  const result = await autocannon({
    url: `${url}/graphql`,
    connections: 32,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: [{ setupRequest: (req) => ({ ...req, body: body(n++) }) }],
  });
  return {
    perSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
    cpuMsPerRequest: Number(((cpuMsOf(pid) - cpuBefore) / Math.max(1, result.requests.total)).toFixed(3)),
  };
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const secondsArg = args.indexOf('--seconds');
  const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 8;
  const kindArg = args.find((a) => a.startsWith('--kind='))?.slice('--kind='.length) ?? (args.includes('--kind') ? args[args.indexOf('--kind') + 1] : undefined);
  if (kindArg) interestKind = kindArg;
  console.log(`declaring ${interestKind} interests`);

  const bus: BusRound[] = [];
  const unsealed: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    bus.push(await withTempDir((dir) => busRound(dir, 4000)));
    console.log(`bus round ${round + 1}: ${bus[round]?.perSecond} commands/s (${bus[round]?.cpuMsPerCommand} ms CPU each), append ceiling ${bus[round]?.ceiling} events/s`);
    if (interestKind !== 'ORGANISATIONAL') {
      unsealed.push((await withTempDir((dir) => busRound(dir, 4000, 'ORGANISATIONAL'))).perSecond);
      console.log(`bus round ${round + 1} (ORGANISATIONAL, nothing to seal): ${unsealed[round]} commands/s`);
    }
  }

  const http = await withTempDir(async (dir) => {
    const keys = await ensureEmbeddedKeys(dir);
    const token = await issueToken(keys, { sub: 'bench', role: 'MANAGER', issuer: process.env.AUTH_ISSUER ?? 'ppl-embedded', audience: process.env.AUTH_AUDIENCE ?? 'partnership-ledger', ttl: '1h' });
    const { url, child } = await startBenchService(dir, { SQLITE_DURABILITY: 'full' });
    try {
      const gql = (query: string, variables?: unknown) => JSON.stringify({ query, variables });
      const post = (body: string) =>
        fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
      await post(gql('mutation($i: DefineStrategyInput!) { defineStrategy(input: $i) { revision } }', { i: { themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' } }));
      for (let i = 0; i < PARTNERSHIPS; i++) {
        await post(gql('mutation($i: ProposePartnershipInput!) { proposePartnership(input: $i) { revision } }', { i: proposal(i) }));
      }
      const mutation = 'mutation($i: DeclareInterestInput!) { declareInterest(input: $i) { revision position } }';
      const rounds: { mutations: Load; control: Load }[] = [];
      let offset = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const control = await load(url, seconds, token, () => gql('{ __typename }'), child.pid);
        const mutations = await load(url, seconds, token, (n) => gql(mutation, { i: interest(offset + n) }), child.pid);
        offset += 1_000_000;
        rounds.push({ mutations, control });
        console.log(
          `http round ${round + 1}: mutations ${mutations.perSecond}/s p50 ${mutations.p50} ms p99 ${mutations.p99} ms (errors ${mutations.errors}), ${mutations.cpuMsPerRequest} ms service CPU each; ` +
            `control ${control.perSecond}/s p99 ${control.p99} ms (errors ${control.errors}), ${control.cpuMsPerRequest} ms CPU each`,
        );
      }
      return rounds;
    } finally {
      child.kill('SIGTERM');
    }
  });

  const busPerSecond = median(bus.map((b) => b.perSecond));
  const ceiling = median(bus.map((b) => b.ceiling));
  const mutations = median(http.map((r) => r.mutations.perSecond));
  const control = median(http.map((r) => r.control.perSecond));
  const figures = {
    interestKind,
    busCommandsPerSecond: busPerSecond,
    appendCeilingPerSecond: ceiling,
    busRatio: Number((busPerSecond / ceiling).toFixed(2)),
    ...(unsealed.length > 0
      ? { busUnsealedPerSecond: median(unsealed), busSealedVsUnsealed: Number((busPerSecond / median(unsealed)).toFixed(2)) }
      : {}),
    httpMutationsPerSecond: mutations,
    httpMutationP50Ms: median(http.map((r) => r.mutations.p50)),
    httpMutationP99Ms: median(http.map((r) => r.mutations.p99)),
    httpMutationErrors: http.reduce((s, r) => s + r.mutations.errors, 0),
    httpControlPerSecond: control,
    httpControlP99Ms: median(http.map((r) => r.control.p99)),
    httpRatio: Number((mutations / control).toFixed(2)),
    /** Median CPU per command of the in-process bus rounds (ms). */
    busCpuMsPerCommand: median(bus.map((b) => b.cpuMsPerCommand)),
    /** Median service CPU per mutation and per control query (ms), and their ratio (control ÷ mutation). */
    httpMutationCpuMs: median(http.map((r) => r.mutations.cpuMsPerRequest)),
    httpControlCpuMs: median(http.map((r) => r.control.cpuMsPerRequest)),
    httpCpuRatio: Number(median(http.map((r) => r.control.cpuMsPerRequest / r.mutations.cpuMsPerRequest)).toFixed(2)),
  };
  console.log(`bus: ${busPerSecond} commands/s vs append ceiling ${ceiling} events/s (ratio ${figures.busRatio}); ${figures.busCpuMsPerCommand} ms CPU per command`);
  console.log(
    `http: ${mutations} mutations/s (p50 ${figures.httpMutationP50Ms} ms, p99 ${figures.httpMutationP99Ms} ms) vs control ${control} queries/s (ratio ${figures.httpRatio}); ` +
      `service CPU ${figures.httpMutationCpuMs} ms per mutation, ${figures.httpControlCpuMs} ms per control query (ratio ${figures.httpCpuRatio})`,
  );
  return figures;
}
