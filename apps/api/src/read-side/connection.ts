import type { Document, FindQuery, Page, ReadModelStore } from '@ppl/read-model';
import { ReadSideInputError } from './read-side.errors';

export const DEFAULT_FIRST = 20;
export const MAX_FIRST = 500;

export interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

/** `first` within 0..MAX_FIRST (default DEFAULT_FIRST), else VALIDATION_FAILED. */
export function pageSize(first: number | null | undefined, max = MAX_FIRST, fallback = DEFAULT_FIRST): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw new ReadSideInputError(`first must be an integer from 0 to ${max}`, [{ path: 'first', message: `0..${max}` }]);
  }
  return first;
}

/** A store query whose cursor the caller gave: a bad cursor is the caller's fault (VALIDATION_FAILED). */
export async function findPage<T extends Document>(store: ReadModelStore, collection: string, query: FindQuery): Promise<Page<T>> {
  try {
    return await store.find<T>(collection, query);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'READ_MODEL_INVALID_QUERY') {
      throw new ReadSideInputError((error as Error).message, [{ path: 'after', message: 'not a cursor of this query' }]);
    }
    throw error;
  }
}

export function toConnection<T extends Document, R>(page: Page<T>, map: (doc: T) => R): Connection<R> {
  return {
    nodes: page.items.map(map),
    pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    totalCount: page.totalCount,
  };
}
