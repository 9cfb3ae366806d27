import { InvalidQueryError, UndeclaredFieldError } from '../errors';
import {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  type Document,
  type FieldCondition,
  type Filter,
  type FindQuery,
  type Page,
  type Scalar,
} from '../read-model.port';
import { getPath } from './documents';
import { elementType, isArrayType, type CollectionInfo, type FieldInfo } from './schema-registry';

/**
 * Queries are validated once here and compiled by each adapter from the same small AST, so
 * both give the same answers. Null semantics (MongoDB's): missing == null; `eq null` matches
 * both; `ne`/`nin` match them too; ranges never do.
 */
export type Condition =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'and'; readonly items: readonly Condition[] }
  | { readonly kind: 'or'; readonly items: readonly Condition[] }
  | { readonly kind: 'eq'; readonly field: FieldInfo; readonly value: Scalar }
  | { readonly kind: 'ne'; readonly field: FieldInfo; readonly value: Scalar }
  | {
      readonly kind: 'in';
      readonly field: FieldInfo;
      readonly values: readonly Scalar[];
      readonly orNull: boolean;
    }
  | {
      readonly kind: 'nin';
      readonly field: FieldInfo;
      readonly values: readonly Scalar[];
      readonly orNull: boolean;
    }
  | {
      readonly kind: 'range';
      readonly field: FieldInfo;
      readonly op: 'lt' | 'lte' | 'gt' | 'gte';
      readonly value: Scalar;
    }
  | { readonly kind: 'contains'; readonly field: FieldInfo; readonly text: string }
  | {
      readonly kind: 'has';
      readonly field: FieldInfo;
      readonly values: readonly (string | number)[];
      readonly mode: 'any' | 'all';
    }
  | { readonly kind: 'exists'; readonly field: FieldInfo; readonly exists: boolean };

export interface SortSpec {
  readonly field: FieldInfo;
  readonly direction: 'asc' | 'desc';
}

export interface CompiledQuery {
  /** The user's filter: what totalCount counts. */
  readonly filter: Condition;
  /** The filter plus "after the cursor" in the walk's order (`sort`). */
  readonly pageFilter: Condition;
  /**
   * With a cursor: the filter plus "at or before the cursor" in the walk's order: what tells
   * whether anything lies behind the page (hasPreviousPage forward, hasNextPage backward).
   */
  readonly precedingFilter: Condition | null;
  /** The order the adapter walks: the query's order, reversed when paging backward. */
  readonly sort: readonly SortSpec[];
  /** The query's order (declared sort keys, then id asc): what cursors are encoded with. */
  readonly order: readonly SortSpec[];
  /** How many documents the page takes (`first`, or `last` backward). */
  readonly first: number;
  /** Paging backward (`last`/`before`): the walk's documents are the page reversed. */
  readonly backward: boolean;
}

const CONDITION_KEYS = new Set([
  'eq',
  'ne',
  'in',
  'nin',
  'lt',
  'lte',
  'gt',
  'gte',
  'contains',
  'has',
  'hasAny',
  'hasAll',
  'exists',
]);
const TRUE: Condition = { kind: 'true' };
const FALSE: Condition = { kind: 'false' };

export function and(items: Condition[]): Condition {
  const kept = items.filter((c) => c.kind !== 'true');
  if (kept.some((c) => c.kind === 'false')) return FALSE;
  if (kept.length === 0) return TRUE;
  return kept.length === 1 ? kept[0] : { kind: 'and', items: kept };
}

export function or(items: Condition[]): Condition {
  const kept = items.filter((c) => c.kind !== 'false');
  if (kept.some((c) => c.kind === 'true')) return TRUE;
  if (kept.length === 0) return FALSE;
  return kept.length === 1 ? kept[0] : { kind: 'or', items: kept };
}

function field(collection: CollectionInfo, name: string): FieldInfo {
  const info = collection.fields.get(name);
  if (!info) throw new UndeclaredFieldError(collection.name, name);
  return info;
}

