import { createHash } from 'node:crypto';
import type { RecordedEvent } from './event-store.port';

/**
 * Tamper evidence. Every stored event carries
 *
 *   hash = sha256_hex( canonicalJson({ data, id, metadata, position, prevGlobalHash,
 *                                      prevStreamHash, recordedAt, revision, schemaVersion,
 *                                      streamId, type }) )
 *
 * where prevStreamHash is the hash of the previous event of the same stream ('' for revision 0)
 * and prevGlobalHash the hash of the event at the previous global position ('' for the first).
 * Changing, removing, inserting or reordering any stored event breaks every later hash, so an
 * auditor holding only the newest hash (or any later copy) can tell.
 *
 * The event id is hashed too (beyond the fields the brief listed): ids drive idempotency, so a
 * swapped id must be as visible as a swapped payload.
 *
 * Canonical JSON (close to RFC 8785): object keys sorted by UTF-16 code units, no whitespace,
 * strings and numbers as JSON.stringify writes them, `undefined`/functions/symbols dropped from
 * objects and written `null` in arrays, `toJSON()` honoured: exactly what JSON.stringify keeps,
 * so the hash computed before storing equals the hash recomputed from the stored JSON text.
 */
export function canonicalJson(value: unknown): string {
  return encode(value) ?? 'null';
}

function encode(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: a BigInt is not JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      return value === null ? 'null' : encodeObject(value);
  }
}

function encodeObject(value: object): string | undefined {
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') {
    return encode((withToJson.toJSON as () => unknown).call(value));
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += encode(value[i]) ?? 'null';
    }
    return out + ']';
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) {
    return encode(value.valueOf());
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const encoded = encode(record[key]);
    if (encoded === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + encoded;
    first = false;
  }
  return out + '}';
}

/** The fields an event's hash covers (besides the two links). */
export interface HashedEventFields {
  readonly id: string;
  readonly streamId: string;
  readonly revision: number;
  /** Global position. The EventStoreDB adapter hashes `-1` here: the server assigns positions after the write. */
  readonly position: number;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: unknown;
  readonly recordedAt: string;
}

/** The exact text that is hashed (exported so an auditor can show what was hashed). */
export function eventHashInput(event: HashedEventFields, prevStreamHash: string, prevGlobalHash: string): string {
  return encodedEventHashInput(
    event,
    canonicalJson(event.data === undefined ? null : event.data),
    canonicalJson(event.metadata === undefined ? {} : event.metadata),
    prevStreamHash,
    prevGlobalHash,
  );
}

/** sha256 (hex) of the event's canonical encoding chained to its two predecessors. */
export function eventHash(event: HashedEventFields, prevStreamHash: string, prevGlobalHash: string): string {
  return createHash('sha256').update(eventHashInput(event, prevStreamHash, prevGlobalHash)).digest('hex');
}

/**
 * eventHash for a writer that already holds `canonicalJson(data)` and `canonicalJson(metadata)`
 * (the SQLite adapter stores exactly those texts, so it encodes each payload once).
 */
export function eventHashOfEncoded(
  event: Omit<HashedEventFields, 'data' | 'metadata'>,
  canonicalData: string,
  canonicalMetadata: string,
  prevStreamHash: string,
  prevGlobalHash: string,
): string {
  return createHash('sha256')
    .update(encodedEventHashInput(event, canonicalData, canonicalMetadata, prevStreamHash, prevGlobalHash))
    .digest('hex');
}

function encodedEventHashInput(
  event: Omit<HashedEventFields, 'data' | 'metadata'>,
  canonicalData: string,
  canonicalMetadata: string,
  prevStreamHash: string,
  prevGlobalHash: string,
): string {
  // Keys written in sorted order by hand: the same text as canonicalJson({...}) of the whole
  // envelope, without sorting and re-encoding it per event.
  return (
    '{"data":' +
    canonicalData +
    ',"id":' +
    JSON.stringify(event.id.toLowerCase()) +
    ',"metadata":' +
    canonicalMetadata +
    ',"position":' +
    canonicalJson(event.position) +
    ',"prevGlobalHash":' +
    JSON.stringify(prevGlobalHash) +
    ',"prevStreamHash":' +
    JSON.stringify(prevStreamHash) +
    ',"recordedAt":' +
    JSON.stringify(event.recordedAt) +
    ',"revision":' +
    canonicalJson(event.revision) +
    ',"schemaVersion":' +
    canonicalJson(event.schemaVersion) +
    ',"streamId":' +
    JSON.stringify(event.streamId) +
    ',"type":' +
    JSON.stringify(event.type) +
    '}'
  );
}

export type HashChainVerdict =
  | { readonly ok: true; readonly checked: number; readonly lastHash: string }
  | {
      readonly ok: false;
      readonly checked: number;
      readonly position: number;
      readonly streamId: string;
      readonly revision: number;
      readonly reason: string;
    };

/**
 * Checks the chain event by event, fed in global order from the very first event (page through
 * `readAll` and call `check` for each). Memory: one hash per stream.
 */
export class HashChainVerifier {
  private prevGlobalHash = '';
  private lastPosition = Number.NEGATIVE_INFINITY;
  private readonly streams = new Map<string, { revision: number; hash: string }>();
  private checked = 0;
  private failure: Extract<HashChainVerdict, { ok: false }> | undefined;

  /**
   * Defaults check the SQLite adapter's chain. For EventStoreDB's pass
   * `{ positionsHashed: false, globalChain: false }` (see eventstoredb-event-store.ts).
   */
  constructor(private readonly options: { readonly positionsHashed?: boolean; readonly globalChain?: boolean } = {}) {}

  /** Returns false (and keeps the first failure) once the chain is broken. */
  check(event: RecordedEvent): boolean {
    if (this.failure) return false;
    const fail = (reason: string): false => {
      this.failure = {
        ok: false,
        checked: this.checked,
        position: event.position,
        streamId: event.streamId,
        revision: event.revision,
        reason,
      };
      return false;
    };
    if (!(event.position > this.lastPosition)) return fail(`position ${event.position} does not increase`);
    const stream = this.streams.get(event.streamId);
    const expectedRevision = stream ? stream.revision + 1 : 0;
    if (event.revision !== expectedRevision) {
      return fail(`revision ${event.revision} where ${expectedRevision} was expected`);
    }
    if (event.hash === undefined) return fail('no hash stored');
    const hashed = this.options.positionsHashed === false ? { ...event, position: -1 } : event;
    const prevGlobal = this.options.globalChain === false ? '' : this.prevGlobalHash;
    const recomputed = eventHash(hashed, stream ? stream.hash : '', prevGlobal);
    if (recomputed !== event.hash) return fail('hash does not match the event and its predecessors');
    this.streams.set(event.streamId, { revision: event.revision, hash: event.hash });
    this.prevGlobalHash = event.hash;
    this.lastPosition = event.position;
    this.checked++;
    return true;
  }

  verdict(): HashChainVerdict {
    return this.failure ?? { ok: true, checked: this.checked, lastHash: this.prevGlobalHash };
  }
}

/** Verifies a whole global order (from the first event) at once. */
export function verifyHashChain(events: Iterable<RecordedEvent>): HashChainVerdict {
  const verifier = new HashChainVerifier();
  for (const event of events) if (!verifier.check(event)) break;
  return verifier.verdict();
}
