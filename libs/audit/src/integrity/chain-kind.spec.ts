import type { RecordedEvent } from '@ppl/event-store';
import { exportLines } from '../export/export-events';
import { verifyExportLines } from '../export/verify-export';
import { eventStoreDbChain, readOnlyStore } from '../testing/eventstoredb-chain';
import { chainKindFor, chainOptionsFor, type ChainKind } from './chain-kind';
import { verifyIntegrity } from './verify-integrity';

const ESDB = { EVENT_STORE: 'eventstoredb' } as const;
const SQLITE = { EVENT_STORE: 'sqlite' } as const;

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('the hash chain of the configured store', () => {
  it('EVENT_STORE=eventstoredb verifies without positions and without a global link; sqlite with both', () => {
    expect(chainOptionsFor(ESDB)).toEqual({ positionsHashed: false, globalChain: false });
    expect(chainOptionsFor(SQLITE)).toEqual({ positionsHashed: true, globalChain: true });
  });

  it("an EventStoreDB chain verifies with the configured store's options, and not with SQLite's", async () => {
    const store = readOnlyStore(eventStoreDbChain(10));
    expect(await verifyIntegrity(store, { chain: chainOptionsFor(ESDB), pageSize: 4 })).toMatchObject({
      ok: true,
      checked: 10,
    });
    expect(await verifyIntegrity(store, { chain: chainOptionsFor(SQLITE) })).toMatchObject({
      ok: false,
      checked: 0,
    });
  });

  it('an altered EventStoreDB event is still caught at that event', async () => {
    const events = eventStoreDbChain(10);
    const target = events[6] as RecordedEvent;
    events[6] = { ...target, data: { note: 'forged' } };
    expect(await verifyIntegrity(readOnlyStore(events), { chain: chainOptionsFor(ESDB) })).toMatchObject({
      ok: false,
      checked: 6,
      firstBroken: { streamId: target.streamId, revision: target.revision, position: target.position },
    });
  });
});

describe('an export records the chain it carries', () => {
  const exported = (chain: ChainKind | undefined, partnershipId?: string) =>
    collect(
      exportLines(readOnlyStore(eventStoreDbChain(10)), {
        format: 'ndjson',
        exportedAt: '2026-02-01T00:00:00.000Z',
        chain,
        partnershipId,
        pageSize: 3,
      }),
    );

  it('an export of an EventStoreDB store says so and verifies on its own, whole or one stream', async () => {
    const all = await exported(chainKindFor(ESDB));
    expect(JSON.parse(all[0] as string)).toMatchObject({ kind: 'header', chain: 'eventstoredb', scope: 'all' });
    expect(verifyExportLines(all)).toMatchObject({ ok: true, checked: 10 });
    const one = await exported('eventstoredb', 'p-1');
    expect(verifyExportLines(one)).toMatchObject({ ok: true, checked: 3, scope: 'partnership-p-1' });
  });

  it('an EventStoreDB export with an altered event, or read as the SQLite chain, does not verify', async () => {
    const all = await exported('eventstoredb');
    const altered = [...all];
    const line = JSON.parse(altered[5] as string) as { data: unknown };
    altered[5] = JSON.stringify({ ...line, data: { note: 'forged' } });
    expect(verifyExportLines(altered)).toMatchObject({ ok: false, firstBroken: { line: 6 } });

    const header = JSON.parse(all[0] as string) as Record<string, unknown>;
    delete header.chain;
    expect(verifyExportLines([JSON.stringify(header), ...all.slice(1)])).toMatchObject({
      ok: false,
      firstBroken: { line: 2 },
    });
    expect(verifyExportLines([JSON.stringify({ ...header, chain: 'paper' }), ...all.slice(1)])).toMatchObject({
      ok: false,
      firstBroken: { line: 1, reason: 'unknown hash chain "paper"' },
    });
  });
});
