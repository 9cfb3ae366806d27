import { join } from 'node:path';
import { DEFAULT_SNAPSHOT_EVERY, ReadModelSnapshotStore, TimeTravel } from '@ppl/audit';
import {
  deciders,
  type DecisionContext,
  type PartnershipCommand,
  type PartnershipState,
  type StrategyCommand,
} from '@ppl/domain';
import { SqliteEventStore, type NewEvent } from '@ppl/event-store';
import { EmbeddedReadModelStore } from '@ppl/read-model';
import { deterministicId, intArg, withTempDir } from './bench-support';

/**
 * `npm run bench -- as-of [--samples=N] [--every=N]`: time travel (`TimeTravel.partnershipAsOf`:
 * read the partnership's and the strategy's streams from the embedded store, fold to a revision,
 * compute the view) on partnership streams of 100, 1,000 and 10,000 events, at random revisions
 * (every fourth at the head), once folding the whole stream and once from verified snapshots
 * every N events (default 500) in the embedded read model, on the same streams and revisions, in
 * alternating order. The snapshots are written once before sampling (their cost is printed).
 * In-process, no HTTP.
 */
const SIZES = [100, 1000, 10_000];
const P = 'p-bench';
const T0 = Date.parse('2025-01-06T09:00:00.000Z');

function percentile(sorted: readonly number[], p: number): number {
  return (
    sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN
  );
}

/** A partnership's life: a proposal, two parties, then assessments by turns, decided by the real decider. */
function* commands(count: number): Generator<PartnershipCommand> {
  yield {
    type: 'ProposePartnership',
    partnershipId: P,
    name: 'Bench network',
    themeId: 'work',
    owningDepartmentId: 'dept',
    description: 'benchmark',
    purposeType: 'CHAIN',
    origin: { kind: 'CHOSEN' },
    motives: ['COMPLEX_PROBLEM'],
    quadrant: { relation: 'COOPERATIVE', resources: 'COMPLEMENTARY' },
    valueForHome: 'x',
    valueForPartnership: 'y',
    leadParty: { organisationId: 'org-home', delegate: { personId: 'anna', name: 'Anna' } },
  } as PartnershipCommand;
  yield {
    type: 'AdmitParty',
    partnershipId: P,
    organisationId: 'org-a',
    delegate: { personId: 'a', name: 'A' },
  } as PartnershipCommand;
  yield {
    type: 'AdmitParty',
    partnershipId: P,
    organisationId: 'org-b',
    delegate: { personId: 'b', name: 'B' },
  } as PartnershipCommand;
  for (let i = 3; i < count; i++) {
    const score = (k: number) => ({ score: 1 + ((i + k) % 5) });
    yield {
      type: 'RecordAssessment',
      partnershipId: P,
      assessmentId: `as-${i}`,
      by: ['org-home', 'org-a', 'org-b', 'JOINT'][i % 4],
      scores: {
        AMBITION: score(0),
        INTERESTS: score(1),
        RELATION: score(2),
        ORGANISATION: score(3),
        PROCESS: score(4),
      },
    } as PartnershipCommand;
  }
}

