import { join } from 'node:path';
import { SqliteEventStore } from '../../libs/event-store/src';
import { fmt, intArg, populate, timed, versusReadAllCeiling, withTempDir } from './bench-support';

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
    const figures = await versusReadAllCeiling(path, page, rounds, async () => {
      const store = new SqliteEventStore({
        path,
        durability: 'normal',
        subscriptionPageSize: page,
      });
      let count = 0;
      const subscription = store.subscribeToAll({ after: 0 });
      for await (const _event of subscription) {
        if (++count === events) break;
      }
      await store.close();
      return count;
    });
    console.log(
      `catch-up   ours ${fmt(figures.ours)}  ceiling ${fmt(figures.ceiling)}  ratio ${figures.ratio.toFixed(2)}  (events/s, pages of ${page}, median of ${rounds})`,
    );
    return { unit: 'events/s', events, rounds, page, ...figures };
  });
}
