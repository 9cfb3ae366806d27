import { Command, Option } from 'commander';
import { ExportResumeMismatchError, chainKindFor, exportToFile } from '@ppl/audit';
import { createEventStore, createPersonalKeyStore, loadConfig } from '@ppl/config';
import { PersonalData } from '@ppl/privacy';
import { progress } from './support/progress';

/**
 * `npm run audit:export -- --partnership ID|--all --format ndjson|csv --out FILE [--fresh]`: the
 * record of one partnership or of the whole store, from the event store in DATA_DIR, with every
 * event's hash. An NDJSON export verifies standalone: `npm run audit:verify -- --file FILE`.
 * Personal fields: NDJSON keeps them sealed as stored (hashed) plus a `readableData` copy with
 * them opened, or `[redacted]` for a forgotten person; CSV shows the readable copy.
 * The lines go to FILE.partial, renamed to FILE once whole. Ctrl-C stops between two lines and
 * keeps the partial file; the same command resumes it right after its last line (after a crash
 * too: a torn last line is cut), `--fresh` starts over.
 */
async function main(): Promise<void> {
  const options = new Command('audit-export')
    .description('Export the event store (one partnership or all) as NDJSON (verifiable) or CSV')
    .option('--partnership <id>', 'export this partnership’s stream')
    .option('--all', 'export every stream')
    .addOption(
      new Option('--format <format>', 'output format').choices(['ndjson', 'csv']).default('ndjson'),
    )
    .requiredOption('--out <file>', 'file to write')
    .option('--fresh', 'discard an interrupted export of --out instead of resuming it', false)
    .parse(process.argv)
    .opts<{ partnership?: string; all?: boolean; format: 'ndjson' | 'csv'; out: string; fresh: boolean }>();
  if (Boolean(options.partnership) === Boolean(options.all)) {
    process.stderr.write('give exactly one of --partnership ID and --all\n');
    process.exitCode = 2;
    return;
  }

  const config = loadConfig();
  const store = createEventStore(config);
  const keys = await createPersonalKeyStore(config);
  const personalData = new PersonalData(keys);
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const head = await store.headPosition();
    const bar = progress(`exporting ${options.all ? 'all' : options.partnership}`, Math.max(head, 0));
    let exported = 0;
    try {
      const result = await exportToFile(store, {
        out: options.out,
        fresh: options.fresh,
        signal: abort.signal,
        partnershipId: options.partnership,
        format: options.format,
        exportedAt: new Date().toISOString(),
        reveal: (data) => personalData.revealDeep(data),
        chain: chainKindFor(config),
        onProgress: (read, n) => {
          exported = n;
          bar.update(Math.min(read, head), `${n} exported`);
        },
      });
      bar.stop();
      if (result.completed && result.resumed && result.resumedAfter === null) {
        // Interrupted after its last line: it was whole, only not renamed yet.
        process.stdout.write(`${result.path}: the interrupted export was already whole\n`);
        return;
      }
      const resumed = result.resumed ? ` (resumed after ${result.resumedAfter === -1 ? 'the header' : `position ${result.resumedAfter}`})` : '';
      if (!result.completed) {
        process.stdout.write(
          `interrupted: ${result.path} holds the events up to position ${result.lastPosition ?? 'none'}; run the same command again to resume, or add --fresh to start over\n`,
        );
        process.exitCode = 130;
        return;
      }
      process.stdout.write(`${exported} events in ${result.path} (${options.format})${resumed}\n`);
    } catch (error) {
      bar.stop();
      if (error instanceof ExportResumeMismatchError) {
        process.stderr.write(`${error.message}\n`);
        process.exitCode = 2;
        return;
      }
      throw error;
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await store.close();
    await keys.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `audit:export failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
});
