import { DocumentNotFoundError, InvalidChangeError } from '../errors';
import type { Change, Document, JsonValue } from '../read-model.port';
import {
  elementType,
  isArrayType,
  type CollectionInfo,
  type SchemaRegistry,
} from './schema-registry';

/** Value at a dot path; undefined when any step is missing or not an object. */
export function getPath(doc: Document, path: string): JsonValue | undefined {
  if (!path.includes('.')) return Object.hasOwn(doc, path) ? doc[path] : undefined;
  let current: JsonValue | undefined = doc;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * A document as both adapters will store it: JSON round-tripped (undefined dropped, Dates to
 * strings), keys safe for MongoDB, declared fields of their declared type. A document that is
 * already plain JSON with safe keys (what projections build) is returned as it is, not copied:
 * the round trip would give an equal object (large documents, bulk commits). Never mutates it.
 */
export function normalizeDocument(collection: CollectionInfo, id: string, doc: unknown): Document {
  return normalizedWithJson(collection, id, doc).doc;
}

/**
 * `normalizeDocument`, and the document's JSON text (what JSON.stringify gives it), computed
 * once: a writer stores the text right away instead of stringifying a large document again.
 */
export function normalizedWithJson(collection: CollectionInfo, id: string, doc: unknown): { doc: Document; json: string } {
  if (typeof id !== 'string' || id.length === 0)
    throw new InvalidChangeError(`${collection.name}: id must be a non-empty string`);
  let json: unknown;
  let text: string;
  try {
    text = JSON.stringify(doc);
    // Stringified first: a cycle or a BigInt throws there, before isPlainJson walks the value.
    json = isPlainObject(doc) && isPlainJson(doc) ? doc : (JSON.parse(text) as unknown);
  } catch (error) {
    throw new InvalidChangeError(
      `${collection.name}/${id}: document is not JSON: ${String(error)}`,
    );
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new InvalidChangeError(`${collection.name}/${id}: a document must be a JSON object`);
  }
  if (json !== doc) checkKeys(json as Document, `${collection.name}/${id}`);
  const normalized = json as Document;
  for (const field of collection.indexed) {
    if (field.path.includes('.')) checkObjectPath(collection, id, field.path, normalized);
    checkFieldType(collection, id, field.path, field.type, getPath(normalized, field.path));
  }
  return { doc: normalized, json: text };
}

/**
 * A declared dot path leads through objects only: MongoDB follows a path into an array's
 * elements (matching and sorting by them) where the embedded store reads nothing, so the two
 * would answer the same query differently.
 */
function checkObjectPath(collection: CollectionInfo, id: string, path: string, doc: Document): void {
  let current: JsonValue | undefined = doc;
  const steps = path.split('.');
  for (let i = 0; i < steps.length - 1; i++) {
    if (current === null || current === undefined || typeof current !== 'object' || Array.isArray(current)) return;
    current = current[steps[i]];
    if (Array.isArray(current)) {
      throw new InvalidChangeError(
        `${collection.name}/${id}: field ${path} leads through an array at ${steps.slice(0, i + 1).join('.')}; a declared field's path must lead through objects`,
      );
    }
  }
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
};

const safeKey = (key: string): boolean => !(key.startsWith('$') || key.includes('.') || key.includes('\0'));

/**
 * Would the JSON round trip give back an equal value, with keys `checkKeys` accepts? Strings,
 * booleans, null, finite numbers other than -0, arrays without holes or undefined items, plain
 * objects without undefined, function or otherwise non-JSON values. False sends the value
 * through the round trip, which decides (and reports a bad key) exactly as before.
 */
function isPlainJson(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (item === undefined || !isPlainJson(item)) return false;
    }
    return true;
  }
  if (!isPlainObject(value)) return false;
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === undefined || !safeKey(key) || !isPlainJson(item)) return false;
  }
  return true;
}

function checkKeys(value: JsonValue, where: string): void {
  if (Array.isArray(value)) {
    for (const item of value) checkKeys(item, where);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('$') || key.includes('.') || key.includes('\0')) {
        throw new InvalidChangeError(
          `${where}: key "${key}" may not start with $ or contain a dot`,
        );
      }
      checkKeys(item, where);
    }
  }
}

function checkFieldType(
  collection: CollectionInfo,
  id: string,
  path: string,
  type: string,
  value: JsonValue | undefined,
): void {
  if (value === undefined || value === null) return;
  const fail = (): never => {
    throw new InvalidChangeError(
      `${collection.name}/${id}: field ${path} must be ${type}, got ${JSON.stringify(value)}`,
    );
  };
  switch (type) {
    case 'string':
    case 'number':
    case 'boolean':
      if (typeof value !== type) fail();
      return;
    case 'string[]':
    case 'number[]': {
      const element = elementType(type);
      if (!Array.isArray(value) || value.some((item) => typeof item !== element)) fail();
      return;
    }
    default:
      fail();
  }
}

function clone(doc: Document): Document {
  return structuredClone(doc);
}

