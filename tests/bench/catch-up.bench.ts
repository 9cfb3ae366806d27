import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/src';
import { fmt, intArg, median, populate, rate, ratio, timed, withTempDir } from './bench-support';
import { rawReadAll } from './raw-ceiling';

/**
 * A subscription catching up from position 0 (what a projection rebuild does) vs the raw read
 * ceiling (SELECT + JSON.parse). Fresh connections each round; medians.
 */
export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const events = intArg(args, 'events', 100_000);
  const rounds = intArg(args, 'rounds', 5);
  const page = intArg(args, 'page', 500);
  return withTempDir(async (dir) => {
    const path = join(dir, 'events.db');
    const seconds = await timed(() => populate(path, events));
    console.log(`populated ${events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s`);
    const ours: number[] = [];
    const ceiling: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const measureOurs = async (): Promise<void> => {
        const store = new SqliteEventStore({ path, durability: 'normal', subscriptionPageSize: page });
        let count = 0;
        const s = await timed(async () => {
          const subscription = store.subscribeToAll({ after: 0 });
          for await (const _event of subscription) {
            if (++count === events) break;
          }
        });
        await store.close();
        ours.push(rate(count, s));
      };
      const measureCeiling = async (): Promise<void> => {
        let count = 0;
        const s = await timed(() => {
          count = rawReadAll(path, page, () => undefined);
        });
        ceiling.push(rate(count, s));
      };
      if (round % 2 === 0) {
        await measureOurs();
        await measureCeiling();
      } else {
        await measureCeiling();
        await measureOurs();
      }
    }
    const figures = { ours: median(ours), ceiling: median(ceiling), ratio: ratio(median(ours), median(ceiling)) };
    console.log(`catch-up   ours ${fmt(figures.ours)}  ceiling ${fmt(figures.ceiling)}  ratio ${figures.ratio.toFixed(2)}  (events/s, pages of ${page}, median of ${rounds})`);
    return { unit: 'events/s', events, rounds, page, ...figures };
  });
}
