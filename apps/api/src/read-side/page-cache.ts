import { Inject, Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { READ_MODEL_STORE, type Document, type FindQuery, type Page, type ReadModelStore } from '@ppl/read-model';
import { findPage } from './connection';

/** Pages kept per projection (a page of portfolio rows is ~60 KB parsed). */
const MAX_PAGES = 256;

/**
 * Pages of the read model as last read, per projection, valid while the projection's active
 * copy (generation) and checkpoint stay what they were when the page was read: any commit moves
 * the checkpoint and any swap the generation, so a cached page is never older than what the
 * store holds at the moment of the lookup. The stamp is read after read-your-writes has waited
 * (callers do that first), so a caller passing a position never gets a page from before it.
 * A filter evaluated at a clock (`now` in it) is part of the key, so such pages are not reused.
 * Cached pages are shared between callers: they must not be mutated (the read side maps them
 * to new objects).
 */
@Injectable()
export class PageCache {
  private readonly byProjection = new Map<string, { stamp: string; pages: LRUCache<string, Page<Document>> }>();

  constructor(@Inject(READ_MODEL_STORE) private readonly store: ReadModelStore) {}

  async find<T extends Document>(projection: string, collection: string, query: FindQuery): Promise<Page<T>> {
    const { active } = await this.store.describe(projection);
    if (!active) return findPage<T>(this.store, collection, query);
    const stamp = `${active.generation}:${active.checkpoint}`;
    let entry = this.byProjection.get(projection);
    if (!entry || entry.stamp !== stamp) {
      entry = { stamp, pages: new LRUCache({ max: MAX_PAGES }) };
      this.byProjection.set(projection, entry);
    }
    const key = JSON.stringify([
      collection,
      query.filter ?? null,
      query.sort ?? null,
      query.first ?? null,
      query.after ?? null,
      query.last ?? null,
      query.before ?? null,
    ]);
    const cached = entry.pages.get(key);
    if (cached) return cached as Page<T>;
    const page = await findPage<T>(this.store, collection, query);
    // Read after the stamp was taken, the page is at least as new as the stamp: never stale.
    if (this.byProjection.get(projection) === entry) entry.pages.set(key, page);
    return page;
  }
}
