import type { ApolloServerPlugin, BaseContext, GraphQLRequestContext } from '@apollo/server';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import {
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  Kind,
  type SelectionNode,
  defaultFieldResolver,
  valueFromASTUntyped,
  visit,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Principal } from '@ppl/auth';
import type { ReadSideVersion } from '../read-side/response-validity';

/**
 * Whole-response cache of read-side queries (`@apollo/server-plugin-response-cache`), correct by
 * construction rather than by expiry:
 *
 * - KEY: the operation (document, operation name, variables), the read side's version (every
 *   projection's generation and checkpoint, read before the operation runs) and the audience
 *   (role and organisation: what the role matrix and the redaction of personal data depend on).
 *   Any commit or rebuild swap changes the version, so an entry is never served once the read
 *   model moved on; the answer stored under a version was read after it, so it is at least as new.
 *   The key also holds how many people this process has forgotten: an answer opened with a key
 *   is not served once that key is destroyed here, before PersonForgotten is even projected.
 * - CLOCK: each cacheable Query field reports until when its answer holds at constant read model
 *   (days in phase, time-driven signals, overdue escalations); the entry lives until the earliest
 *   of them, less a second, and never longer than RESPONSE_CACHE_MAX_AGE_SECONDS.
 * - ONLY whole answers of listed read-side fields: an operation with any other root field
 *   (`__typename` included), a mutation, a subscription, an error or a partial result is not cached.
 * - READ YOUR WRITES: a request naming a position (argument or `x-min-position`) reads the cache
 *   only when every projection's checkpoint in the version has reached it; otherwise it runs
 *   (and waits, or answers PROJECTION_LAGGING) as without a cache.
 */

/** Per request, in the GraphQL context: what the executed root fields reported. */
export class ResponseCacheScope {
  /** Root response key → instant (epoch ms) until which its answer holds. */
  readonly covered = new Map<string, number>();
  /** False when the request may not be answered from the cache (position not reached). */
  readable = true;
  /** False when nothing may be written (the version could not be read). */
  writable = true;
  /** Set when this request's answer was written to the cache. */
  stored = false;

  cover(key: string, until: number): void {
    const known = this.covered.get(key);
    this.covered.set(key, known === undefined ? until : Math.min(known, until));
  }
}

interface CacheContext extends BaseContext {
  req?: { headers?: Record<string, string | string[] | undefined> };
  principal?: Principal;
  responseCache?: ResponseCacheScope;
}

/**
 * Wraps the listed Query fields so that each reports, in the request's scope, until when its
 * answer holds (`from` is taken before the resolver runs, so never after the clock it used).
 */
export function reportCacheableFields(
  schema: GraphQLSchema,
  cacheable: Readonly<Record<string, (args: Record<string, unknown>, result: unknown, from: number) => number>>,
): string[] {
  const wrapped: string[] = [];
  const fields = schema.getQueryType()?.getFields() ?? {};
  for (const [name, stableUntil] of Object.entries(cacheable)) {
    const field = fields[name];
    if (!field) throw new Error(`response cache: no Query field ${name}`);
    const resolve: GraphQLFieldResolver<unknown, CacheContext> = field.resolve ?? defaultFieldResolver;
    field.resolve = async (parent, args: Record<string, unknown>, context: CacheContext, info) => {
      const from = Date.now();
      const result: unknown = await resolve(parent, args, context, info);
      context?.responseCache?.cover(info.path.key as string, stableUntil(args, result, from));
      return result;
    };
    wrapped.push(name);
  }
  return wrapped;
}

/**
 * The cache's memory: least recently used entries evicted past `maxBytes` (string length of the
 * stored responses, keys included), each entry expiring at a wall-clock instant (the same clock
 * the answers are computed at).
 */
export class ResponseCacheStore {
  private readonly entries: LRUCache<string, { value: string; expiresAt: number }>;

  constructor(maxBytes: number) {
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (entry, key) => Math.max(1, entry.value.length + key.length) });
  }

  get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) return Promise.resolve(undefined);
    if (Date.now() >= entry.expiresAt) {
      this.entries.delete(key);
      return Promise.resolve(undefined);
    }
    return Promise.resolve(entry.value);
  }

  set(key: string, value: string, options?: { ttl?: number | null }): Promise<void> {
    const ttl = options?.ttl;
    if (typeof ttl === 'number' && ttl > 0) this.entries.set(key, { value, expiresAt: Date.now() + ttl * 1000 });
    return Promise.resolve();
  }

  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.entries.delete(key));
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.entries.calculatedSize;
  }
}

/** The position a request asks to read at least: the largest `position` argument, else `x-min-position`; `invalid` if unreadable. */
export function requestedMinPosition(requestContext: GraphQLRequestContext<CacheContext>): number | undefined | 'invalid' {
  let position: number | undefined;
  let invalid = false;
  const take = (value: unknown): void => {
    if (value === null || value === undefined) return;
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) invalid = true;
    else position = position === undefined ? value : Math.max(position, value);
  };
  const variables = requestContext.request.variables ?? {};
  // Only root read-side fields take a `position`: a document that never spells it has none.
  if (requestContext.document && requestContext.source?.includes('position') !== false) {
    visit(requestContext.document, {
      [Kind.ARGUMENT]: (node) => {
        if (node.name.value === 'position') take(valueFromASTUntyped(node.value, variables));
      },
    });
  }
  const raw = requestContext.contextValue.req?.headers?.['x-min-position'];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (header !== undefined && header !== '') take(Number(header));
  return invalid ? 'invalid' : position;
}

