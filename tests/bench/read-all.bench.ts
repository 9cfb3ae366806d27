import { join } from 'node:path';
import { fmt, intArg, populate, readAllThroughStore, timed, versusReadAllCeiling, withTempDir } from './bench-support';

/**
 * Reading the global order with readAll pages vs the raw ceiling (the same SELECT plus
 * JSON.parse of data and metadata, nothing else). Fresh connections each round; medians.
 */
export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const events = intArg(args, 'events', 100_000);
  const rounds = intArg(args, 'rounds', 5);
  const page = intArg(args, 'page', 1000);
  return withTempDir(async (dir) => {
    const path = join(dir, 'events.db');
    const seconds = await timed(() => populate(path, events));
    console.log(`populated ${events.toLocaleString('en-US')} events in ${seconds.toFixed(1)} s`);
    const figures = await versusReadAllCeiling(path, page, rounds, async () => {
      const count = await readAllThroughStore(path, page);
      if (count !== events) throw new Error(`readAll returned ${count} of ${events} events`);
      return count;
    });
    console.log(
      `read-all   ours ${fmt(figures.ours)}  ceiling ${fmt(figures.ceiling)}  ratio ${figures.ratio.toFixed(2)}  (events/s, pages of ${page}, median of ${rounds})`,
    );
    return { unit: 'events/s', events, rounds, page, ...figures };
  });
}
