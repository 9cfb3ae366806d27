import Database from 'better-sqlite3';
import { join } from 'node:path';
import { AUDIT_INDEXES, SqliteEventStore, type NewEvent, type SqliteDurability } from '../../libs/event-store/src';
import { fmt, intArg, median, ratio, sampleEvent, withTempDir } from './bench-support';

/**
 * What the audit timeline's indexes on the embedded store (type, actor and recorded time, each
 * with the position) cost appends: SqliteEventStore on fresh files with them and without them
 * (dropped after opening), in the same run, alternating which goes first. One event per append
 * (awaited, as a command handler appends) at both durabilities, and 10 events per append.
 * Medians over `--rounds` (default 5) in events/s; ratio with / without.
 */
export async function run(args: readonly string[]): Promise<Record<string, unknown>> {
  const rounds = intArg(args, 'rounds', 5);
  const cases: { name: string; durability: SqliteDurability; appends: number; batch: number }[] = [
    { name: 'normal single', durability: 'normal', appends: intArg(args, 'normal-appends', 4000), batch: 1 },
    { name: 'full single', durability: 'full', appends: intArg(args, 'full-appends', 1000), batch: 1 },
    { name: 'normal batch10', durability: 'normal', appends: intArg(args, 'normal-appends', 4000) / 4, batch: 10 },
  ];
  const result: Record<string, { withIndexes: number; without: number; ratio: number }> = {};
  for (const c of cases) {
    const events = Array.from({ length: c.appends * c.batch }, (_, i) => sampleEvent(c.name, i));
    const withIndexes: number[] = [];
    const without: number[] = [];
    for (let round = 0; round < rounds; round++) {
      await withTempDir(async (dir) => {
        const measure = (keep: boolean) => appendAll(join(dir, keep ? 'with.db' : 'without.db'), keep, c.durability, events, c.batch);
        if (round % 2 === 0) {
          withIndexes.push(await measure(true));
          without.push(await measure(false));
        } else {
          without.push(await measure(false));
          withIndexes.push(await measure(true));
        }
      });
    }
    const figures = { withIndexes: median(withIndexes), without: median(without), ratio: ratio(median(withIndexes), median(without)) };
    result[c.name] = figures;
    console.log(
      `${c.name.padEnd(15)} with the audit indexes ${fmt(Math.round(figures.withIndexes)).padStart(10)}  without ${fmt(Math.round(figures.without)).padStart(10)}  ratio ${figures.ratio.toFixed(2)}  (events/s, median of ${rounds})`,
    );
  }
  return { unit: 'events/s', rounds, ...result };
}

async function appendAll(file: string, keepIndexes: boolean, durability: SqliteDurability, events: readonly NewEvent[], batch: number): Promise<number> {
  const store = new SqliteEventStore({ path: file, durability });
  if (!keepIndexes) {
    const db = new Database(file);
    for (const name of Object.keys(AUDIT_INDEXES)) db.exec(`DROP INDEX ${name}`);
    db.close();
  }
  const started = performance.now();
  for (let i = 0; i * batch < events.length; i++) await store.append(`s-${i % 256}`, events.slice(i * batch, (i + 1) * batch));
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return events.length / seconds;
}
