/**
 * `npm run projections:rebuild [-- --only NAME[,NAME]] [--fresh]`: replays the event store into
 * a fresh (shadow) copy of each projection (one pass over the store feeds them all), with a
 * progress bar (events/s, ETA), and swaps the copies in only once they have caught up: queries,
 * also those of a running service, keep reading the old copies until then. Pages of
 * `--batch-size` events are folded as they are read (the portfolio: per partnership) and committed
 * once `--fold-limit` documents are held or every `--commit-seconds` seconds; a projection without
 * a fold holds its pages and commits every `--commit-every` events. Ctrl-C commits
 * what is applied, stops after the current page and keeps the shadow: running the command again
 * resumes it exactly there (`--fresh` starts over instead); after a crash it resumes from the
 * last commit. With the embedded event store (EVENT_STORE=sqlite) the audit timeline is answered
 * by the store itself: there is no `auditTimeline` projection to rebuild, and naming it is refused.
 */
import { Command } from 'commander';
import { loadConfig } from '@ppl/config';
import { notRunHere, RebuildInterruptedError, timelineInStore, type RebuildProgress } from '@ppl/projections';
import { progress } from './support/progress';
import { openReadSide } from './support/read-side-stores';

async function main(): Promise<void> {
  const options = new Command()
    .name('projections:rebuild')
    .option('--only <names>', 'comma-separated projection names (default: all)')
    .option('--fresh', 'discard an interrupted rebuild instead of resuming it', false)
    .option('--batch-size <n>', 'events read per page', '2000')
    .option('--fold-limit <n>', 'documents a folding projection holds before it commits', '250000')
    .option('--commit-every <n>', 'events a projection without a fold holds before it commits', '200000')
    .option('--commit-seconds <s>', 'most seconds between two commits', '60')
    .parse(process.argv)
    .opts<{ only?: string; fresh: boolean; batchSize: string; foldLimit: string; commitEvery: string; commitSeconds: string }>();
  const requested = options.only ? options.only.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  // Refused before anything is opened: a refused command changes nothing.
  const sideOptions = { timelineInStore: timelineInStore(loadConfig().EVENT_STORE) };
  const notHere = (requested ?? []).map((name) => notRunHere(name, sideOptions)).filter((m): m is string => m !== undefined);
  if (notHere.length > 0) {
    process.stderr.write(`${notHere.join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  const batchSize = Number(options.batchSize);
  const foldLimit = Number(options.foldLimit);
  const commitEvery = Number(options.commitEvery);
  const commitSeconds = Number(options.commitSeconds);
  const invalid = [
    !Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000 ? '--batch-size must be an integer from 1 to 100000' : undefined,
    !Number.isInteger(foldLimit) || foldLimit < 1 ? '--fold-limit must be a positive integer' : undefined,
    !Number.isInteger(commitEvery) || commitEvery < 1 ? '--commit-every must be a positive integer' : undefined,
    !Number.isFinite(commitSeconds) || commitSeconds <= 0 ? '--commit-seconds must be a positive number' : undefined,
  ].filter((m): m is string => m !== undefined);
  if (invalid.length > 0) {
    process.stderr.write(`${invalid.join('\n')}\n`);
    process.exitCode = 2;
    return;
  }
  const side = await openReadSide();
  const known = side.runner.projections.map((p) => p.name);
  const names = requested ?? known;
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    process.stderr.write(`unknown projection ${unknown.join(', ')}; known: ${known.join(', ')}\n`);
    await side.close();
    process.exitCode = 2;
    return;
  }
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    // One pass over the store feeds every projection named (each into its own shadow copy).
    const head = Math.max(1, await side.events.headPosition());
    const bar = progress(`rebuild ${names.join(', ')}`, head);
    const positions = new Map<string, RebuildProgress>();
    let drawing = false;
    const draw = (): void => {
      drawing = false;
      // The slowest projection sets the pace (they advance together, page by page); the bar's
      // rate is the pace of the store's read, each projection applies only the events it reads.
      const all = [...positions.values()];
      const slowest = all.reduce((a, b) => (b.position < a.position ? b : a));
      const applied = all.map((p) => `${p.projection} ${p.processed.toLocaleString('en-US')}`).join(', ');
      bar.update(
        Math.min(slowest.position, head),
        `${slowest.phase}; applied ${applied}; committed up to ${Math.min(...all.map((p) => p.committed)).toLocaleString('en-US')}${slowest.etaSeconds !== undefined ? `; ETA ${slowest.etaSeconds.toFixed(0)} s` : ''}`,
      );
    };
    try {
      const results = await side.runner.rebuildAll(names, {
        batchSize,
        foldLimit,
        commitEvery,
        commitIntervalMs: commitSeconds * 1000,
        fresh: options.fresh,
        signal: abort.signal,
        onProgress: (p) => {
          positions.set(p.projection, p);
          // The runner reports every projection of a page in one go: draw once they all have.
          if (drawing) return;
          drawing = true;
          queueMicrotask(draw);
        },
      });
      bar.stop();
      for (const result of results) {
        process.stdout.write(
          `${result.projection}: generation ${result.generation} swapped in at position ${result.position}, ${result.processed} events in ${(result.durationMs / 1000).toFixed(1)} s` +
            `${result.resumed ? ` (resumed from ${result.fromPosition})` : ''}\n`,
        );
      }
    } catch (error) {
      bar.stop();
      if (error instanceof RebuildInterruptedError) {
        process.stdout.write(`interrupted (${error.projection} at position ${error.position}); run the command again to resume\n`);
        process.exitCode = 130;
        return;
      }
      throw error;
    }
  } finally {
    await side.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`rebuild failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
