import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type RecordedEvent } from '@ppl/event-store';
import { P, readyToExecute } from '../../../domain/src/testing/fixtures';
import { escalationCompliance } from '../compliance/escalation-compliance';
import { exportLines } from '../export/export-events';
import { verifyExport } from '../export/verify-export';
import { LedgerBuilder } from '../testing/ledger-builder';
import { replayIntoStore } from '../testing/replay-into-store';
import { readSqliteStreamHeads } from './sqlite-stream-heads';
import { verifyIntegrity } from './verify-integrity';

/**
 * Tamper evidence on the real embedded store: rows altered, deleted and reordered in the SQLite
 * file behind the store's back (as someone with file access would), each caught.
 */
const root = mkdtempSync(join(tmpdir(), 'ppl-audit-tamper-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

async function seededStore(): Promise<{ file: string; events: RecordedEvent[] }> {
  const ledger = new LedgerBuilder();
  ledger.defineStrategy();
  ledger.strategy({
    type: 'SetEscalationRule',
    rule: {
      ruleId: 'execute-board',
      trigger: 'PHASE_ENTERED',
      params: { phase: 'EXECUTE' },
      body: 'BOARD',
      level: 'MANDATORY',
      deadlineDays: 14,
    },
  } as never);
  for (const command of readyToExecute) ledger.partnership(command);
  const file = join(root, `store-${++n}`, 'events.sqlite');
  const store = new SqliteEventStore({ path: file, durability: 'normal' });
  await replayIntoStore(store, ledger.events);
  const events = await store.readAll();
  await store.close();
  return { file, events };
}

async function verifyFile(file: string, withHeads = true) {
  const store = new SqliteEventStore({ path: file, durability: 'normal' });
  try {
    return await verifyIntegrity(store, {
      pageSize: 7,
      streamHeads: withHeads ? readSqliteStreamHeads(file) : undefined,
    });
  } finally {
    await store.close();
  }
}

function tamper(file: string, sql: string, ...params: unknown[]): void {
  const db = new Database(file);
  db.prepare(sql).run(...params);
  db.close();
}

describe('tamper evidence on the SQLite file', () => {
  it('an untouched store verifies, reporting its last hash', async () => {
    const { file, events } = await seededStore();
    const last = events[events.length - 1];
    expect(await verifyFile(file)).toEqual({
      ok: true,
      checked: events.length,
      lastHash: last?.hash,
      lastPosition: last?.position,
      firstBroken: null,
    });
  });

  it('an altered row is caught at that row', async () => {
    const { file, events } = await seededStore();
    const target = events[10] as RecordedEvent;
    tamper(
      file,
      `UPDATE events SET data = json_set(data, '$.description', 'forged') WHERE position = ?`,
      target.position,
    );
    const report = await verifyFile(file);
    expect(report).toMatchObject({
      ok: false,
      checked: 10,
      firstBroken: {
        streamId: target.streamId,
        revision: target.revision,
        position: target.position,
      },
    });
  });

  it('an altered row whose hash was recomputed without the chain is caught at the next event', async () => {
    const { file, events } = await seededStore();
    const target = events[10] as RecordedEvent;
    tamper(
      file,
      `UPDATE events SET metadata = json_set(metadata, '$.actor.id', 'someone-else'), hash = ? WHERE position = ?`,
      'f'.repeat(64),
      target.position,
    );
    const report = await verifyFile(file);
    expect(report.ok).toBe(false);
    expect(report.firstBroken?.position).toBe(target.position);
  });

  it('a deleted row is caught at the event after it', async () => {
    const { file, events } = await seededStore();
    const target = events[12] as RecordedEvent;
    const next = events[13] as RecordedEvent;
    tamper(file, 'DELETE FROM events WHERE position = ?', target.position);
    const report = await verifyFile(file);
    expect(report).toMatchObject({
      ok: false,
      checked: 12,
      firstBroken: { position: next.position, streamId: next.streamId },
    });
  });

  it('deleting the newest event leaves a valid chain, but the stream index catches it', async () => {
    const { file, events } = await seededStore();
    const last = events[events.length - 1] as RecordedEvent;
    tamper(file, 'DELETE FROM events WHERE position = ?', last.position);
    expect((await verifyFile(file, false)).ok).toBe(true);
    const report = await verifyFile(file);
    expect(report).toMatchObject({
      ok: false,
      firstBroken: { streamId: last.streamId, revision: last.revision, position: -1 },
    });
    expect(report.firstBroken?.reason).toContain('events were removed');
  });

  it('a store appended to while it is checked verifies (the stream index was read before the new events)', async () => {
    const { file, events } = await seededStore();
    const heads = readSqliteStreamHeads(file);
    const store = new SqliteEventStore({ path: file, durability: 'normal' });
    try {
      const last = events[events.length - 1] as RecordedEvent;
      await store.append(last.streamId, [{ id: '9f8fad5b-d9cb-469f-a165-70867728950e', type: 'PartnershipReviewed', schemaVersion: 1, data: {}, metadata: {} }], {
        expectedRevision: last.revision,
      });
      await store.append('partnership-later', [{ id: '8f8fad5b-d9cb-469f-a165-70867728950e', type: 'PartnershipReviewed', schemaVersion: 1, data: {}, metadata: {} }]);
      expect(await verifyIntegrity(store, { pageSize: 7, streamHeads: heads })).toMatchObject({ ok: true, checked: events.length + 2, firstBroken: null });
    } finally {
      await store.close();
    }
  });

  it('a stream rewritten behind the index, its chain recomputed, is caught by the hash the index keeps', async () => {
    const { file, events } = await seededStore();
    const heads = readSqliteStreamHeads(file);
    const last = events[events.length - 1] as RecordedEvent;
    const forged = heads.map((h) => (h.streamId === last.streamId ? { ...h, lastHash: 'f'.repeat(64) } : h));
    const store = new SqliteEventStore({ path: file, durability: 'normal' });
    try {
      const report = await verifyIntegrity(store, { pageSize: 7, streamHeads: forged });
      expect(report).toMatchObject({ ok: false, firstBroken: { streamId: last.streamId, revision: last.revision, position: -1 } });
      expect(report.firstBroken?.reason).toContain('rewritten');
    } finally {
      await store.close();
    }
  });

  it('two rows swapped in the global order are caught at the first of them', async () => {
    const { file, events } = await seededStore();
    const a = events[8] as RecordedEvent;
    const b = events[9] as RecordedEvent;
    const db = new Database(file);
    db.transaction(() => {
      db.prepare('UPDATE events SET position = -1 WHERE position = ?').run(a.position);
      db.prepare('UPDATE events SET position = ? WHERE position = ?').run(a.position, b.position);
      db.prepare('UPDATE events SET position = ? WHERE position = -1').run(b.position);
    })();
    db.close();
    const report = await verifyFile(file);
    expect(report).toMatchObject({ ok: false, checked: 8, firstBroken: { position: a.position } });
  });

  it('a breach planted through the store keeps a valid chain, and compliance finds it', async () => {
    const { file } = await seededStore();
    const store = new SqliteEventStore({ path: file, durability: 'normal' });
    await store.append(`partnership-${P}`, [
      {
        id: '00000000-0000-4000-8000-00000000beef',
        type: 'PhaseAdvanced',
        schemaVersion: 1,
        data: {
          from: 'DESIGN',
          to: 'EXECUTE',
          authorisedBy: ['dec-never-taken'],
          at: '2025-02-01T09:00:00.000Z',
        },
        metadata: { actor: { id: 'intruder' }, businessTime: '2025-02-01T09:00:00.000Z' },
      },
    ]);
    const all = await store.readAll();
    await store.close();
    expect((await verifyFile(file)).ok).toBe(true);
    const report = escalationCompliance(all, { now: '2025-03-01T00:00:00.000Z', partnershipId: P });
    expect(report.compliant).toBe(false);
    expect(report.entries.find((e) => e.verdict === 'BREACH')).toMatchObject({
      body: 'BOARD',
      level: 'MANDATORY',
      triggerEvent: { type: 'PhaseAdvanced', position: all[all.length - 1]?.position },
      reasons: expect.arrayContaining(['dec-never-taken: no such decision']),
    });
  });
});

describe('NDJSON export', () => {
  async function exportTo(file: string, out: string, partnershipId?: string): Promise<void> {
    const store = new SqliteEventStore({ path: file, durability: 'normal' });
    const lines: string[] = [];
    for await (const line of exportLines(store, {
      format: 'ndjson',
      exportedAt: '2026-01-01T00:00:00.000Z',
      pageSize: 5,
      partnershipId,
    }))
      lines.push(line);
    await store.close();
    writeFileSync(out, `${lines.join('\n')}\n`);
  }

  it('verifies standalone, for the whole store and for one partnership', async () => {
    const { file, events } = await seededStore();
    await exportTo(file, join(root, 'all.ndjson'));
    expect(await verifyExport(join(root, 'all.ndjson'))).toMatchObject({
      ok: true,
      scope: 'all',
      checked: events.length,
      lastHash: events[events.length - 1]?.hash,
    });
    await exportTo(file, join(root, 'one.ndjson'), P);
    const own = events.filter((e) => e.streamId === `partnership-${P}`);
    expect(await verifyExport(join(root, 'one.ndjson'))).toMatchObject({
      ok: true,
      scope: `partnership-${P}`,
      checked: own.length,
    });
  });

  it('fails once a line is altered, removed or the file cut short', async () => {
    const { file } = await seededStore();
    const out = join(root, 'tampered.ndjson');
    await exportTo(file, out);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    const forge = (line: string) => {
      const event = JSON.parse(line) as { data: Record<string, unknown> };
      return JSON.stringify({ ...event, data: { ...event.data, at: '2024-12-31T00:00:00.000Z' } });
    };
    const altered = lines.map((l, i) => (i === 6 ? forge(l) : l));
    expect(altered[6]).not.toEqual(lines[6]);
    writeFileSync(out, altered.join('\n'));
    expect(await verifyExport(out)).toMatchObject({ ok: false, firstBroken: { line: 7 } });

    writeFileSync(out, lines.filter((_, i) => i !== 4).join('\n'));
    expect(await verifyExport(out)).toMatchObject({ ok: false, firstBroken: { line: 5 } });

    writeFileSync(out, lines.slice(0, -3).join('\n'));
    expect(await verifyExport(out)).toMatchObject({
      ok: false,
      firstBroken: { reason: expect.stringContaining('truncated') },
    });
  });
});
