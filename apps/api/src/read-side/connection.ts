import type { Document, FindQuery, Page, ReadModelStore } from '@ppl/read-model';
import { ReadSideInputError } from './read-side.errors';

export const DEFAULT_FIRST = 20;
export const MAX_FIRST = 500;

/**
 * A Relay connection (Cursor Connections Specification): `edges` with each node's cursor and
 * `pageInfo`, plus `nodes` (the same nodes, for clients that need no per-node cursor).
 * Paging is forward (`first`, `after`) or backward (`last`, `before`); both page flags are exact.
 */
export interface Connection<T> {
  nodes: T[];
  edges: { cursor: string; node: T }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
}

/**
 * The connection of nodes and their cursors (one per node, in order). The edges are built when
 * GraphQL first reads them: a query that selects only `nodes` and `pageInfo` encodes no other
 * cursor than the page's first and last.
 */
export function connectionOf<T>(
  nodes: T[],
  page: {
    cursors: readonly string[];
    startCursor: string | null;
    endCursor: string | null;
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    totalCount: number;
  },
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
      startCursor: page.startCursor,
      endCursor: page.endCursor,
    },
    totalCount: page.totalCount,
  };
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Where a page lies: `size` nodes after `cursor` (forward) or right before it (backward). */
export interface PageWindow {
  readonly backward: boolean;
  readonly size: number;
  readonly cursor: string | null;
}

const isSet = <T>(value: T | null | undefined): value is T => value !== null && value !== undefined;

/**
 * Forward (`first`, `after`) or backward (`last`, `before`), not both: the Relay specification
 * discourages mixing them and its outcome would surprise, so a mix is VALIDATION_FAILED.
 */
export function pageWindow(args: PageArgs, max = MAX_FIRST): PageWindow {
  const backward = isSet(args.last) || isSet(args.before);
  if (backward && (isSet(args.first) || isSet(args.after))) {
    throw new ReadSideInputError('page forward (first, after) or backward (last, before), not both', [
      { path: isSet(args.first) ? 'first' : 'after', message: 'not with last or before' },
    ]);
  }
  if (!backward) return { backward, size: pageSize(args.first, max), cursor: args.after ?? null };
  return { backward, size: pageSize(args.last, max, DEFAULT_FIRST, 'last'), cursor: args.before ?? null };
}

/** The window as a read-model query's paging. */
export const findPaging = (window: PageWindow): Pick<FindQuery, 'first' | 'after' | 'last' | 'before'> =>
  window.backward ? { last: window.size, before: window.cursor } : { first: window.size, after: window.cursor };

/** `first` within 0..MAX_FIRST (default DEFAULT_FIRST), else VALIDATION_FAILED. */
export function pageSize(first: number | null | undefined, max = MAX_FIRST, fallback = DEFAULT_FIRST, name = 'first'): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 0 || first > max) {
    throw new ReadSideInputError(`${name} must be an integer from 0 to ${max}`, [{ path: name, message: `0..${max}` }]);
  }
  return first;
}

/** A store query whose cursor the caller gave: a bad cursor is the caller's fault (VALIDATION_FAILED). */
export async function findPage<T extends Document>(store: ReadModelStore, collection: string, query: FindQuery): Promise<Page<T>> {
  try {
    return await store.find<T>(collection, query);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'READ_MODEL_INVALID_QUERY') {
      const path = query.before !== undefined && query.before !== null ? 'before' : 'after';
      throw new ReadSideInputError((error as Error).message, [{ path, message: 'not a cursor of this query' }]);
    }
    throw error;
  }
}

export function toConnection<T extends Document, R>(page: Page<T>, map: (doc: T) => R): Connection<R> {
  return connectionOf(page.items.map(map), page);
}