function scalarOf(collection: CollectionInfo, f: FieldInfo, value: unknown, op: string): Scalar {
  if (isArrayType(f.type)) {
    throw new InvalidQueryError(
      `${collection.name}.${f.path} is an array: use has/hasAny/hasAll/exists, not ${op}`,
    );
  }
  if (typeof value !== f.type || (typeof value === 'number' && !Number.isFinite(value))) {
    throw new InvalidQueryError(
      `${collection.name}.${f.path} ${op}: expected a ${f.type}, got ${JSON.stringify(value)}`,
    );
  }
  return value as Scalar;
}

function scalarsOf(
  collection: CollectionInfo,
  f: FieldInfo,
  values: unknown,
  op: string,
): { values: Scalar[]; orNull: boolean } {
  if (!Array.isArray(values))
    throw new InvalidQueryError(`${collection.name}.${f.path} ${op}: expected an array`);
  const nonNull = values.filter((v) => v !== null);
  return {
    values: [...new Set(nonNull.map((v) => scalarOf(collection, f, v, op)))],
    orNull: nonNull.length < values.length,
  };
}

function elementsOf(
  collection: CollectionInfo,
  f: FieldInfo,
  values: readonly unknown[],
  op: string,
): (string | number)[] {
  if (!isArrayType(f.type))
    throw new InvalidQueryError(
      `${collection.name}.${f.path} is not an array field: ${op} needs one`,
    );
  const element = elementType(f.type);
  for (const v of values) {
    if (typeof v !== element)
      throw new InvalidQueryError(
        `${collection.name}.${f.path} ${op}: expected ${element}s, got ${JSON.stringify(v)}`,
      );
  }
  return [...new Set(values as (string | number)[])];
}

function fieldCondition(
  collection: CollectionInfo,
  f: FieldInfo,
  condition: FieldCondition,
): Condition {
  const parts: Condition[] = [];
  for (const [key, value] of Object.entries(condition) as [keyof FieldCondition, unknown][]) {
    if (value === undefined) continue;
    if (!CONDITION_KEYS.has(key))
      throw new InvalidQueryError(`${collection.name}.${f.path}: unknown operator "${key}"`);
    switch (key) {
      case 'eq':
      case 'ne': {
        const kind = key;
        if (value === null) parts.push({ kind: 'exists', field: f, exists: kind === 'ne' });
        else parts.push({ kind, field: f, value: scalarOf(collection, f, value, key) });
        break;
      }
      case 'in':
      case 'nin': {
        const { values, orNull } = scalarsOf(collection, f, value, key);
        parts.push({ kind: key, field: f, values, orNull });
        break;
      }
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte': {
        const v = scalarOf(collection, f, value, key);
        if (typeof v === 'boolean')
          throw new InvalidQueryError(`${collection.name}.${f.path}: no ranges on booleans`);
        parts.push({ kind: 'range', field: f, op: key, value: v });
        break;
      }
      case 'contains': {
        if (f.type !== 'string' || typeof value !== 'string') {
          throw new InvalidQueryError(
            `${collection.name}.${f.path}: contains needs a string field and a string`,
          );
        }
        parts.push({ kind: 'contains', field: f, text: value });
        break;
      }
      case 'has':
        parts.push({
          kind: 'has',
          field: f,
          values: elementsOf(collection, f, [value], key),
          mode: 'all',
        });
        break;
      case 'hasAny':
      case 'hasAll': {
        if (!Array.isArray(value))
          throw new InvalidQueryError(`${collection.name}.${f.path} ${key}: expected an array`);
        const values = elementsOf(collection, f, value, key);
        if (values.length === 0) parts.push(key === 'hasAny' ? FALSE : TRUE);
        else parts.push({ kind: 'has', field: f, values, mode: key === 'hasAny' ? 'any' : 'all' });
        break;
      }
      case 'exists':
        if (typeof value !== 'boolean')
          throw new InvalidQueryError(`${collection.name}.${f.path}: exists needs a boolean`);
        parts.push({ kind: 'exists', field: f, exists: value });
        break;
    }
  }
  return and(parts);
}

