import { Command } from 'commander';
import { chainOptionsFor, streamHeadsFor, verifyExport, verifyIntegrity } from '@ppl/audit';
import { createEventStore, loadConfig } from '@ppl/config';
import { progress } from './support/progress';

/**
 * `npm run audit:verify`: recomputes the hash chains of the configured store (EVENT_STORE: the
 * SQLite store in DATA_DIR, with its stream index, or EventStoreDB), or with `--file FILE` checks
 * an NDJSON export on its own (its header names the chain it carries). Exit code 0 when
 * everything verifies, 1 when a link is broken, 2 when the check could not run.
 */
async function main(): Promise<void> {
  const options = new Command('audit-verify')
    .description('Verify the tamper-evident hash chains of the event store, or of an NDJSON export')
    .option('--file <file>', 'an NDJSON export (npm run audit:export) to verify standalone')
    .option('--json', 'print the report as JSON')
    .parse(process.argv)
    .opts<{ file?: string; json?: boolean }>();

  if (options.file) {
    const verdict = await verifyExport(options.file);
    if (options.json) process.stdout.write(`${JSON.stringify(verdict)}\n`);
    else if (verdict.ok)
      process.stdout.write(
        `OK: ${options.file} (${verdict.scope}) verifies: ${verdict.checked} events, last hash ${verdict.lastHash}\n`,
      );
    else {
      const b = verdict.firstBroken;
      process.stdout.write(
        `BROKEN: ${options.file} line ${b?.line}${b?.streamId ? ` (stream ${b.streamId}, revision ${b.revision}, position ${b.position})` : ''}: ${b?.reason}\n`,
      );
    }
    process.exitCode = verdict.ok ? 0 : 1;
    return;
  }

  const config = loadConfig();
  const streamHeads = streamHeadsFor(config);
  const store = createEventStore(config);
  try {
    const head = await store.headPosition();
    const bar = progress('verifying', Math.max(head, 0));
    let checked = 0;
    const report = await verifyIntegrity(store, {
      streamHeads,
      // EVENT_STORE=eventstoredb: that adapter's chain hashes no positions and has no global link.
      chain: chainOptionsFor(config),
      onProgress: (n, position) => {
        checked += n;
        bar.update(Math.min(position, head), `${checked} events`);
      },
    });
    bar.stop();
    if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else if (report.ok)
      process.stdout.write(
        `OK: ${report.checked} events verify; last position ${report.lastPosition ?? '-'}, last hash ${report.lastHash ?? '-'}\n`,
      );
    else {
      const b = report.firstBroken;
      process.stdout.write(
        `BROKEN after ${report.checked} verified events: stream ${b?.streamId}, revision ${b?.revision}, position ${b?.position}: ${b?.reason}\n`,
      );
    }
    process.exitCode = report.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `audit:verify failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
});
