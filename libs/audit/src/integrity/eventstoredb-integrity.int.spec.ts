import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { EventStoreDbEventStore, type NewEvent } from '@ppl/event-store';
import { exportLines } from '../export/export-events';
import { verifyExportLines } from '../export/verify-export';
import { readAllPaged } from '../store-reading';
import { chainKindFor, chainOptionsFor } from './chain-kind';
import { IntegrityChecker } from './verify-integrity';

/**
 * Integrity of what the EventStoreDB adapter really writes, verified with the options chosen
 * for EVENT_STORE=eventstoredb. Against a real server only; never mocked.
 */
const url = process.env.EVENTSTORE_URL;
const HOW = 'set EVENTSTORE_URL=esdb://localhost:2113?tls=false to run it';
const config = { EVENT_STORE: 'eventstoredb' } as const;

const note = (text: string): NewEvent => ({
  id: randomUUID(),
  type: 'NoteTaken',
  schemaVersion: 1,
  data: { text },
  metadata: { actor: { id: 'clerk' } },
});

if (url) {
  describe('integrity on EventStoreDB', () => {
    it('the chains the adapter writes verify with the EventStoreDB options, and the export of one stream verifies on its own', async () => {
      const store = new EventStoreDbEventStore({ connectionString: url });
      try {
        // Fresh streams on a shared server: only they are checked.
        const prefix = `partnership-integrity-${randomUUID()}`;
        const streams = [`${prefix}-a`, `${prefix}-b`];
        for (let i = 0; i < 6; i++) {
          const streamId = streams[i % 2] as string;
          await store.append(streamId, [note(`${i}.1`), note(`${i}.2`)], {
            expectedRevision: i < 2 ? 'no_stream' : i - (i % 2) - 1,
          });
        }
        const ours = () => readAllPaged(store, { streamPrefixes: [prefix] }, 5);
        const checker = new IntegrityChecker({ chain: chainOptionsFor(config) });
        for await (const event of ours()) checker.check(event);
        expect(checker.finish()).toMatchObject({ ok: true, checked: 12 });

        const withSqliteOptions = new IntegrityChecker();
        for await (const event of ours()) withSqliteOptions.check(event);
        expect(withSqliteOptions.finish().ok).toBe(false);

        const lines: string[] = [];
        for await (const line of exportLines(store, {
          partnershipId: `${prefix.slice('partnership-'.length)}-a`,
          format: 'ndjson',
          exportedAt: new Date().toISOString(),
          chain: chainKindFor(config),
        }))
          lines.push(line);
        expect(verifyExportLines(lines)).toMatchObject({ ok: true, checked: 6 });
      } finally {
        await store.close();
      }
    }, 60_000);
  });
} else {
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPED: EventStoreDB integrity suite (EVENTSTORE_URL is not set).\n!! ${HOW}\n${'!'.repeat(78)}\n`,
  );
  describe(`SKIPPED: EventStoreDB integrity suite — ${HOW}`, () => {
    it.skip(`SKIPPED: EventStoreDB integrity suite — ${HOW}`, () => undefined);
  });
}