export function compileFilter(collection: CollectionInfo, filter: Filter | undefined): Condition {
  if (filter === undefined || filter === null) return TRUE;
  if (typeof filter !== 'object' || Array.isArray(filter))
    throw new InvalidQueryError('A filter must be an object');
  const parts: Condition[] = [];
  for (const [name, value] of Object.entries(filter) as [string, unknown][]) {
    if (value === undefined) continue;
    if (name === 'and' || name === 'or') {
      if (!Array.isArray(value)) throw new InvalidQueryError(`${name} expects an array of filters`);
      const items = value.map((sub) => compileFilter(collection, sub as Filter));
      parts.push(name === 'and' ? and(items) : or(items));
      continue;
    }
    const f = field(collection, name);
    if (value === null || typeof value !== 'object')
      parts.push(fieldCondition(collection, f, { eq: value as Scalar | null }));
    else if (Array.isArray(value))
      throw new InvalidQueryError(
        `${collection.name}.${name}: use { in: [...] } or { hasAll: [...] }`,
      );
    else parts.push(fieldCondition(collection, f, value as FieldCondition));
  }
  return and(parts);
}

// ------------------------------------------------------------------------------------------
// Cursors: base64url(JSON {s: sort signature, v: sort values, i: id}).
// ------------------------------------------------------------------------------------------

interface CursorPayload {
  readonly s: string;
  readonly v: (Scalar | null)[];
  readonly i: string;
}

const signature = (sort: readonly SortSpec[]): string =>
  sort.map((s) => `${s.field.path}:${s.direction}`).join(',');

export function sortValue(doc: Document, id: string, f: FieldInfo): Scalar | null {
  if (f.isId) return id;
  const value = getPath(doc, f.path);
  return value === undefined || value === null || typeof value === 'object' ? null : value;
}

export function encodeCursor(sort: readonly SortSpec[], doc: Document, id: string): string {
  return cursorEncoder(sort)(doc, id);
}

/** The cursor of each document of a page: the sort's signature and keys worked out once. */
export function cursorEncoder(sort: readonly SortSpec[]): (doc: Document, id: string) => string {
  const s = signature(sort);
  const keys = sort.filter((key) => !key.field.isId).map((key) => key.field);
  return (doc, id) => {
    const payload: CursorPayload = { s, v: keys.map((f) => sortValue(doc, id, f)), i: id };
    return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  };
}

function decodeCursor(sort: readonly SortSpec[], cursor: string): CursorPayload {
  let payload: CursorPayload;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorPayload;
  } catch {
    throw new InvalidQueryError('Invalid cursor');
  }
  const keys = sort.filter((s) => !s.field.isId);
  if (
    payload === null ||
    typeof payload !== 'object' ||
    payload.s !== signature(sort) ||
    !Array.isArray(payload.v) ||
    payload.v.length !== keys.length ||
    typeof payload.i !== 'string'
  ) {
    throw new InvalidQueryError('Cursor does not belong to this sort order');
  }
  keys.forEach((key, index) => {
    const v = payload.v[index];
    if (v !== null && typeof v !== key.field.type) throw new InvalidQueryError('Invalid cursor');
  });
  return payload;
}

/** Null sorts lowest (first ascending, last descending) on both adapters. */
function equalTo(f: FieldInfo, v: Scalar | null): Condition {
  return v === null
    ? { kind: 'exists', field: f, exists: false }
    : { kind: 'eq', field: f, value: v };
}

function strictlyAfter(f: FieldInfo, direction: 'asc' | 'desc', v: Scalar | null): Condition {
  if (direction === 'asc') {
    return v === null
      ? { kind: 'exists', field: f, exists: true }
      : { kind: 'range', field: f, op: 'gt', value: v };
  }
  if (v === null) return FALSE;
  return or([
    { kind: 'range', field: f, op: 'lt', value: v },
    { kind: 'exists', field: f, exists: false },
  ]);
}

/** Before `v` in the order `direction`: after it in the opposite order (nulls sort lowest). */
const strictlyBefore = (f: FieldInfo, direction: 'asc' | 'desc', v: Scalar | null): Condition =>
  strictlyAfter(f, direction === 'asc' ? 'desc' : 'asc', v);

function cursorValues(sort: readonly SortSpec[], payload: CursorPayload): (Scalar | null)[] {
  const values: (Scalar | null)[] = [];
  let index = 0;
  for (const s of sort) values.push(s.field.isId ? payload.i : payload.v[index++]);
  return values;
}

