import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ppl/event-store';
import { P, readyToExecute } from '../../../domain/src/testing/fixtures';
import { LedgerBuilder } from '../testing/ledger-builder';
import { replayIntoStore } from '../testing/replay-into-store';
import { ExportResumeMismatchError, exportToFile, partialPathOf, type ExportFileOptions } from './export-file';
import { verifyExport } from './verify-export';

/**
 * An export to a file is safe to interrupt: interrupted (the signal) it keeps a partial file
 * beside the one asked for, never the file itself; run again it resumes after its last line,
 * a torn last line (a crash mid-write) cut first; the resumed file is byte for byte the one a
 * single run writes, and verifies. An interrupted export of something else is not resumed into.
 */
const root = mkdtempSync(join(tmpdir(), 'ppl-export-file-'));
let store: SqliteEventStore;
let n = 0;
const EXPORTED_AT = '2026-12-01T10:00:00.000Z';
const PAGE = 5;

beforeAll(async () => {
  const ledger = new LedgerBuilder();
  ledger.strategy({ type: 'DefineStrategy', themes: [{ themeId: 'work', name: 'Work', criteria: [] }], nonNegotiableValues: [], highestLegalFormWithoutBoardDecision: 'COVENANT' } as never);
  for (const command of readyToExecute) ledger.partnership(command);
  store = new SqliteEventStore({ path: join(root, 'events.sqlite'), durability: 'normal' });
  await replayIntoStore(store, ledger.events);
  expect((await store.readAll()).length).toBeGreaterThan(3 * PAGE);
});
afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

const out = () => join(root, `export-${++n}`);
const run = (file: string, options: Partial<ExportFileOptions> = {}) =>
  exportToFile(store, { out: file, format: 'ndjson', exportedAt: EXPORTED_AT, pageSize: PAGE, ...options });

/** An export stopped after its first page, as Ctrl-C stops it. */
async function interrupted(file: string, options: Partial<ExportFileOptions> = {}) {
  const abort = new AbortController();
  const result = await run(file, { ...options, signal: abort.signal, onProgress: () => abort.abort(), exportedAt: EXPORTED_AT });
  expect(result).toMatchObject({ completed: false, path: partialPathOf(file) });
  expect(existsSync(file)).toBe(false);
  return result;
}

async function oneShot(options: Partial<ExportFileOptions> = {}): Promise<string> {
  const file = out();
  const result = await run(file, options);
  expect(result).toMatchObject({ completed: true, path: file, resumed: false });
  expect(existsSync(partialPathOf(file))).toBe(false);
  return readFileSync(file, 'utf8');
}

describe('an export to a file', () => {
  it('interrupted, keeps a partial file with what it wrote; run again, resumes it into the file a single run writes, which verifies', async () => {
    const whole = await oneShot();
    const file = out();
    const first = await interrupted(file);
    expect(first.written).toBe(PAGE);
    const partial = readFileSync(partialPathOf(file), 'utf8').trimEnd().split('\n');
    expect(partial).toHaveLength(1 + PAGE); // the header and the first page, no trailer
    expect(partial.at(-1)).not.toContain('"kind":"end"');
    // The resumed run starts later: the file keeps the time the export started at.
    const resumed = await run(file, { exportedAt: '2026-12-02T00:00:00.000Z' });
    expect(resumed).toMatchObject({ completed: true, resumed: true, resumedAfter: first.lastPosition, path: file });
    expect(readFileSync(file, 'utf8')).toBe(whole);
    expect(existsSync(partialPathOf(file))).toBe(false);
    expect(existsSync(`${partialPathOf(file)}.json`)).toBe(false);
    expect((await verifyExport(file)).ok).toBe(true);
  });

  it.each([
    ['mid-line: cuts the torn line and resumes before it', (partial: string) => appendFileSync(partial, '{"kind":"event","position":99,"streamId":"partnersh')],
    ['before the header was whole: starts the file again', (partial: string) => writeFileSync(partial, '{"kind":"head')],
    ['after the trailer, before the rename: only renames it', (partial: string, whole: string) => writeFileSync(partial, whole)],
  ])('after a crash %s', async (_case, crash) => {
    const whole = await oneShot();
    const file = out();
    await interrupted(file);
    crash(partialPathOf(file), whole);
    expect((await run(file)).completed).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(whole);
  });

  it('resumes a CSV export and one partnership\'s export the same way', async () => {
    for (const options of [{ format: 'csv' as const }, { partnershipId: P }]) {
      const whole = await oneShot(options);
      const file = out();
      const abort = new AbortController();
      expect((await run(file, { ...options, signal: abort.signal, onProgress: () => abort.abort() })).completed).toBe(false);
      expect((await run(file, options)).completed).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(whole);
    }
  });

  it('does not resume an interrupted export of another scope or format into this one: refused by name, the partial file untouched; --fresh starts over', async () => {
    const file = out();
    await interrupted(file);
    const before = readFileSync(partialPathOf(file));
    await expect(run(file, { partnershipId: P })).rejects.toThrow(ExportResumeMismatchError);
    await expect(run(file, { format: 'csv' })).rejects.toThrow(/interrupted export of all \(ndjson/);
    expect(readFileSync(partialPathOf(file)).equals(before)).toBe(true);
    const fresh = await run(file, { partnershipId: P, fresh: true });
    expect(fresh).toMatchObject({ completed: true, resumed: false });
    expect(readFileSync(file, 'utf8')).toBe(await oneShot({ partnershipId: P }));
  });
});
