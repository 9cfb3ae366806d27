import { PerformanceObserver } from 'node:perf_hooks';
import { SqliteEventStore } from '../../libs/event-store/src';
import { EmbeddedReadModelStore } from '../../libs/read-model/src';
import { ProjectionRunner, readSideProjections } from '../../libs/projections/src';
import { deciders, type PartnershipEvent, type PartnershipState } from '../../libs/domain/src';
import { domainEventOf } from '../../libs/projections/src/support/domain-event';
import type { RecordedEvent } from '../../libs/event-store/src';
import { rawReadAll } from './raw-ceiling';
import { fmt, intArg, median, rate, ratio, readAllThroughStore, timed, versusReadAllCeiling, withTempDir } from './bench-support';
import { cachedHistory } from './ledger-generator';

/**
 * Rebuilding every read-side projection from a generated history into a fresh read model, beside
 * the raw read-all rate of the same store, alternating, in the same run (medians and ratio).
 * The history (see ledger-generator.ts) is decided by the domain's deciders and appended through
 * the event store; it is cached under `.tmp/bench/` by its parameters, so only the first run
 * generates it. `--events N --partnerships P` (default 1,000,000 over 10,000; e.g.
 * `--events=100000 --partnerships=1000` for a quick run), `--rounds R` (default 3), `--batch B`
 * (events per page, default 2,000 as `projections:rebuild`), `--commit-every N` (events a projection
 * without a fold holds between commits, default 200,000), `--fold-limit N` (documents a folding
 * projection holds between commits, default 250,000), `--commit-seconds S` (default 60). The
 * projections are those of the embedded default (the event store answers the audit timeline
 * itself: no `auditTimeline`). Per projection: the time spent folding or applying its events and
 * committing its changes (the rest is reading the store and building indexes at swap), and the
 * time the process spent paused in garbage collection during the rebuild. Beside the raw read
 * (the cheapest hand-written read of the same rows, the goal's baseline), the rate of reading the
 * whole store through the event store's own `readAll` in pages of `--batch` events, as the
 * rebuild reads it: what the rebuild costs beyond its own reading. And the floor of any rebuild
 * that keeps the domain's own fold on one core: the raw read with each partnership event folded
 * by the domain's `evolve` into a state per partnership, and nothing else (no row, no document,
 * no write) — the part of the goal's budget the fold alone takes.
 */