/** The keyset complement of afterCursor: strictly before the cursor, or the cursor's own keys. */
function atOrBeforeCursor(sort: readonly SortSpec[], payload: CursorPayload): Condition {
  const values = cursorValues(sort, payload);
  const equal = (n: number): Condition[] => sort.slice(0, n).map((s, j) => equalTo(s.field, values[j]));
  const branches: Condition[] = sort.map((s, i) => and([...equal(i), strictlyBefore(s.field, s.direction, values[i])]));
  branches.push(and(equal(sort.length)));
  return or(branches);
}

/** Keyset condition: (k1 > v1) OR (k1 = v1 AND k2 > v2) OR ... with id as the last key. */
function afterCursor(sort: readonly SortSpec[], payload: CursorPayload): Condition {
  const values = cursorValues(sort, payload);
  const branches: Condition[] = [];
  for (let i = 0; i < sort.length; i++) {
    const prefix = sort.slice(0, i).map((s, j) => equalTo(s.field, values[j]));
    branches.push(and([...prefix, strictlyAfter(sort[i].field, sort[i].direction, values[i])]));
  }
  return or(branches);
}

const given = (cursor: string | null | undefined): cursor is string => cursor !== undefined && cursor !== null && cursor !== '';

export function compileQuery(collection: CollectionInfo, query: FindQuery = {}): CompiledQuery {
  const backward = (query.last !== undefined && query.last !== null) || given(query.before);
  if (backward && ((query.first !== undefined && query.first !== null) || given(query.after))) {
    throw new InvalidQueryError('page forward (first, after) or backward (last, before), not both');
  }
  const first = (backward ? query.last : query.first) ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new InvalidQueryError(`${backward ? 'last' : 'first'} must be an integer between 0 and ${MAX_PAGE_SIZE}`);
  }
  const sort: SortSpec[] = [];
  for (const key of query.sort ?? []) {
    const f = field(collection, key.field);
    if (isArrayType(f.type))
      throw new InvalidQueryError(`${collection.name}.${f.path}: cannot sort on an array field`);
    const direction = key.direction ?? 'asc';
    if (direction !== 'asc' && direction !== 'desc')
      throw new InvalidQueryError(`Invalid sort direction ${String(direction)}`);
    if (sort.some((s) => s.field.path === f.path)) continue;
    sort.push({ field: f, direction });
    if (f.isId) break; // id is unique: later keys never matter
  }
  if (!sort.some((s) => s.field.isId))
    sort.push({ field: field(collection, 'id'), direction: 'asc' });
  const filter = compileFilter(collection, query.filter);
  // Backward is forward over the reversed order (nulls stay lowest), from the same cursors.
  const walk = backward
    ? sort.map((key) => ({ field: key.field, direction: key.direction === 'asc' ? ('desc' as const) : ('asc' as const) }))
    : sort;
  const text = backward ? query.before : query.after;
  if (!given(text)) return { filter, pageFilter: filter, precedingFilter: null, sort: walk, order: sort, first, backward };
  const cursor = decodeCursor(sort, text);
  return {
    filter,
    pageFilter: and([filter, afterCursor(walk, cursor)]),
    precedingFilter: and([filter, atOrBeforeCursor(walk, cursor)]),
    sort: walk,
    order: sort,
    first,
    backward,
  };
}

/**
 * The page of what an adapter's walk found: `rows`, the first `first` documents in the walk's
 * order; `more` whether the walk went on past them; `behind` whether `precedingFilter` matched
 * anything. Cursors are encoded (in the query's order) when first read, but the end ones.
 */
export function pageOf<T extends Document>(
  compiled: CompiledQuery,
  rows: readonly { readonly id: string; readonly doc: Document }[],
  more: boolean,
  totalCount: number,
  behind: boolean,
): Page<T> {
  const taken = rows.slice(0, compiled.first);
  if (compiled.backward) taken.reverse();
  const cursorOf = cursorEncoder(compiled.order);
  const first = taken[0];
  const last = taken.at(-1);
  let cursors: string[] | undefined;
  return {
    items: taken.map((row) => row.doc as T),
    totalCount,
    hasNextPage: compiled.backward ? behind : more,
    hasPreviousPage: compiled.backward ? more : behind,
    get cursors(): string[] {
      return (cursors ??= taken.map((row) => cursorOf(row.doc, row.id)));
    },
    startCursor: first ? cursorOf(first.doc, first.id) : null,
    endCursor: last ? cursorOf(last.doc, last.id) : null,
  };
}
