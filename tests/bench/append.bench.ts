import { join } from 'node:path';
import { SqliteEventStore, type NewEvent, type SqliteDurability } from '../../libs/event-store/src';
import { fmt, intArg, median, rate, ratio, sampleEvent, timed, withTempDir } from './bench-support';
import { RawAppender } from './raw-ceiling';

/**
 * Durable appends through SqliteEventStore vs the raw better-sqlite3 ceiling, at both
 * durabilities, on fresh files each round, ours and the ceiling alternating who goes first.
 * - sequential: one event per append, each awaited before the next (a command handler's path).
 * - concurrent: 32 appends in flight (exercises batching: many appends per transaction).
 * - batch10: 10 events per append, awaited.
 * Figures are medians over the rounds, in events/s; ratios ours / ceiling. The ceiling is one
 * event (or one batch) per transaction, so `concurrent` can exceed 1.
 */
const STREAMS = 256;
const IN_FLIGHT = 32;
const TARGET = 0.6;

interface Figures {
  ours: number;
  ceiling: number;
  ratio: number;
}

export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const rounds = intArg(args, 'rounds', 5);
  const result: Record<string, Record<string, Figures>> = {};
  for (const durability of ['normal', 'full'] as const) {
    const singles = intArg(args, `${durability}-appends`, durability === 'normal' ? 4000 : 1000);
    const batches = Math.max(1, Math.round(singles / 4));
    const events = makeEvents(durability, Math.max(singles, batches * 10));
    const samples: Record<string, { ours: number[]; ceiling: number[] }> = {
      sequential: { ours: [], ceiling: [] },
      concurrent: { ours: [], ceiling: [] },
      batch10: { ours: [], ceiling: [] },
    };
    for (let round = 0; round < rounds; round++) {
      await withTempDir(async (dir) => {
        const file = (name: string): string => join(dir, `${name}.db`);
        const oursFirst = round % 2 === 0;
        const pair = async (kind: string, ours: () => Promise<number>, ceiling: () => Promise<number>): Promise<void> => {
          if (oursFirst) {
            samples[kind].ours.push(await ours());
            samples[kind].ceiling.push(await ceiling());
          } else {
            samples[kind].ceiling.push(await ceiling());
            samples[kind].ours.push(await ours());
          }
        };
        await pair(
          'sequential',
          () => oursSequential(file('ours-seq'), durability, events, singles, 1),
          () => rawSequential(file('raw-seq'), durability, events, singles, 1),
        );
        await pair(
          'concurrent',
          () => oursConcurrent(file('ours-conc'), durability, events, singles),
          () => rawSequential(file('raw-conc'), durability, events, singles, 1),
        );
        await pair(
          'batch10',
          () => oursSequential(file('ours-b10'), durability, events, batches, 10),
          () => rawSequential(file('raw-b10'), durability, events, batches, 10),
        );
      });
    }
    result[durability] = {};
    for (const [kind, { ours, ceiling }] of Object.entries(samples)) {
      const figures = { ours: median(ours), ceiling: median(ceiling), ratio: ratio(median(ours), median(ceiling)) };
      result[durability][kind] = figures;
      console.log(
        `${durability.padEnd(6)} ${kind.padEnd(10)} ours ${fmt(figures.ours).padStart(10)}  ceiling ${fmt(figures.ceiling).padStart(10)}  ratio ${figures.ratio.toFixed(2)}  (events/s, median of ${rounds}: ours ${ours.map((v) => Math.round(v)).join(' ')})`,
      );
    }
  }
  const worst = Math.min(result.normal.sequential.ratio, result.full.sequential.ratio);
  console.log(`single-event durable appends: ${worst >= TARGET ? 'meet' : 'MISS'} the target of ${TARGET} x the raw ceiling (worst ${worst.toFixed(2)})`);
  return { unit: 'events/s', rounds, streams: STREAMS, inFlight: IN_FLIGHT, target: TARGET, meetsTarget: worst >= TARGET, ...result };
}

function makeEvents(seed: string, count: number): NewEvent[] {
  return Array.from({ length: count }, (_, n) => sampleEvent(seed, n));
}

async function oursSequential(path: string, durability: SqliteDurability, events: NewEvent[], appends: number, size: number): Promise<number> {
  const store = new SqliteEventStore({ path, durability });
  const revisions = new Array<number>(STREAMS).fill(-1);
  const seconds = await timed(async () => {
    for (let i = 0; i < appends; i++) {
      const s = i % STREAMS;
      const batch = size === 1 ? [events[i]] : events.slice(i * size, i * size + size);
      const expected = revisions[s];
      const result = await store.append(`partnership-${s}`, batch, { expectedRevision: expected < 0 ? 'no_stream' : expected });
      revisions[s] = result.nextExpectedRevision;
    }
  });
  await store.close();
  return rate(appends * size, seconds);
}

async function oursConcurrent(path: string, durability: SqliteDurability, events: NewEvent[], appends: number): Promise<number> {
  const store = new SqliteEventStore({ path, durability });
  const revisions = new Array<number>(STREAMS).fill(-1);
  let next = 0;
  // Worker w owns the streams s with s % IN_FLIGHT === w, so its expected revisions are exact.
  const worker = async (w: number): Promise<void> => {
    for (let k = 0; ; k++) {
      const i = next++;
      if (i >= appends) return;
      const s = w + IN_FLIGHT * (k % (STREAMS / IN_FLIGHT));
      const expected = revisions[s];
      const result = await store.append(`partnership-${s}`, [events[i]], { expectedRevision: expected < 0 ? 'no_stream' : expected });
      revisions[s] = result.nextExpectedRevision;
    }
  };
  const seconds = await timed(async () => {
    await Promise.all(Array.from({ length: IN_FLIGHT }, (_, w) => worker(w)));
  });
  await store.close();
  return rate(appends, seconds);
}

async function rawSequential(path: string, durability: SqliteDurability, events: NewEvent[], appends: number, size: number): Promise<number> {
  const raw = new RawAppender(path, durability);
  const revisions = new Array<number>(STREAMS).fill(-1);
  const seconds = await timed(() => {
    for (let i = 0; i < appends; i++) {
      const s = i % STREAMS;
      const batch = size === 1 ? [events[i]] : events.slice(i * size, i * size + size);
      revisions[s] = raw.append(`partnership-${s}`, batch, revisions[s]);
    }
  });
  raw.close();
  return rate(appends * size, seconds);
}
