/**
 * `npm run projections:rebuild [-- --only NAME[,NAME]] [--fresh]`: replays the event store into
 * a fresh (shadow) copy of each projection, with a progress bar (events/s, ETA), and swaps the
 * copy in only once it has caught up — queries, also those of a running service, keep reading
 * the old copy until then. Ctrl-C stops after the current batch and keeps the shadow: running
 * the command again resumes it (`--fresh` starts over instead).
 */
import { Command } from 'commander';
import { RebuildInterruptedError } from '@ppl/projections';
import { progress } from './support/progress';
import { openReadSide } from './support/read-side-stores';

async function main(): Promise<void> {
  const options = new Command()
    .name('projections:rebuild')
    .option('--only <names>', 'comma-separated projection names (default: all)')
    .option('--fresh', 'discard an interrupted rebuild instead of resuming it', false)
    .option('--batch-size <n>', 'events per transaction', '5000')
    .parse(process.argv)
    .opts<{ only?: string; fresh: boolean; batchSize: string }>();
  const side = await openReadSide();
  const known = side.runner.projections.map((p) => p.name);
  const names = options.only ? options.only.split(',').map((s) => s.trim()).filter(Boolean) : known;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown projection ${unknown.join(', ')}; known: ${known.join(', ')}\n`);
    await side.close();
    process.exitCode = 2;
    return;
  }
  const batchSize = Number(options.batchSize);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    process.stderr.write('--batch-size must be an integer from 1 to 100000\n');
    await side.close();
    process.exitCode = 2;
    return;
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    for (const name of names) {
      const head = Math.max(1, await side.events.headPosition());
      const bar = progress(`rebuild ${name}`, head);
      try {
        const result = await side.runner.rebuild(name, {
          batchSize,
          fresh: options.fresh,
          signal: abort.signal,
          onProgress: (p) => bar.update(Math.min(p.position, head), `${p.phase} ${p.eventsPerSecond.toFixed(0)} events/s${p.etaSeconds !== undefined ? ` ETA ${p.etaSeconds.toFixed(0)} s` : ''}`),
        });
        bar.stop();
        process.stdout.write(
          `${name}: generation ${result.generation} swapped in at position ${result.position}, ${result.processed} events in ${(result.durationMs / 1000).toFixed(1)} s` +
            `${result.resumed ? ` (resumed from ${result.fromPosition})` : ''}\n`,
        );
      } catch (error) {
        bar.stop();
        if (error instanceof RebuildInterruptedError) {
          process.stdout.write(`${name}: interrupted at position ${error.position}; run the command again to resume\n`);
          process.exitCode = 130;
          return;
        }
        throw error;
      }
    }
  } finally {
    await side.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rebuild failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
