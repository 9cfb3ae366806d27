import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeReadModelContract } from '../testing/read-model.contract';
import { EmbeddedReadModelStore } from './embedded-read-model';
import type { Document, Filter, Page } from '../read-model.port';

describeReadModelContract('embedded (better-sqlite3)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ppl-read-model-'));
  return {
    open: (projections) => Promise.resolve(EmbeddedReadModelStore.open({ dataDir, projections })),
    dispose: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
  };
});

describe('embedded read model: query plans', () => {
  it('uses the declared expression indexes for filters and sorts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ppl-read-model-'));
    const store = EmbeddedReadModelStore.open({
      dataDir,
      projections: [
        {
          name: 'p',
          version: 1,
          collections: [{ name: 'rows', indexes: { phase: 'string', health: 'number' } }],
        },
      ],
    });
    try {
      await store.commit(
        'p',
        [{ op: 'put', collection: 'rows', id: 'a', doc: { phase: 'SHARE', health: 1 } }],
        1,
      );
      const plan = (store as unknown as { db: import('better-sqlite3').Database }).db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM "r_rows_g1" WHERE "f_phase" = ? ORDER BY "f_phase", id`,
        )
        .all('SHARE') as { detail: string }[];
      expect(plan.map((p) => p.detail).join('\n')).toMatch(
        /USING (COVERING )?INDEX r_rows_g1__phase/,
      );
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('embedded read model: broad filters on large collections', () => {
  it('pages through thousands of matches in sort order, each once, whichever plan it picks', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ppl-read-model-'));
    const store = EmbeddedReadModelStore.open({
      dataDir,
      projections: [{ name: 'p', version: 1, collections: [{ name: 'rows', indexes: { phase: 'string', name: 'string' } }] }],
    });
    try {
      const docs = Array.from({ length: 3000 }, (_, i) => ({ id: `r${i}`, phase: i % 6 === 0 ? 'ENDED' : 'SHARE', name: `name ${(i * 7919) % 3000}`, padding: 'x'.repeat(500) }));
      await store.commit('p', docs.map((doc) => ({ op: 'put' as const, collection: 'rows', id: doc.id, doc })), 1);
      const expected = docs
        .filter((d) => d.phase === 'SHARE')
        .sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : a.id < b.id ? 1 : -1))
        .map((d) => d.id);
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: Page = await store.find('rows', { filter: { phase: 'SHARE' }, sort: [{ field: 'name', direction: 'desc' }], first: 250, after });
        expect(page.totalCount).toBe(2500); // above the threshold where the sort index is walked
        seen.push(...page.items.map((d) => d.id as string));
        if (!page.hasNextPage) break;
        after = page.endCursor;
      }
      expect(seen).toEqual(expected);
      // Backward over the same index, from the end: the same order, each once, with exact flags.
      const back: string[][] = [];
      let before: string | null = null;
      for (;;) {
        const page: Page = await store.find('rows', { filter: { phase: 'SHARE' }, sort: [{ field: 'name', direction: 'desc' }], last: 300, before });
        expect(page.hasNextPage).toBe(before !== null);
        back.unshift(page.items.map((d) => d.id as string));
        if (!page.hasPreviousPage) break;
        before = page.startCursor;
      }
      expect(back.flat()).toEqual(expected);
      expect(back[0]).toHaveLength(2500 % 300);
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('embedded read model: text and array filters', () => {
  it('matches case-insensitive substrings and whole array elements exactly, whatever the characters', async () => {
    const store = EmbeddedReadModelStore.open({
      filename: ':memory:',
      projections: [{ name: 'p', version: 1, collections: [{ name: 'rows', indexes: { name: 'string', tags: 'string[]' } }] }],
    });
    try {
      const docs: [string, string, string[]][] = [
        ['a', 'xA\u0000by', ['a,', ',b']],
        ['b', 'xa', ['a', 'b']],
        ['c', 'ÅNGSTRÖM 50%', ['50%', 'x"y']],
        ['d', 'angstrom_50', ['ÅB', 'åb']],
      ];
      await store.commit('p', docs.map(([id, name, tags]) => ({ op: 'put' as const, collection: 'rows', id, doc: { name, tags } })), 1);
      const ids = async (filter: Filter): Promise<string[]> =>
        (await store.find('rows', { filter, first: 10 })).items.map((d) => docs.find(([, name]) => name === d.name)?.[0] ?? '?');
      expect(await ids({ name: { contains: 'a\u0000B' } })).toEqual(['a']);
      expect(await ids({ name: { contains: 'XA' } })).toEqual(['a', 'b']);
      expect(await ids({ name: { contains: 'ångström' } })).toEqual(['c']);
      expect(await ids({ name: { contains: '_5' } })).toEqual(['d']);
      expect(await ids({ name: { contains: '0%' } })).toEqual(['c']);
      expect(await ids({ tags: { has: ',' } })).toEqual([]);
      expect(await ids({ tags: { has: 'a,' } })).toEqual(['a']);
      expect(await ids({ tags: { has: 'A' } })).toEqual([]);
      expect(await ids({ tags: { has: 'x"y' } })).toEqual(['c']);
      expect(await ids({ tags: { has: 'åb' } })).toEqual(['d']);
      expect(await ids({ tags: { hasAll: ['a', 'b'] } })).toEqual(['b']);
      expect(await ids({ tags: { hasAny: ['%', '50%'] } })).toEqual(['c']);
      expect(await store.count('rows', { tags: { has: 'b' } })).toBe(1);
    } finally {
      await store.close();
    }
  });
});

describe('embedded read model: rebuild generations', () => {
  it('fills a shadow without secondary indexes and builds them when swapping it in', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ppl-read-model-'));
    const store = EmbeddedReadModelStore.open({
      dataDir,
      projections: [{ name: 'p', version: 1, collections: [{ name: 'rows', indexes: { phase: 'string', health: 'number' } }] }],
    });
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    const indexesOf = (generation: number): string[] =>
      (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name`).all(`r_rows_g${generation}`) as { name: string }[]).map((r) => r.name);
    try {
      const writer = await store.beginRebuild('p');
      const docs = Array.from({ length: 2500 }, (_, i) => ({ id: `r${String(i).padStart(4, '0')}`, phase: i % 2 === 0 ? 'SHARE' : 'ENDED', health: i % 7 }));
      await writer.commit(docs.map((doc) => ({ op: 'put' as const, collection: 'rows', id: doc.id, doc })), 1);
      expect(indexesOf(writer.generation)).toEqual([]);
      // Queries on the shadow stay correct without them.
      const page = await writer.find('rows', { filter: { phase: 'SHARE' }, sort: [{ field: 'health', direction: 'desc' }], first: 3 });
      expect(page.totalCount).toBe(1250);
      expect(page.items.map((d) => d.health)).toEqual([6, 6, 6]);

      // Interrupted and resumed, it stays without them until the swap.
      const resumed = await store.beginRebuild('p');
      expect(resumed.resumed).toBe(true);
      expect(indexesOf(resumed.generation)).toEqual([]);
      await resumed.swapIn();
      expect(indexesOf(resumed.generation)).toEqual([`r_rows_g${resumed.generation}__health`, `r_rows_g${resumed.generation}__phase`]);
      const active = await store.find('rows', { filter: { phase: 'SHARE' }, sort: [{ field: 'health', direction: 'desc' }], first: 3 });
      expect(active).toEqual(page);
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stores declared fields as SQLite reads them from the JSON text (integers, reals, booleans, arrays, missing)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ppl-read-model-'));
    const store = EmbeddedReadModelStore.open({
      dataDir,
      projections: [{ name: 'p', version: 1, collections: [{ name: 'rows', indexes: { n: 'number', ok: 'boolean', tags: 'string[]', 'a.b': 'string' } }] }],
    });
    const db = (store as unknown as { db: import('better-sqlite3').Database }).db;
    try {
      const docs: Document[] = [
        { id: 'x', n: 3, ok: true, tags: ['a', 'é"'], a: { b: 'deep' } },
        { id: 'y', n: 2.5, ok: false, tags: [] },
        { id: 'z', n: null },
      ];
      await store.commit('p', docs.map((doc) => ({ op: 'put' as const, collection: 'rows', id: String(doc.id), doc })), 1);
      const columns = db
        .prepare(`SELECT f.id, ${['f_n', 'f_ok', 'f_tags', 'f_a__b'].map((c) => `f."${c}" IS ${c.replace('f_', 'x_')} AS same_${c}`).join(', ')} FROM "r_rows_g1" AS f JOIN (SELECT id, ${[['n', 'f_n'], ['ok', 'f_ok'], ['tags', 'f_tags'], ['a.b', 'f_a__b']].map(([path, c]) => `json_extract(doc, '$.${path}') AS ${c.replace('f_', 'x_')}, typeof(json_extract(doc, '$.${path}')) AS t_${c}`).join(', ')} FROM "r_rows_g1__docs") AS d ON d.id = f.id ORDER BY f.id`)
        .all() as Record<string, unknown>[];
      for (const row of columns) for (const [key, value] of Object.entries(row)) if (key.startsWith('same_')) expect([row.id, key, value]).toEqual([row.id, key, 1]);
      const types = db.prepare(`SELECT id, typeof(f_n) AS n, typeof(f_ok) AS ok FROM "r_rows_g1" ORDER BY id`).all();
      expect(types).toEqual([
        { id: 'x', n: 'integer', ok: 'integer' },
        { id: 'y', n: 'real', ok: 'integer' },
        { id: 'z', n: 'null', ok: 'null' },
      ]);
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