export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const events = intArg(args, 'events', 1_000_000);
  const partnerships = intArg(args, 'partnerships', 10_000);
  const rounds = intArg(args, 'rounds', 3);
  const page = intArg(args, 'page', 1000);
  const batchSize = intArg(args, 'batch', 2_000);
  const commitEvery = intArg(args, 'commit-every', 200_000);
  const foldLimit = intArg(args, 'fold-limit', 250_000);
  const commitSeconds = intArg(args, 'commit-seconds', 60);
  const path = await cachedHistory({ events, partnerships });
  let stored = 0;
  {
    const store = new SqliteEventStore({ path, durability: 'normal' });
    stored = await store.headPosition();
    await store.close();
  }
  let lastPerProjection: Record<string, { processed: number; seconds: number; busySeconds: number }> = {};
  let lastGcSeconds = 0;
  const figures = await versusReadAllCeiling(path, page, rounds, () =>
    withTempDir(async (dir) => {
      const store = new SqliteEventStore({ path, durability: 'normal' });
      const readModel = EmbeddedReadModelStore.open({ dataDir: dir });
      const runner = new ProjectionRunner(store, readModel, readSideProjections({ timelineInStore: true }));
      const perProjection: Record<string, { processed: number; seconds: number; busySeconds: number }> = {};
      let gcMs = 0;
      const gc = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) gcMs += entry.duration;
      });
      gc.observe({ entryTypes: ['gc'] });
      const started = performance.now();
      try {
        for (const result of await runner.rebuildAll(undefined, {
          batchSize,
          commitEvery,
          foldLimit,
          commitIntervalMs: commitSeconds * 1000,
          progressIntervalMs: 2000,
          onProgress: (p) => {
            if (p.phase === 'replaying' && p.projection === 'portfolio')
              process.stdout.write(`\r  ${p.position.toLocaleString('en-US')} / ${p.head.toLocaleString('en-US')} events, ${Math.round(p.eventsPerSecond).toLocaleString('en-US')}/s, committed ${p.committed.toLocaleString('en-US')}, ETA ${Math.round(p.etaSeconds ?? 0)} s   `);
          },
        })) {
          perProjection[result.projection] = { processed: result.processed, seconds: result.durationMs / 1000, busySeconds: result.busyMs / 1000 };
        }
      } finally {
        for (const entry of gc.takeRecords()) gcMs += entry.duration;
        gc.disconnect();
        await readModel.close();
        await store.close();
      }
      const seconds = (performance.now() - started) / 1000;
      process.stdout.write('\n');
      console.log(`  rebuilt all projections in ${seconds.toFixed(1)} s (${fmt(Math.round(stored / seconds))}), of which ${(gcMs / 1000).toFixed(1)} s paused in garbage collection`);
      lastGcSeconds = gcMs / 1000;
      lastPerProjection = perProjection;
      return stored;
    }),
  );
  const storeRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let count = 0;
    const seconds = await timed(async () => {
      count = await readAllThroughStore(path, batchSize);
    });
    storeRates.push(rate(count, seconds));
  }
  const storeReadAllRate = median(storeRates);
  const floorRates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let count = 0;
    const seconds = await timed(() => {
      count = rawReadAndFold(path, page);
    });
    floorRates.push(rate(count, seconds));
  }
  const foldFloorRate = median(floorRates);
  const foldFloorRatio = ratio(foldFloorRate, figures.ceiling);
  const storeRatio = ratio(figures.ours, storeReadAllRate);
  for (const [name, f] of Object.entries(lastPerProjection)) {
    console.log(`  ${name.padEnd(14)} ${f.processed.toLocaleString('en-US')} events applied, ${f.busySeconds.toFixed(1)} s applying and committing (last round)`);
  }
  console.log(
    `rebuild all ${fmt(figures.ours)}  raw read-all ${fmt(figures.ceiling)}  ratio ${figures.ratio.toFixed(3)}  (events of the store per second, median of ${rounds}; goal ≥ 0.5)`,
  );
  console.log(
    `  beside the event store's own readAll (pages of ${batchSize.toLocaleString('en-US')}, as the rebuild reads): ${fmt(storeReadAllRate)}, ratio ${storeRatio.toFixed(3)} (median of ${rounds})`,
  );
  console.log(
    `  floor of a one-core rebuild that folds the domain's state: raw read + evolve, no documents: ${fmt(foldFloorRate)}, ratio ${foldFloorRatio.toFixed(3)} to the raw read-all (median of ${rounds})`,
  );
  return { unit: 'events/s', foldFloor: foldFloorRate, foldFloorRatio, events: stored, partnerships, rounds, batchSize, commitEvery, foldLimit, commitSeconds, rebuildAll: figures.ours, readAll: figures.ceiling, ratio: figures.ratio, storeReadAll: storeReadAllRate, storeRatio, perProjection: lastPerProjection, gcSeconds: lastGcSeconds };
}

type RawRow = [number, string, number, Buffer, string, number, string, string, string, string];

/** `rawReadAll` with every partnership event folded by the domain's evolve (the states kept per partnership). */
function rawReadAndFold(path: string, page: number): number {
  const states = new Map<string, PartnershipState>();
  return rawReadAll(path, page, (read) => {
    const { row, data } = read as { row: RawRow; data: unknown };
    const streamId = row[1];
    if (!streamId.startsWith('partnership-')) return;
    const event = domainEventOf({ type: row[4], schemaVersion: row[5], data } as RecordedEvent) as PartnershipEvent | null;
    if (event === null) return;
    states.set(streamId, deciders.partnership.evolve(states.get(streamId) ?? deciders.partnership.initialState, event));
  });
}
