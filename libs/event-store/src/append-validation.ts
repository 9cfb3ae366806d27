import { InvalidAppendError } from './errors';
import type { EventMetadata, ExpectedRevision, NewEvent } from './event-store.port';
import { canonicalJson } from './hash-chain';
import { isUuid, uuidToBytes } from './uuid-bytes';

/** An event checked and encoded once, before any adapter touches its store. */
export interface PreparedEvent {
  /** Lower-case UUID. */
  readonly id: string;
  readonly idBytes: Buffer;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  /** canonicalJson(data): what the SQLite adapter stores and what the hash covers. */
  readonly dataJson: string;
  readonly metadataJson: string;
}

export interface PreparedAppend {
  readonly streamId: string;
  readonly events: readonly PreparedEvent[];
  readonly expected: ExpectedRevision;
}

/**
 * The checks every adapter applies before writing (so both refuse the same appends with
 * InvalidAppendError): a non-empty stream id not starting with '$' (EventStoreDB's system
 * streams), a valid expected revision, UUID event ids not repeated in the batch, non-empty
 * types not starting with '$', integer schema versions >= 0, JSON-serialisable payloads.
 */
export function prepareAppend(
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): PreparedAppend {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new InvalidAppendError(String(streamId), 'the stream id must be a non-empty string');
  }
  if (streamId.startsWith('$')) throw new InvalidAppendError(streamId, "stream ids starting with '$' are reserved");
  if (
    !(expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') &&
    !(typeof expected === 'number' && Number.isSafeInteger(expected) && expected >= 0)
  ) {
    throw new InvalidAppendError(
      streamId,
      `invalid expectedRevision ${String(expected)} (a revision >= 0, 'no_stream', 'stream_exists' or 'any')`,
    );
  }
  if (!Array.isArray(events)) throw new InvalidAppendError(streamId, 'events must be an array');
  const seen = events.length > 1 ? new Set<string>() : undefined;
  const prepared = events.map((event: NewEvent): PreparedEvent => {
    if (!isUuid(event.id)) throw new InvalidAppendError(streamId, `event id ${String(event.id)} is not a UUID`);
    const id = event.id.toLowerCase();
    if (seen) {
      if (seen.has(id)) throw new InvalidAppendError(streamId, `event id ${id} appears twice in the batch`);
      seen.add(id);
    }
    if (typeof event.type !== 'string' || event.type.length === 0 || event.type.startsWith('$')) {
      throw new InvalidAppendError(streamId, `event type ${String(event.type)} is empty or reserved`);
    }
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 0) {
      throw new InvalidAppendError(streamId, `schema version ${String(event.schemaVersion)} is not an integer >= 0`);
    }
    const data = event.data === undefined ? null : event.data;
    const metadata = event.metadata ?? {};
    let dataJson: string;
    let metadataJson: string;
    try {
      // Stored as canonical JSON (keys sorted): valid JSON that reads back as the same values,
      // and exactly the text the hash covers, so each payload is encoded once.
      dataJson = canonicalJson(data);
      metadataJson = canonicalJson(metadata);
    } catch (error) {
      throw new InvalidAppendError(streamId, `event ${id} is not JSON-serialisable: ${describe(error)}`);
    }
    return { id, idBytes: uuidToBytes(id), type: event.type, schemaVersion: event.schemaVersion, data, metadata, dataJson, metadataJson };
  });
  return { streamId, events: prepared, expected };
}


function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
