/**
 * The one contract every ReadModelStore adapter passes: same inputs → same results, same order.
 *
 *   describeReadModelContract('embedded', async () => ({ open: (schemas) => ..., dispose: ... }));
 *
 * `open` must open a store over the SAME storage each time it is called (durability tests close
 * and reopen it); `dispose` removes that storage.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  CheckpointConflictError,
  DocumentNotFoundError,
  InvalidChangeError,
  InvalidQueryError,
  RebuildStaleError,
  UndeclaredFieldError,
  UnknownCollectionError,
} from '../errors';
import {
  defineCollection,
  NO_CHECKPOINT,
  patch,
  put,
  remove,
  type Document,
  type FieldCondition,
  type Filter,
  type FindQuery,
  type JsonValue,
  type Page,
  type ProjectionSchema,
  type ReadModelStore,
  type Scalar,
  type SortKey,
} from '../read-model.port';

export interface ReadModelHarness {
  open(projections: readonly ProjectionSchema[]): Promise<ReadModelStore>;
  dispose(): Promise<void>;
}

export const partnerships = defineCollection({
  name: 'partnerships',
  indexes: {
    name: 'string',
    phase: 'string',
    health: 'number',
    ended: 'boolean',
    updatedAt: 'string',
    partyOrganisationIds: 'string[]',
    signals: 'string[]',
    scores: 'number[]',
    'metrics.spread': 'number',
  },
});
export const escalations = defineCollection({
  name: 'escalations',
  indexes: { body: 'string', overdue: 'boolean' },
});
export const organisations = defineCollection({
  name: 'organisations',
  indexes: { name: 'string' },
});

export const portfolioSchema: ProjectionSchema = {
  name: 'portfolio',
  version: 1,
  collections: [partnerships, escalations],
};
export const organisationsSchema: ProjectionSchema = {
  name: 'organisations',
  version: 1,
  collections: [organisations],
};
const schemas = [portfolioSchema, organisationsSchema];

type Row = Document & { id: string };

const rows: Row[] = [
  {
    id: 'p1',
    name: 'Werkplein Noord',
    phase: 'EXPLORE',
    health: 3,
    ended: false,
    updatedAt: '2024-01-05',
    partyOrganisationIds: ['o1', 'o2'],
    signals: [],
    scores: [1, 3],
    metrics: { spread: 1 },
  },
  {
    id: 'p2',
    name: 'Zorgnetwerk Oost',
    phase: 'SHARE',
    health: 4.5,
    ended: false,
    updatedAt: '2024-02-01',
    partyOrganisationIds: ['o2', 'o3'],
    signals: ['STAGNATION'],
    scores: [5],
    metrics: { spread: 2 },
  },
  {
    id: 'p3',
    name: 'werkwinkel',
    phase: 'SHARE',
    health: 2,
    ended: true,
    updatedAt: '2024-01-05',
    partyOrganisationIds: ['o1'],
    signals: ['STAGNATION', 'NO_DOING'],
    scores: [],
    metrics: { spread: 0 },
  },
  {
    id: 'p4',
    name: 'Leerplatform ÉÉN',
    phase: 'EXECUTE',
    health: null,
    ended: false,
    updatedAt: '2023-12-31',
    partyOrganisationIds: [],
    signals: ['PHASES_SKIPPED'],
    scores: [2, 4],
  },
  {
    id: 'p5',
    name: 'Buurtwerk 100%_a',
    phase: 'EXECUTE',
    ended: false,
    partyOrganisationIds: ['o3'],
    signals: ['NO_DOING'],
  },
  {
    id: 'p6',
    name: 'Regio.Werk (pilot)',
    phase: 'AGREE',
    health: 4.5,
    updatedAt: '2024-02-01',
    partyOrganisationIds: ['o1', 'o3'],
    signals: ['STAGNATION'],
    scores: [3],
    metrics: {},
  },
];

const ids = (items: readonly Document[]): string[] => items.map((d) => d.id as string);

async function pageThrough(
  store: ReadModelStore,
  collection: string,
  query: FindQuery,
  first: number,
): Promise<{ ids: string[]; totals: number[]; cursors: string[] }> {
  const seen: string[] = [];
  const totals: number[] = [];
  const cursors: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page: Page = await store.find(collection, { ...query, first, after });
    seen.push(...ids(page.items));
    totals.push(page.totalCount);
    // One cursor per item, the last of them the endCursor; something precedes every page but the first.
    expect(page.cursors).toHaveLength(page.items.length);
    expect(page.endCursor).toBe(page.cursors.at(-1) ?? null);
    expect(page.startCursor).toBe(page.cursors[0] ?? null);
    expect(page.hasPreviousPage).toBe(after !== null);
    cursors.push(...page.cursors);
    if (!page.hasNextPage) return { ids: seen, totals, cursors };
    expect(page.endCursor).not.toBeNull();
    after = page.endCursor;
  }
  throw new Error('pagination did not terminate');
}

/** Pages backward from the end (`last`, then `before` = the startCursor) and joins the pages. */
async function pageBackThrough(store: ReadModelStore, collection: string, query: FindQuery, last: number): Promise<string[]> {
  const pages: string[][] = [];
  let before: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page: Page = await store.find(collection, { ...query, last, before });
    pages.unshift(ids(page.items));
    expect(page.cursors).toHaveLength(page.items.length);
    expect(page.startCursor).toBe(page.cursors[0] ?? null);
    expect(page.hasNextPage).toBe(before !== null);
    if (!page.hasPreviousPage) return pages.flat();
    before = page.startCursor;
  }
  throw new Error('backward pagination did not terminate');
}