async function populate(store: SqliteEventStore, count: number): Promise<void> {
  const defined = deciders.strategy.decide(
    {
      type: 'DefineStrategy',
      strategyId: 'home',
      themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
      nonNegotiableValues: [],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    } as StrategyCommand,
    deciders.strategy.initialState,
    { actor: { id: 'bench' }, businessTime: new Date(T0).toISOString() },
  );
  const strategy = defined.reduce(deciders.strategy.evolve, deciders.strategy.initialState);
  await store.append(
    'strategy-home',
    defined.map((e, i) => ({
      id: deterministicId(`as-of-strategy-${count}-${i}`),
      type: e.type,
      schemaVersion: 1,
      data: e.data,
      metadata: { actor: { id: 'bench' } },
    })),
  );
  let state: PartnershipState = deciders.partnership.initialState;
  let batch: NewEvent[] = [];
  let n = 0;
  for (const command of commands(count)) {
    const businessTime = new Date(T0 + n * 3_600_000).toISOString();
    const context: DecisionContext = { actor: { id: 'bench' }, businessTime, strategy };
    for (const event of deciders.partnership.decide(command, state, context)) {
      state = deciders.partnership.evolve(state, event);
      batch.push({
        id: deterministicId(`as-of-${count}-${n++}`),
        type: event.type,
        schemaVersion: event.type === 'PartnershipProposed' ? 2 : 1,
        data: event.data,
        metadata: { actor: { id: 'bench' }, businessTime },
      });
    }
    if (batch.length >= 500) {
      await store.append(`partnership-${P}`, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await store.append(`partnership-${P}`, batch);
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const samples = intArg(args, 'samples', 40);
  const every = intArg(args, 'every', DEFAULT_SNAPSHOT_EVERY);
  const figures: Record<string, unknown> = { every };
  for (const size of SIZES) {
    await withTempDir(async (dir) => {
      const store = new SqliteEventStore({
        path: join(dir, 'events.sqlite'),
        durability: 'normal',
      });
      const readModel = EmbeddedReadModelStore.open({ dataDir: dir });
      await populate(store, size);
      const plain = new TimeTravel(store);
      const snapshotted = new TimeTravel(store, {
        snapshots: new ReadModelSnapshotStore(readModel),
        every,
      });
      // The snapshots a first answer at the head writes behind it (not part of any sample).
      const writeStarted = process.hrtime.bigint();
      await snapshotted.partnershipAsOf(P, { atRevision: size - 1 });
      await snapshotted.idle();
      const writeMs = Number(process.hrtime.bigint() - writeStarted) / 1e6;
      const written = snapshotted.counts.written;

      const times = { plain: [] as number[], snapshots: [] as number[] };
      const measure = async (timeTravel: TimeTravel, revision: number): Promise<number> => {
        const started = process.hrtime.bigint();
        const result = await timeTravel.partnershipAsOf(P, { atRevision: revision });
        const ms = Number(process.hrtime.bigint() - started) / 1e6;
        if (result?.revision !== revision)
          throw new Error(`as-of ${revision} answered ${result?.revision}`);
        return ms;
      };
      let seed = 42;
      for (let i = 0; i < samples + 3; i++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const revision = i % 4 === 0 ? size - 1 : seed % size;
        // Same revision both ways, alternating which goes first.
        const order = i % 2 === 0 ? (['plain', 'snapshots'] as const) : (['snapshots', 'plain'] as const);
        for (const kind of order) {
          const ms = await measure(kind === 'plain' ? plain : snapshotted, revision);
          if (i >= 3) times[kind].push(ms); // the first three warm up
        }
      }
      await snapshotted.idle();
      await readModel.close();
      await store.close();
      const stats = (values: number[]) => {
        values.sort((a, b) => a - b);
        return { p50: percentile(values, 50), p99: percentile(values, 99) };
      };
      const plainStats = stats(times.plain);
      const snapStats = stats(times.snapshots);
      const speedup = plainStats.p50 / snapStats.p50;
      console.log(
        `as-of on a stream of ${size} events: without snapshots p50 ${plainStats.p50.toFixed(2)} ms, p99 ${plainStats.p99.toFixed(2)} ms; ` +
          `with snapshots every ${every} p50 ${snapStats.p50.toFixed(2)} ms, p99 ${snapStats.p99.toFixed(2)} ms ` +
          `(p50 ${speedup.toFixed(1)}x faster; ${written} snapshots written in ${writeMs.toFixed(0)} ms; ${samples} samples)`,
      );
      figures[`events${size}`] = {
        withoutSnapshots: { p50Ms: round(plainStats.p50), p99Ms: round(plainStats.p99) },
        withSnapshots: { p50Ms: round(snapStats.p50), p99Ms: round(snapStats.p99) },
        p50Speedup: round(speedup),
        snapshotsWritten: written,
        snapshotWriteMs: round(writeMs),
        samples,
      };
    });
  }
  return figures;
}

const round = (value: number): number => Number(value.toFixed(3));
