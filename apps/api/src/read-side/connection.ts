import type { Document, FindQuery, Page, ReadModelStore } from '@ppl/read-model';
import { ReadSideInputError } from './read-side.errors';

export const DEFAULT_FIRST = 20;
export const MAX_FIRST = 500;

/**
 * A Relay connection (Cursor Connections Specification): `edges` with each node's cursor and
 * `pageInfo`, plus `nodes` (the same nodes, for clients that need no per-node cursor).
 * Paging is forward (`first`, `after`); `hasPreviousPage` says whether anything matching sorts
 * at or before `after`.
 */
export interface Connection<T> {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/**
 * The connection of nodes and their cursors (one per node, in order). The edges and the start
 * cursor are built when GraphQL first reads them: a query that selects only `nodes` and
 * `endCursor` encodes one cursor.
 */
export function connectionOf<T>(
  nodes: T[],
  page: { cursors: readonly string[]; endCursor: string | null; hasNextPage: boolean; hasPreviousPage: boolean; totalCount: number },
): Connection<T> {
  let edges: { cursor: string; node: T }[] | undefined;
  return {
    nodes,
    get edges() {
      return (edges ??= nodes.map((node, index) => ({ cursor: page.cursors[index], node })));
    },
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      get startCursor() {
        return page.cursors[0] ?? null;
      },
      endCursor: page.endCursor,
    },
    totalCount: page.totalCount,
  };
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
  return connectionOf(page.items.map(map), page);
}