function applyPatchTo(doc: Document, change: Extract<Change, { op: 'patch' }>): Document {
  const next = clone(doc);
  for (const [path, value] of Object.entries(change.set ?? {})) {
    const keys = path.split('.');
    let target: { [key: string]: JsonValue } = next;
    for (const key of keys.slice(0, -1)) {
      const child: JsonValue | undefined = target[key];
      if (child === undefined || child === null) {
        const created: { [key: string]: JsonValue } = {};
        target[key] = created;
        target = created;
      } else if (typeof child === 'object' && !Array.isArray(child)) {
        target = child;
      } else {
        throw new InvalidChangeError(
          `${change.collection}/${change.id}: cannot set ${path}: ${key} is not an object`,
        );
      }
    }
    target[keys[keys.length - 1]] = structuredClone(value);
  }
  for (const path of change.unset ?? []) {
    const keys = path.split('.');
    let target: JsonValue | undefined = next;
    for (const key of keys.slice(0, -1)) {
      target =
        target !== null && typeof target === 'object' && !Array.isArray(target)
          ? target[key]
          : undefined;
    }
    if (target !== null && typeof target === 'object' && !Array.isArray(target))
      delete target[keys[keys.length - 1]];
  }
  return next;
}

/**
 * The one definition of what a change does, shared by both adapters and by the projection
 * runner's pending batch: `current` is the document before (undefined when missing); returns the
 * document after (undefined when deleted). Never mutates `current`.
 */
export function applyChange(
  collection: CollectionInfo,
  current: Document | undefined,
  change: Change,
): Document | undefined {
  switch (change.op) {
    case 'put':
      return normalizeDocument(collection, change.id, change.doc);
    case 'patch':
      if (current === undefined) throw new DocumentNotFoundError(change.collection, change.id);
      return normalizeDocument(collection, change.id, applyPatchTo(current, change));
    case 'delete':
      return undefined;
  }
}

export const documentKey = (collection: string, id: string): string => `${collection}\u0000${id}`;

export interface ResolvedDocument {
  readonly collection: string;
  readonly id: string;
  /** Final state after the batch; undefined when deleted (or when `put` holds it). */
  readonly doc: Document | undefined;
  /**
   * With `lazyPuts`: the final change was this put, not normalised yet (the writer normalises
   * it with `normalizedWithJson` just before writing it; `doc` is then undefined).
   */
  readonly put?: unknown;
}

/**
 * Check that every change targets a collection of `projection`, and list the stored documents
 * the batch needs (patch targets): collection → ids. Adapters load those before resolving.
 */
export function patchTargets(
  registry: SchemaRegistry,
  projection: string,
  changes: readonly Change[],
): Map<string, string[]> {
  const needed = new Map<string, Set<string>>();
  for (const change of changes) {
    if (
      change === null ||
      typeof change !== 'object' ||
      (change.op !== 'put' && change.op !== 'patch' && change.op !== 'delete')
    ) {
      throw new InvalidChangeError(`Invalid change ${JSON.stringify(change)}`);
    }
    const info = registry.collection(change.collection);
    if (info.projection !== projection) {
      throw new InvalidChangeError(
        `Collection ${change.collection} belongs to ${info.projection}, not ${projection}`,
      );
    }
    if (typeof change.id !== 'string' || change.id.length === 0) {
      throw new InvalidChangeError(`${change.collection}: id must be a non-empty string`);
    }
    if (change.op === 'patch') {
      let ids = needed.get(change.collection);
      if (!ids) needed.set(change.collection, (ids = new Set()));
      ids.add(change.id);
    }
  }
  return new Map([...needed].map(([collection, ids]) => [collection, [...ids]]));
}

/**
 * Resolve a batch of changes, in order, into the final state of every touched document.
 * `stored(collection, id)` gives a document as stored before the batch (only patch targets are
 * asked for). Throws on the first invalid change, so the caller writes nothing.
 */
export function resolveChanges(
  registry: SchemaRegistry,
  projection: string,
  changes: readonly Change[],
  stored: (collection: string, id: string) => Document | undefined,
  /**
   * Leave a document whose last change is a put to be normalised by the writer, one at a time
   * (a rebuild's commit holds hundreds of megabytes of documents: their texts then do not all
   * live at once). The caller must then write nothing it cannot roll back on a later throw.
   */
  lazyPuts = false,
): ResolvedDocument[] {
  patchTargets(registry, projection, changes);
  const final = new Map<string, ResolvedDocument>();
  for (const change of changes) {
    const key = documentKey(change.collection, change.id);
    if (lazyPuts && change.op === 'put') {
      final.set(key, { collection: change.collection, id: change.id, doc: undefined, put: change.doc });
      continue;
    }
    // Only a patch needs the current document: a put or a delete replaces it unread.
    let before: Document | undefined;
    if (change.op === 'patch') {
      const earlier = final.get(key);
      before =
        earlier === undefined
          ? stored(change.collection, change.id)
          : earlier.put !== undefined
            ? normalizeDocument(registry.collection(change.collection), change.id, earlier.put)
            : earlier.doc;
    }
    const after = applyChange(registry.collection(change.collection), before, change);
    final.set(key, { collection: change.collection, id: change.id, doc: after });
  }
  return [...final.values()];
}

export { isArrayType };
