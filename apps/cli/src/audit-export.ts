import { Command, Option } from 'commander';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { chainKindFor, exportLines } from '@ppl/audit';
import { createEventStore, createPersonalKeyStore, loadConfig } from '@ppl/config';
import { PersonalData } from '@ppl/privacy';
import { progress } from './support/progress';

/**
 * `npm run audit:export -- --partnership ID|--all --format ndjson|csv --out FILE`: the record
 * of one partnership or of the whole store, from the event store in DATA_DIR, with every
 * event's hash. An NDJSON export verifies standalone: `npm run audit:verify -- --file FILE`.
 * Personal fields: NDJSON keeps them sealed as stored (hashed) plus a `readableData` copy with
 * them opened, or `[redacted]` for a forgotten person; CSV shows the readable copy.
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
    .parse(process.argv)
    .opts<{ partnership?: string; all?: boolean; format: 'ndjson' | 'csv'; out: string }>();
  if (Boolean(options.partnership) === Boolean(options.all)) {
    process.stderr.write('give exactly one of --partnership ID and --all\n');
    process.exitCode = 2;
    return;
  }

  const config = loadConfig();
  const store = createEventStore(config);
  const keys = await createPersonalKeyStore(config);
  const personalData = new PersonalData(keys);
  const out = createWriteStream(options.out, { encoding: 'utf8' });
  try {
    const head = await store.headPosition();
    const bar = progress(
      `exporting ${options.all ? 'all' : options.partnership}`,
      Math.max(head, 0),
    );
    let exported = 0;
    for await (const line of exportLines(store, {
      partnershipId: options.partnership,
      format: options.format,
      exportedAt: new Date().toISOString(),
      reveal: (data) => personalData.revealDeep(data),
      chain: chainKindFor(config),
      onProgress: (_read, n, _head) => {
        exported = n;
        bar.update(Math.min(_read, head), `${n} exported`);
      },
    })) {
      if (!out.write(`${line}\n`)) await once(out, 'drain');
    }
    bar.update(Math.max(head, 0), `${exported} exported`);
    bar.stop();
    out.end();
    await once(out, 'finish');
    process.stdout.write(`${exported} events written to ${options.out} (${options.format})\n`);
  } finally {
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
