import { EmbeddedReadModelStore, defineCollection, put, type ReadModelStore } from '@ppl/read-model';
import { PageCache } from './page-cache';

const rows = defineCollection({ name: 'rows', indexes: { name: 'string', tags: 'string[]' } });
const schema = { name: 'listing', version: 1, collections: [rows] };
const query = { filter: { tags: { has: 'a' } }, sort: [{ field: 'name' }], first: 10 };
const names = (page: { items: { name?: unknown }[] }): unknown[] => page.items.map((item) => item.name);

describe('PageCache', () => {
  let store: ReadModelStore;
  let cache: PageCache;

  beforeEach(async () => {
    store = EmbeddedReadModelStore.open({ filename: ':memory:', projections: [schema] });
    cache = new PageCache(store);
    await store.commit('listing', [put('rows', '1', { name: 'one', tags: ['a'] }), put('rows', '2', { name: 'two', tags: ['b'] })], 1);
  });

  afterEach(() => store.close());

  it('answers as the store does, and again with the same page while nothing was committed', async () => {
    const first = await cache.find('listing', 'rows', query);
    expect(first).toEqual(await store.find('rows', query));
    expect(names(first)).toEqual(['one']);
    expect(await cache.find('listing', 'rows', query)).toBe(first);
  });

  it('never answers a page older than the last commit', async () => {
    expect(names(await cache.find('listing', 'rows', query))).toEqual(['one']);
    await store.commit('listing', [put('rows', '3', { name: 'three', tags: ['a'] })], 2);
    const page = await cache.find('listing', 'rows', query);
    expect(names(page)).toEqual(['one', 'three']);
    expect(page.totalCount).toBe(2);
  });

  it('sees a rebuilt copy swapped in at the same checkpoint', async () => {
    expect(names(await cache.find('listing', 'rows', query))).toEqual(['one']);
    const writer = await store.beginRebuild('listing');
    await writer.commit([put('rows', '1', { name: 'uno', tags: ['a'] })], 1);
    await writer.swapIn();
    expect(names(await cache.find('listing', 'rows', query))).toEqual(['uno']);
  });

  it('keeps different queries apart', async () => {
    expect(names(await cache.find('listing', 'rows', query))).toEqual(['one']);
    expect(names(await cache.find('listing', 'rows', { ...query, filter: { tags: { has: 'b' } } }))).toEqual(['two']);
    expect(names(await cache.find('listing', 'rows', { ...query, first: 0 }))).toEqual([]);
  });

  it('keeps a backward page apart from the forward one of the same size and cursor', async () => {
    const all = { sort: [{ field: 'name' }], first: 1 };
    const one = await cache.find('listing', 'rows', all);
    expect(names(one)).toEqual(['one']);
    expect(names(await cache.find('listing', 'rows', { sort: all.sort, last: 1 }))).toEqual(['two']);
    const two = await cache.find('listing', 'rows', { ...all, after: one.endCursor });
    expect(names(two)).toEqual(['two']);
    expect(names(await cache.find('listing', 'rows', { sort: all.sort, last: 1, before: two.startCursor }))).toEqual(['one']);
    expect(names(await cache.find('listing', 'rows', { sort: all.sort, last: 1, before: one.endCursor }))).toEqual([]);
  });
});