/** The names of an operation's root fields (through fragments), or null when one cannot be named. */
export function rootFieldNames(requestContext: GraphQLRequestContext<CacheContext>): string[] | null {
  const operation = requestContext.operation;
  if (!operation) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of requestContext.document?.definitions ?? []) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const names: string[] = [];
  const seen = new Set<string>();
  const collect = (selections: readonly SelectionNode[]): boolean => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) names.push(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (!collect(selection.selectionSet.selections)) return false;
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) return false;
        if (seen.has(fragment.name.value)) continue;
        seen.add(fragment.name.value);
        if (!collect(fragment.selectionSet.selections)) return false;
      }
    }
    return true;
  };
  return collect(operation.selectionSet.selections) ? names : null;
}

export interface ResponseCacheOptions {
  /** The Query fields that report how long their answer holds (an operation with any other is not cached). */
  cacheable: ReadonlySet<string>;
  store: ResponseCacheStore;
  /** The read side's version now (null: not cacheable). */
  version: () => Promise<ReadSideVersion | null>;
  /** People forgotten in this process so far: an answer opened before a forget is not served after it. */
  forgotten: () => number;
  maxAgeSeconds: number;
  registry: Registry;
}

/** The Apollo plugins: the response cache, keyed and gated as above, and its metrics. */
export function responseCachePlugins(options: ResponseCacheOptions): ApolloServerPlugin<CacheContext>[] {
  const requests = new Counter({
    name: 'ppl_response_cache_requests_total',
    help: 'GraphQL queries by response cache outcome: hit (served from the cache), miss (run, then cached), uncached (run, not cacheable)',
    labelNames: ['outcome'] as const,
    registers: [options.registry],
  });
  const { store } = options;
  new Gauge({
    name: 'ppl_response_cache_entries',
    help: 'Responses held by the response cache',
    registers: [options.registry],
    collect() {
      this.set(store.size);
    },
  });
  new Gauge({
    name: 'ppl_response_cache_bytes',
    help: 'Size of the responses held by the response cache (string length), bounded by RESPONSE_CACHE_MAX_BYTES',
    registers: [options.registry],
    collect() {
      this.set(store.bytes);
    },
  });

  const scopeOf = (requestContext: GraphQLRequestContext<CacheContext>): ResponseCacheScope | undefined => requestContext.contextValue.responseCache;

  const cache = responseCachePlugin<CacheContext>({
    cache: store,
    // The audience: answers differ by role (role matrix, redaction) and may by organisation.
    sessionId: async (requestContext) => {
      const principal = requestContext.contextValue.principal;
      return principal ? JSON.stringify([principal.role, principal.organisationId ?? null]) : null;
    },
    extraCacheKeyData: async (requestContext) => {
      const scope = scopeOf(requestContext);
      if (!scope) return null;
      // An operation with a root field that is never cached costs nothing more (no version read, no lookup).
      const roots = requestContext.operation?.operation === 'query' ? rootFieldNames(requestContext) : null;
      if (roots === null || roots.length === 0 || !roots.every((name) => options.cacheable.has(name))) {
        scope.readable = false;
        scope.writable = false;
        return null;
      }
      let version: ReadSideVersion | null = null;
      try {
        version = await options.version();
      } catch {
        version = null;
      }
      if (version === null) {
        scope.readable = false;
        scope.writable = false;
        return null;
      }
      const position = requestedMinPosition(requestContext);
      // A cached answer is at least as new as its version: enough when every projection has reached the position.
      if (position === 'invalid' || (position !== undefined && version.position < position)) scope.readable = false;
      // Forgetting destroys the key before PersonForgotten is appended and projected: until the
      // version moves, the count keeps this process from serving answers opened before it.
      return `${version.key}/${options.forgotten()}`;
    },
    shouldReadFromCache: async (requestContext) => scopeOf(requestContext)?.readable === true,
    shouldWriteToCache: async (requestContext) => {
      const scope = scopeOf(requestContext);
      if (!scope?.writable) return false;
      const body = requestContext.response.body;
      if (body?.kind !== 'single' || body.singleResult.errors?.length || !body.singleResult.data) return false;
      const keys = Object.keys(body.singleResult.data);
      if (keys.length === 0) return false;
      let until = Number.POSITIVE_INFINITY;
      for (const key of keys) {
        const holds = scope.covered.get(key);
        if (holds === undefined) return false; // a root field that is not a cacheable read
        until = Math.min(until, holds);
      }
      // A second less than it holds: the entry's expiry is counted from a moment later than now.
      const maxAge = Math.min(options.maxAgeSeconds, Math.floor((until - Date.now()) / 1000) - 1);
      if (!(maxAge >= 1)) return false;
      requestContext.overallCachePolicy.replace({ maxAge, scope: 'PRIVATE' });
      scope.stored = true;
      return true;
    },
  });

  const metrics: ApolloServerPlugin<CacheContext> = {
    async requestDidStart() {
      return {
        async willSendResponse(requestContext) {
          if (requestContext.operation?.operation !== 'query') return;
          const outcome = requestContext.metrics.responseCacheHit ? 'hit' : scopeOf(requestContext)?.stored ? 'miss' : 'uncached';
          requests.inc({ outcome });
        },
      };
    },
  };
  // The metrics plugin after the cache: its willSendResponse sees what the cache decided.
  return [cache, metrics];
}