// ---------------------------------------------------------------------------------------------
// A reference evaluator: the oracle both adapters are compared with.
// ---------------------------------------------------------------------------------------------

function valueAt(doc: Row, path: string): JsonValue {
  if (path === 'id') return doc.id;
  let current: JsonValue | undefined = doc;
  for (const key of path.split('.')) {
    current =
      current !== null && typeof current === 'object' && !Array.isArray(current)
        ? current[key]
        : undefined;
  }
  return current === undefined ? null : current;
}

function compare(a: JsonValue, b: JsonValue): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'boolean' || typeof b === 'boolean') return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function conditionMatches(v: JsonValue, c: FieldCondition): boolean {
  const isNull = v === null;
  const inList = (list: readonly (Scalar | null)[]) =>
    list.some((x) => (x === null ? isNull : v === x));
  const ranged = (x: string | number, ok: (n: number) => boolean) =>
    !isNull && typeof v === typeof x && ok(compare(v, x));
  const array = Array.isArray(v) ? v : [];
  return (
    (c.eq === undefined || (c.eq === null ? isNull : v === c.eq)) &&
    (c.ne === undefined || (c.ne === null ? !isNull : v !== c.ne)) &&
    (c.in === undefined || inList(c.in)) &&
    (c.nin === undefined || !inList(c.nin)) &&
    (c.lt === undefined || ranged(c.lt, (n) => n < 0)) &&
    (c.lte === undefined || ranged(c.lte, (n) => n <= 0)) &&
    (c.gt === undefined || ranged(c.gt, (n) => n > 0)) &&
    (c.gte === undefined || ranged(c.gte, (n) => n >= 0)) &&
    (c.contains === undefined ||
      (typeof v === 'string' && v.toLowerCase().includes(c.contains.toLowerCase()))) &&
    (c.has === undefined || array.includes(c.has)) &&
    (c.hasAny === undefined || c.hasAny.some((x) => array.includes(x))) &&
    (c.hasAll === undefined || c.hasAll.every((x) => array.includes(x))) &&
    (c.exists === undefined || c.exists === !isNull)
  );
}

export function referenceMatches(doc: Row, filter: Filter): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (condition === undefined) return true;
    if (key === 'and') return (condition as Filter[]).every((f) => referenceMatches(doc, f));
    if (key === 'or') return (condition as Filter[]).some((f) => referenceMatches(doc, f));
    const c =
      condition === null || typeof condition !== 'object'
        ? { eq: condition as Scalar | null }
        : (condition as FieldCondition);
    return conditionMatches(valueAt(doc, key), c);
  });
}

export function referenceFind(
  docs: readonly Row[],
  filter: Filter,
  sort: readonly SortKey[],
): string[] {
  const keys = [...sort, { field: 'id', direction: 'asc' as const }];
  return docs
    .filter((d) => referenceMatches(d, filter))
    .sort((a, b) => {
      for (const key of keys) {
        const c = compare(valueAt(a, key.field), valueAt(b, key.field));
        if (c !== 0) return key.direction === 'desc' ? -c : c;
      }
      return 0;
    })
    .map((d) => d.id);
}

// ---------------------------------------------------------------------------------------------

export function describeReadModelContract(
  name: string,
  createHarness: () => Promise<ReadModelHarness> | ReadModelHarness,
): void {
  describe(`ReadModelStore contract: ${name}`, () => {
    let harness: ReadModelHarness;
    let store: ReadModelStore;

    beforeEach(async () => {
      harness = await createHarness();
      store = await harness.open(schemas);
    });

    afterEach(async () => {
      await store.close();
      await harness.dispose();
    });

    const seed = () =>
      store.commit(
        'portfolio',
        rows.map((r) => put('partnerships', r.id, r)),
        10,
      );

    describe('documents', () => {
      it('puts, gets, patches and deletes', async () => {
        expect(await store.get('partnerships', 'x')).toBeUndefined();
        await store.commit(
          'portfolio',
          [put('partnerships', 'x', { id: 'x', name: 'A', nested: { a: 1 } })],
          1,
        );
        expect(await store.get('partnerships', 'x')).toEqual({
          id: 'x',
          name: 'A',
          nested: { a: 1 },
        });

        await store.commit(
          'portfolio',
          [
            patch('partnerships', 'x', { name: 'B', 'nested.b': [1, 'two'], 'deep.er': true }, [
              'nested.a',
            ]),
          ],
          2,
        );
        expect(await store.get('partnerships', 'x')).toEqual({
          id: 'x',
          name: 'B',
          nested: { b: [1, 'two'] },
          deep: { er: true },
        });

        await store.commit(
          'portfolio',
          [remove('partnerships', 'x'), remove('partnerships', 'never-existed')],
          3,
        );
        expect(await store.get('partnerships', 'x')).toBeUndefined();
        expect(await store.count('partnerships')).toBe(0);
      });

      it('applies the changes of one batch in order, each seeing the previous ones', async () => {
        await store.commit(
          'portfolio',
          [
            put('partnerships', 'a', { id: 'a', health: 1 }),
            patch('partnerships', 'a', { health: 2 }),
            put('partnerships', 'b', { id: 'b' }),
            remove('partnerships', 'b'),
            patch('partnerships', 'a', { phase: 'SHARE' }),
            put('escalations', 'e', { id: 'e', body: 'BOARD' }),
          ],
          1,
        );
        expect(await store.get('partnerships', 'a')).toEqual({
          id: 'a',
          health: 2,
          phase: 'SHARE',
        });
        expect(await store.get('partnerships', 'b')).toBeUndefined();
        expect(await store.get('escalations', 'e')).toEqual({ id: 'e', body: 'BOARD' });
      });

      it('stores JSON: undefined fields dropped, unicode kept, numbers exact', async () => {
        await store.commit(
          'portfolio',
          [
            put('partnerships', 'u', {
              id: 'u',
              name: 'Zoë €',
              gone: undefined,
              n: 0.1,
              big: 2 ** 40,
              neg: -3,
            } as unknown as Document),
          ],
          1,
        );
        expect(await store.get('partnerships', 'u')).toEqual({
          id: 'u',
          name: 'Zoë €',
          n: 0.1,
          big: 2 ** 40,
          neg: -3,
        });
      });
    });

    describe('filters', () => {
      beforeEach(seed);
      const cases: [string, Filter][] = [
        ['equality (bare value)', { phase: 'SHARE' }],
        ['equality (eq)', { phase: { eq: 'EXECUTE' } }],
        ['equality on a number', { health: 4.5 }],
        ['equality on a boolean', { ended: true }],
        ['boolean false excludes missing', { ended: false }],
        ['eq null matches missing and null', { health: null }],
        ['ne includes missing', { ended: { ne: true } }],
        ['in', { phase: { in: ['SHARE', 'AGREE'] } }],
        ['in with null', { health: { in: [2, null] } }],
        ['nin includes missing', { health: { nin: [4.5] } }],
        ['nin with null excludes missing', { health: { nin: [4.5, null] } }],
        ['range on numbers', { health: { gt: 2, lte: 4.5 } }],
        ['range on ISO dates', { updatedAt: { gte: '2024-01-01', lt: '2024-02-01' } }],
        ['range on a dot path', { 'metrics.spread': { gte: 1 } }],
        ['range on id', { id: { gt: 'p4' } }],
        ['array contains', { partyOrganisationIds: { has: 'o1' } }],
        ['array contains any', { signals: { hasAny: ['NO_DOING', 'PHASES_SKIPPED'] } }],
        ['array contains all', { signals: { hasAll: ['STAGNATION', 'NO_DOING'] } }],
        ['number array contains', { scores: { has: 3 } }],
        ['empty hasAny matches nothing', { signals: { hasAny: [] } }],
        ['text contains, case-insensitive', { name: { contains: 'WERK' } }],
        ['text contains, accented', { name: { contains: 'één' } }],
        ['text contains, regex characters are literal', { name: { contains: '%_a' } }],
        ['text contains, dot and brackets literal', { name: { contains: '.werk (' } }],
        ['text contains, a LIKE wildcard alone is literal', { name: { contains: '_' } }],
        ['text contains, accented, mixed case', { name: { contains: 'ÉéN' } }],
        ['array contains is case-sensitive', { partyOrganisationIds: { has: 'O1' } }],
        ['array contains whole elements only', { signals: { has: 'STAG' } }],
        ['array contains any, case-sensitive', { signals: { hasAny: ['no_doing', 'PHASES_SKIPPED'] } }],
        ['array contains across elements matches nothing', { signals: { has: 'STAGNATION","NO_DOING' } }],
        ['text contains and array contains ANDed', { name: { contains: 'WERK' }, partyOrganisationIds: { has: 'o1' } }],
        ['exists true', { health: { exists: true } }],
        ['exists false', { updatedAt: { exists: false } }],
        ['exists on a nested path', { 'metrics.spread': { exists: false } }],
        ['fields ANDed', { phase: 'SHARE', ended: false }],
        ['or', { or: [{ phase: 'EXPLORE' }, { signals: { has: 'PHASES_SKIPPED' } }] }],
        [
          'and inside or',
          { or: [{ and: [{ phase: 'SHARE' }, { ended: true }] }, { health: { gte: 4.5 } }] },
        ],
        ['id in', { id: { in: ['p2', 'p9', 'p5'] } }],
      ];
      it.each(cases)('%s', async (_title, filter) => {
        const expected = referenceFind(rows, filter, []);
        const page = await store.find('partnerships', { filter, first: 100 });
        expect(ids(page.items)).toEqual(expected);
        expect(page.totalCount).toBe(expected.length);
        expect(await store.count('partnerships', filter)).toBe(expected.length);
      });

      it('the oracle agrees with hand-written expectations', () => {
        expect(referenceFind(rows, { name: { contains: 'WERK' } }, [])).toEqual([
          'p1',
          'p2',
          'p3',
          'p5',
          'p6',
        ]);
        expect(referenceFind(rows, { name: { contains: 'ÉéN' } }, [])).toEqual(['p4']);
        expect(referenceFind(rows, { name: { contains: '_' } }, [])).toEqual(['p5']);
        expect(referenceFind(rows, { partyOrganisationIds: { has: 'O1' } }, [])).toEqual([]);
        expect(referenceFind(rows, { health: null }, [])).toEqual(['p4', 'p5']);
        expect(referenceFind(rows, { ended: { ne: true } }, [])).toEqual([
          'p1',
          'p2',
          'p4',
          'p5',
          'p6',
        ]);
        expect(referenceFind(rows, { partyOrganisationIds: { has: 'o1' } }, [])).toEqual([
          'p1',
          'p3',
          'p6',
        ]);
      });

      it('refuses filters and sorts on undeclared fields, and bad operators', async () => {
        await expect(
          store.find('partnerships', { filter: { description: 'x' } as Filter }),
        ).rejects.toBeInstanceOf(UndeclaredFieldError);
        await expect(
          store.find('partnerships', { sort: [{ field: 'description' }] }),
        ).rejects.toBeInstanceOf(UndeclaredFieldError);
        await expect(store.count('partnerships', { 'metrics.other': 1 })).rejects.toBeInstanceOf(
          UndeclaredFieldError,
        );
        await expect(
          store.find('partnerships', { filter: { health: 'high' } }),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(
          store.find('partnerships', { filter: { signals: 'NO_DOING' } }),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(
          store.find('partnerships', { filter: { phase: { has: 'x' } } }),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(
          store.find('partnerships', { sort: [{ field: 'signals' }] }),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.find('partnerships', { first: -1 })).rejects.toBeInstanceOf(
          InvalidQueryError,
        );
        await expect(store.find('nope', {})).rejects.toBeInstanceOf(UnknownCollectionError);
        await expect(store.get('nope', 'x')).rejects.toBeInstanceOf(UnknownCollectionError);
      });
    });

    describe('sorting and paging', () => {
      beforeEach(seed);

      it('sorts on declared fields, nulls lowest, ties broken by id', async () => {
        const cases: SortKey[][] = [
          [],
          [{ field: 'health' }],
          [{ field: 'health', direction: 'desc' }],
          [{ field: 'updatedAt', direction: 'desc' }, { field: 'name' }],
          [{ field: 'phase' }, { field: 'health', direction: 'desc' }],
          [{ field: 'ended' }],
          [{ field: 'metrics.spread', direction: 'desc' }],
          [{ field: 'id', direction: 'desc' }],
        ];
        for (const sort of cases) {
          const page = await store.find('partnerships', { sort, first: 100 });
          expect({ sort, ids: ids(page.items) }).toEqual({
            sort,
            ids: referenceFind(rows, {}, sort),
          });
        }
        expect(
          ids((await store.find('partnerships', { sort: [{ field: 'health' }] })).items),
        ).toEqual(['p4', 'p5', 'p3', 'p1', 'p2', 'p6']);
      });

      it('pages through everything with cursors: none skipped, none repeated', async () => {
        const query: FindQuery = {
          filter: { ended: { ne: true } },
          sort: [{ field: 'health', direction: 'desc' }, { field: 'updatedAt' }],
        };
        const expected = referenceFind(rows, query.filter ?? {}, query.sort ?? []);
        for (const first of [1, 2, 3, 5, 100]) {
          const result = await pageThrough(store, 'partnerships', query, first);
          expect(result.ids).toEqual(expected);
          expect(new Set(result.totals)).toEqual(new Set([expected.length]));
        }
      });

      it('reports hasNextPage, endCursor and empty pages', async () => {
        const first = await store.find('partnerships', { first: 2 });
        expect(first).toMatchObject({ totalCount: 6, hasNextPage: true });
        expect(typeof first.endCursor).toBe('string');
        const last = await store.find('partnerships', { first: 10, after: first.endCursor });
        expect(ids(last.items)).toEqual(['p3', 'p4', 'p5', 'p6']);
        expect(last.hasNextPage).toBe(false);
        const none = await store.find('partnerships', { filter: { phase: 'ENDED' } });
        expect(none).toEqual({ items: [], totalCount: 0, hasNextPage: false, hasPreviousPage: false, cursors: [], startCursor: null, endCursor: null });
        const zero = await store.find('partnerships', { first: 0 });
        expect(zero).toMatchObject({ items: [], totalCount: 6, hasNextPage: true });
      });

      it('keeps a cursor valid after the row it points at is deleted', async () => {
        const first = await store.find('partnerships', { sort: [{ field: 'health' }], first: 3 });
        expect(ids(first.items)).toEqual(['p4', 'p5', 'p3']);
        await store.commit('portfolio', [remove('partnerships', 'p3')], 11);
        const next = await store.find('partnerships', {
          sort: [{ field: 'health' }],
          first: 10,
          after: first.endCursor,
        });
        expect(ids(next.items)).toEqual(['p1', 'p2', 'p6']);
        expect(next.hasPreviousPage).toBe(true);
      });

      it('continues after any item by its own cursor; hasPreviousPage is false when nothing left precedes it', async () => {
        const sort: SortKey[] = [{ field: 'health' }];
        const page = await store.find('partnerships', { sort, first: 6 });
        expect(ids(page.items)).toEqual(['p4', 'p5', 'p3', 'p1', 'p2', 'p6']);
        const afterP5 = await store.find('partnerships', { sort, first: 2, after: page.cursors[1] });
        expect(ids(afterP5.items)).toEqual(['p3', 'p1']);
        expect(afterP5.hasPreviousPage).toBe(true);
        // Delete the first two: the second's cursor still pages on, with nothing before it.
        await store.commit('portfolio', [remove('partnerships', 'p4'), remove('partnerships', 'p5')], 11);
        const rest = await store.find('partnerships', { sort, first: 10, after: page.cursors[1] });
        expect(ids(rest.items)).toEqual(['p3', 'p1', 'p2', 'p6']);
        expect(rest.hasPreviousPage).toBe(false);
        expect(rest.cursors[0]).toBe(page.cursors[2]);
      });

      it('pages backward: the last documents before a cursor, in the sort order; no mix of directions', async () => {
        const sort: SortKey[] = [{ field: 'health' }];
        const end = await store.find('partnerships', { sort, last: 2 });
        expect(ids(end.items)).toEqual(['p2', 'p6']);
        expect(end).toMatchObject({ hasPreviousPage: true, hasNextPage: false, totalCount: 6 });
        const before = await store.find('partnerships', { sort, last: 3, before: end.startCursor });
        expect(ids(before.items)).toEqual(['p5', 'p3', 'p1']);
        expect(before).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
        const start = await store.find('partnerships', { sort, last: 10, before: before.startCursor });
        expect(ids(start.items)).toEqual(['p4']);
        expect(start.hasPreviousPage).toBe(false);
        await expect(store.find('partnerships', { sort, first: 2, last: 2 })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.find('partnerships', { sort, after: end.endCursor, before: end.startCursor })).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.find('partnerships', { sort: [{ field: 'name' }], last: 1, before: end.startCursor })).rejects.toBeInstanceOf(InvalidQueryError);
      });

      it('refuses a cursor of another sort order, and garbage', async () => {
        const page = await store.find('partnerships', { sort: [{ field: 'health' }], first: 1 });
        await expect(
          store.find('partnerships', { sort: [{ field: 'name' }], after: page.endCursor }),
        ).rejects.toBeInstanceOf(InvalidQueryError);
        await expect(store.find('partnerships', { after: 'not-a-cursor' })).rejects.toBeInstanceOf(
          InvalidQueryError,
        );
      });

      it('property: any filter/sort/page size gives the reference order, each document once', async () => {
        const phase = fc.constantFrom('EXPLORE', 'SHARE', 'AGREE', null);
        const doc = fc.record(
          {
            name: fc.constantFrom('Alpha', 'alpha', 'Beta', 'gamma werk', 'WERK', ''),
            phase,
            health: fc.option(fc.constantFrom(1, 2, 2.5, 4), { nil: null }),
            ended: fc.boolean(),
            updatedAt: fc.constantFrom('2024-01-01', '2024-06-30', '2023-12-31'),
            signals: fc.uniqueArray(fc.constantFrom('A', 'B', 'C'), { maxLength: 3 }),
            metrics: fc.record({ spread: fc.constantFrom(0, 1, 3) }, { requiredKeys: [] }),
          },
          { requiredKeys: ['name', 'signals'] },
        );
        const docs = fc.uniqueArray(
          fc.tuple(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'.split('')), doc),
          {
            selector: ([id]) => id,
            maxLength: 14,
          },
        );
        const condition: fc.Arbitrary<Filter> = fc.oneof(
          fc.constant({}),
          phase.map((p) => ({ phase: p })),
          fc.constantFrom(1, 2, 2.5, 4).map((h) => ({ health: { gte: h } })),
          fc.constantFrom(1, 2, 2.5, 4).map((h) => ({ health: { ne: h } })),
          fc.constantFrom('A', 'B', 'C').map((s) => ({ signals: { has: s } })),
          fc.constantFrom('werk', 'ALPHA', 'a').map((t) => ({ name: { contains: t } })),
          fc.boolean().map((b) => ({ ended: b })),
          fc.boolean().map((b) => ({ 'metrics.spread': { exists: b } })),
        );
        const filter = fc
          .tuple(condition, condition, fc.boolean())
          .map(([a, b, both]) => (both ? { and: [a, b] } : { or: [a, b] }));
        const sortKey = fc.record({
          field: fc.constantFrom(
            'name',
            'phase',
            'health',
            'ended',
            'updatedAt',
            'metrics.spread',
            'id',
          ),
          direction: fc.constantFrom('asc' as const, 'desc' as const),
        });
        let checkpoint = 100;
        await fc.assert(
          fc.asyncProperty(
            docs,
            filter,
            fc.array(sortKey, { maxLength: 3 }),
            fc.integer({ min: 1, max: 5 }),
            async (generated, f, sort, first) => {
              const data: Row[] = generated.map(([id, d]) => ({ id, ...(d as Document) }));
              const existing = await store.find('partnerships', { first: 1000 });
              checkpoint += 1;
              await store.commit(
                'portfolio',
                [
                  ...existing.items.map((d) => remove('partnerships', d.id as string)),
                  ...data.map((d) => put('partnerships', d.id, d)),
                ],
                checkpoint,
              );
              const expected = referenceFind(data, f, sort);
              const result = await pageThrough(store, 'partnerships', { filter: f, sort }, first);
              expect(result.ids).toEqual(expected);
              expect(result.totals.every((t) => t === expected.length)).toBe(true);
              // Any document's cursor (taken without the filter, same order) continues the
              // filtered query right after that document, and hasPreviousPage says exactly
              // whether a match sorts at or before it.
              const everyone = referenceFind(data, {}, sort);
              const unfiltered = await pageThrough(store, 'partnerships', { sort }, 100);
              expect(unfiltered.ids).toEqual(everyone);
              for (const [index, cursor] of unfiltered.cursors.entries()) {
                const upTo = new Set(everyone.slice(0, index + 1));
                const page = await store.find('partnerships', { filter: f, sort, first, after: cursor });
                expect(ids(page.items)).toEqual(expected.filter((id) => !upTo.has(id)).slice(0, first));
                expect(page.hasPreviousPage).toBe(expected.some((id) => upTo.has(id)));
                // Backward from the same cursor: the matches strictly before it, the last `first`.
                const before = new Set(everyone.slice(0, index));
                const back = await store.find('partnerships', { filter: f, sort, last: first, before: cursor });
                const earlier = expected.filter((id) => before.has(id));
                expect(ids(back.items)).toEqual(earlier.slice(Math.max(0, earlier.length - first)));
                expect(back.hasPreviousPage).toBe(earlier.length > first);
                expect(back.hasNextPage).toBe(expected.some((id) => !before.has(id)));
              }
              // Backward from the end, page by page, gives the same order.
              expect(await pageBackThrough(store, 'partnerships', { filter: f, sort }, first)).toEqual(expected);
            },
          ),
          { numRuns: 40 },
        );
      });
    });

    describe('atomic commit and checkpoints', () => {
      it('starts without a checkpoint and stores one per projection', async () => {
        expect(await store.getCheckpoint('portfolio')).toBe(NO_CHECKPOINT);
        await store.commit('portfolio', [put('partnerships', 'a', { id: 'a' })], 5);
        await store.commit(
          'organisations',
          [put('organisations', 'o', { id: 'o', name: 'VDAB' })],
          3,
        );
        await store.commit('portfolio', [], 9);
        expect(await store.getCheckpoint('portfolio')).toBe(9);
        expect(await store.getCheckpoint('organisations')).toBe(3);
        expect(await store.describe('portfolio')).toMatchObject({
          projection: 'portfolio',
          active: { version: 1, checkpoint: 9 },
        });
      });

      it('a failing change leaves nothing applied and the checkpoint unchanged', async () => {
        await store.commit('portfolio', [put('partnerships', 'a', { id: 'a', health: 1 })], 1);
        const failing: [string, () => Promise<void>, new (...args: never[]) => Error][] = [
          [
            'wrong field type',
            () =>
              store.commit(
                'portfolio',
                [
                  patch('partnerships', 'a', { health: 2 }),
                  put('partnerships', 'b', { id: 'b' }),
                  put('partnerships', 'c', { health: 'high' }),
                ],
                2,
              ),
            InvalidChangeError,
          ],
          [
            'patch of a missing document',
            () =>
              store.commit(
                'portfolio',
                [put('partnerships', 'b', { id: 'b' }), patch('partnerships', 'zzz', { x: 1 })],
                2,
              ),
            DocumentNotFoundError,
          ],
          [
            'collection of another projection',
            () =>
              store.commit(
                'portfolio',
                [put('partnerships', 'b', { id: 'b' }), put('organisations', 'o', { id: 'o' })],
                2,
              ),
            InvalidChangeError,
          ],
          [
            'unsafe key',
            () =>
              store.commit(
                'portfolio',
                [put('partnerships', 'b', { id: 'b' }), put('partnerships', 'c', { $where: 1 })],
                2,
              ),
            InvalidChangeError,
          ],
          [
            'array element of the wrong type',
            () => store.commit('portfolio', [put('partnerships', 'b', { signals: ['A', 1] })], 2),
            InvalidChangeError,
          ],
        ];
        for (const [, attempt, error] of failing) {
          await expect(attempt()).rejects.toBeInstanceOf(error);
          expect(await store.get('partnerships', 'a')).toEqual({ id: 'a', health: 1 });
          expect(await store.get('partnerships', 'b')).toBeUndefined();
          expect(await store.count('partnerships')).toBe(1);
          expect(await store.getCheckpoint('portfolio')).toBe(1);
        }
      });

      it('refuses a checkpoint that does not advance, or an unexpected stored one', async () => {
        await store.commit('portfolio', [put('partnerships', 'a', { id: 'a', n: 1 })], 4);
        await expect(
          store.commit('portfolio', [put('partnerships', 'a', { id: 'a', n: 2 })], 4),
        ).rejects.toBeInstanceOf(CheckpointConflictError);
        await expect(
          store.commit('portfolio', [put('partnerships', 'a', { id: 'a', n: 2 })], 3),
        ).rejects.toBeInstanceOf(CheckpointConflictError);
        await expect(
          store.commit('portfolio', [put('partnerships', 'a', { id: 'a', n: 2 })], 7, {
            expectedCheckpoint: 2,
          }),
        ).rejects.toBeInstanceOf(CheckpointConflictError);
        expect(await store.get('partnerships', 'a')).toEqual({ id: 'a', n: 1 });
        await store.commit('portfolio', [put('partnerships', 'a', { id: 'a', n: 2 })], 7, {
          expectedCheckpoint: 4,
        });
        expect(await store.getCheckpoint('portfolio')).toBe(7);
      });

      it('of two concurrent commits expecting the same checkpoint, exactly one wins', async () => {
        await store.commit('portfolio', [], 1);
        const results = await Promise.allSettled([
          store.commit('portfolio', [put('partnerships', 'a', { id: 'a', by: 'one' })], 2, {
            expectedCheckpoint: 1,
          }),
          store.commit('portfolio', [put('partnerships', 'a', { id: 'a', by: 'two' })], 2, {
            expectedCheckpoint: 1,
          }),
        ]);
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        const rejected = results.find((r) => r.status === 'rejected');
        expect(
          rejected && rejected.status === 'rejected' ? rejected.reason : undefined,
        ).toBeInstanceOf(CheckpointConflictError);
      });
    });

    describe('rebuild into a shadow generation', () => {
      it('serves the old copy until swapIn, then the new one', async () => {
        await store.commit(
          'portfolio',
          [put('partnerships', 'old', { id: 'old', phase: 'SHARE' })],
          20,
        );
        const writer = await store.beginRebuild('portfolio');
        expect(writer.resumed).toBe(false);
        expect(await writer.getCheckpoint()).toBe(NO_CHECKPOINT);
        await writer.commit([put('partnerships', 'new', { id: 'new', phase: 'SHARE' })], 5);

        expect(
          ids((await store.find('partnerships', { filter: { phase: 'SHARE' } })).items),
        ).toEqual(['old']);
        expect(await store.getCheckpoint('portfolio')).toBe(20);
        expect(
          ids((await writer.find('partnerships', { filter: { phase: 'SHARE' } })).items),
        ).toEqual(['new']);
        expect(await writer.get('partnerships', 'old')).toBeUndefined();
        expect(await store.describe('portfolio')).toMatchObject({
          active: { checkpoint: 20 },
          shadow: { generation: writer.generation, checkpoint: 5 },
        });

        await writer.commit([patch('partnerships', 'new', { health: 3 })], 21);
        await writer.swapIn();
        expect(ids((await store.find('partnerships', {})).items)).toEqual(['new']);
        expect(await store.get('partnerships', 'new')).toEqual({
          id: 'new',
          phase: 'SHARE',
          health: 3,
        });
        expect(await store.getCheckpoint('portfolio')).toBe(21);
        const state = await store.describe('portfolio');
        expect(state.active?.generation).toBe(writer.generation);
        expect(state.shadow).toBeUndefined();

        await expect(writer.commit([], 30)).rejects.toBeInstanceOf(RebuildStaleError);
        await expect(writer.swapIn()).rejects.toBeInstanceOf(RebuildStaleError);
        await store.commit('portfolio', [put('partnerships', 'live', { id: 'live' })], 22, {
          expectedCheckpoint: 21,
        });
        expect(await store.count('partnerships')).toBe(2);
      });

      it('builds a first generation when there is no active one; queries see nothing until swapIn', async () => {
        const writer = await store.beginRebuild('organisations');
        await writer.commit([put('organisations', 'o', { id: 'o', name: 'OCMW' })], 3);
        expect(await store.count('organisations')).toBe(0);
        expect(await store.getCheckpoint('organisations')).toBe(NO_CHECKPOINT);
        await writer.swapIn();
        expect(await store.count('organisations')).toBe(1);
      });

      it('resumes an interrupted shadow, also after a reopen; fresh or a new version start over', async () => {
        await store.commit('portfolio', [put('partnerships', 'old', { id: 'old' })], 50);
        const first = await store.beginRebuild('portfolio');
        await first.commit([put('partnerships', 's1', { id: 's1' })], 10);
        await store.close();
        store = await harness.open(schemas);

        const resumed = await store.beginRebuild('portfolio');
        expect(resumed).toMatchObject({ resumed: true, generation: first.generation, version: 1 });
        expect(await resumed.getCheckpoint()).toBe(10);
        expect(await resumed.get('partnerships', 's1')).toEqual({ id: 's1' });
        expect(await store.get('partnerships', 'old')).toEqual({ id: 'old' });

        const versioned = await store.beginRebuild('portfolio', { version: 2 });
        expect(versioned.resumed).toBe(false);
        expect(versioned.version).toBe(2);
        expect(await versioned.getCheckpoint()).toBe(NO_CHECKPOINT);
        expect(await versioned.get('partnerships', 's1')).toBeUndefined();
        await expect(resumed.getCheckpoint()).rejects.toBeInstanceOf(RebuildStaleError);

        const fresh = await store.beginRebuild('portfolio', { version: 2, fresh: true });
        expect(fresh.resumed).toBe(false);
        await fresh.commit([], 60);
        await fresh.swapIn();
        expect(await store.describe('portfolio')).toMatchObject({
          active: { version: 2, checkpoint: 60 },
        });
        expect(await store.count('partnerships')).toBe(0);
      });

      it('abandons a shadow without touching the active copy', async () => {
        await store.commit('portfolio', [put('partnerships', 'old', { id: 'old' })], 1);
        const writer = await store.beginRebuild('portfolio');
        await writer.commit([put('partnerships', 'n', { id: 'n' })], 1);
        await writer.abandon();
        expect((await store.describe('portfolio')).shadow).toBeUndefined();
        expect(ids((await store.find('partnerships')).items)).toEqual(['old']);
        await expect(writer.get('partnerships', 'n')).rejects.toBeInstanceOf(RebuildStaleError);
      });

      it('drops a projection entirely', async () => {
        await store.commit('portfolio', [put('partnerships', 'a', { id: 'a' })], 1);
        await store.commit('organisations', [put('organisations', 'o', { id: 'o' })], 1);
        await store.drop('portfolio');
        expect(await store.get('partnerships', 'a')).toBeUndefined();
        expect(await store.getCheckpoint('portfolio')).toBe(NO_CHECKPOINT);
        expect(await store.get('organisations', 'o')).toEqual({ id: 'o' });
        await store.commit('portfolio', [put('partnerships', 'b', { id: 'b' })], 1);
        expect(ids((await store.find('partnerships')).items)).toEqual(['b']);
      });
    });

    describe('durability', () => {
      it('keeps documents and checkpoints across close and reopen', async () => {
        await store.commit(
          'portfolio',
          rows.map((r) => put('partnerships', r.id, r)),
          42,
        );
        await store.commit(
          'organisations',
          [put('organisations', 'o', { id: 'o', name: 'VDAB' })],
          7,
        );
        await store.close();
        store = await harness.open(schemas);
        expect(await store.getCheckpoint('portfolio')).toBe(42);
        expect(await store.getCheckpoint('organisations')).toBe(7);
        expect(await store.get('partnerships', 'p2')).toEqual(rows[1]);
        expect(
          ids(
            (await store.find('partnerships', { filter: { signals: { has: 'STAGNATION' } } }))
              .items,
          ),
        ).toEqual(['p2', 'p3', 'p6']);
        await store.ping();
      });

      it('picks up an index declared later on an existing generation', async () => {
        await store.commit(
          'organisations',
          [put('organisations', 'o', { id: 'o', name: 'VDAB', kind: 'AGENCY' })],
          1,
        );
        await store.close();
        const extended = defineCollection({
          name: 'organisations',
          indexes: { name: 'string', kind: 'string' },
        });
        store = await harness.open([
          portfolioSchema,
          { ...organisationsSchema, collections: [extended] },
        ]);
        expect(await store.count('organisations', { kind: 'AGENCY' })).toBe(1);
      });
    });
  });
}
