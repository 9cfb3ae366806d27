import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { canonicalJson } from '@ppl/event-store';
import {
  CheckpointConflictError,
  defineCollection,
  put,
  remove,
  type Change,
  type ProjectionSchema,
  type ReadModelStore,
} from '@ppl/read-model';

/**
 * Snapshots of time travel's fold: a cache, never a source of truth.
 *
 * A snapshot holds the partnership's fold (state and latest business time) after one revision
 * of its stream, and what ties it to the record: the revision, the global position and the hash
 * of the event at that revision, and the latest recordedAt of the events up to it (so an `asOf`
 * cut can tell whether the snapshot lies within it). `contentHash` covers all of that and the
 * content, so a snapshot altered or corrupted where it is stored is recognised; the event hash
 * is compared with the store's before use, so a snapshot of a stream that was rewritten since is
 * recognised too. Either way the snapshot is discarded and the stream folded from the start.
 */
export const SNAPSHOT_FORMAT = 1;

export interface PartnershipSnapshot {
  readonly streamId: string;
  /** Revision of the last event folded into it. */
  readonly revision: number;
  /** Global position of that event. */
  readonly position: number;
  /** Hash of that event as the store holds it. */
  readonly eventHash: string;
  /** Latest recordedAt of the events up to `revision` (ISO-8601). */
  readonly maxRecordedAt: string;
  readonly format: number;
  /** The fold `{ state, businessTime }` as JSON, deflated, in base64 (`encodeFold`). */
  readonly content: string;
  /** sha256 of the canonical encoding of every other field, a newline and the content. */
  readonly contentHash: string;
}

/** Where a snapshot may come from: at or below a revision, and recorded by a moment. */
export interface SnapshotBounds {
  readonly maxRevision?: number;
  /** ISO-8601 (as `toISOString` writes it): only snapshots whose events were all recorded by then. */
  readonly maxRecordedAt?: string;
}

export interface SnapshotStore {
  /** The newest snapshot of the stream within the bounds, if any. */
  latest(streamId: string, bounds: SnapshotBounds): Promise<PartnershipSnapshot | undefined>;
  /** Stores (or replaces) the snapshot at its stream and revision. */
  save(snapshot: PartnershipSnapshot): Promise<void>;
  /** Removes the snapshot at that stream and revision, if any. */
  discard(streamId: string, revision: number): Promise<void>;
}

/**
 * A fold as stored: deflated JSON in base64. A partnership's state keeps its whole history, so
 * on long streams it is megabytes of repetitive JSON; deflated it is a small fraction of that to
 * store and to read back.
 */
export function encodeFold(fold: unknown): string {
  return deflateRawSync(JSON.stringify(fold)).toString('base64');
}

/** Throws when the content is not a deflated JSON text. */
export function decodeFold(content: string): unknown {
  const json = inflateRawSync(Buffer.from(content, 'base64'));
  // Plain ASCII (the usual case) reads as latin1 at once; UTF-8 decoding of megabytes is not free.
  return JSON.parse(json.toString(isAscii(json) ? 'latin1' : 'utf8'));
}

export function snapshotContentHash(snapshot: Omit<PartnershipSnapshot, 'contentHash'>): string {
  // The fields that tie it to the record, canonically, then the content as it is (no second
  // encoding of a possibly large text).
  return createHash('sha256')
    .update(
      canonicalJson({
        streamId: snapshot.streamId,
        revision: snapshot.revision,
        position: snapshot.position,
        eventHash: snapshot.eventHash,
        maxRecordedAt: snapshot.maxRecordedAt,
        format: snapshot.format,
      }),
    )
    .update('\n')
    .update(snapshot.content)
    .digest('hex');
}

const documentId = (streamId: string, revision: number): string => `${streamId}@${revision}`;

/** The read model's copy: its own projection, so it works on the embedded store and MongoDB. */
export const SNAPSHOT_PROJECTION = 'timeTravelSnapshots';
export const SNAPSHOT_COLLECTION = 'partnershipSnapshots';

export const SNAPSHOT_SCHEMA: ProjectionSchema = {
  name: SNAPSHOT_PROJECTION,
  version: SNAPSHOT_FORMAT,
  collections: [
    defineCollection({
      name: SNAPSHOT_COLLECTION,
      indexes: { streamId: 'string', revision: 'number', maxRecordedAt: 'string' },
    }),
  ],
};

/**
 * Snapshots in the configured read-model store. The port writes only through a projection's
 * commit with an increasing checkpoint; this projection follows no event order, so its
 * checkpoint is just a counter of writes (guarded, retried on a concurrent writer).
 */
export class ReadModelSnapshotStore implements SnapshotStore {
  private registered: Promise<void> | undefined;

  constructor(private readonly readModel: ReadModelStore) {}

  private register(): Promise<void> {
    this.registered ??= this.readModel
      .registerProjection(SNAPSHOT_SCHEMA)
      .catch((error: unknown) => {
        this.registered = undefined;
        throw error;
      });
    return this.registered;
  }

  async latest(streamId: string, bounds: SnapshotBounds): Promise<PartnershipSnapshot | undefined> {
    await this.register();
    const page = await this.readModel.find(SNAPSHOT_COLLECTION, {
      filter: {
        streamId,
        ...(bounds.maxRevision !== undefined ? { revision: { lte: bounds.maxRevision } } : {}),
        ...(bounds.maxRecordedAt !== undefined
          ? { maxRecordedAt: { lte: bounds.maxRecordedAt } }
          : {}),
      },
      sort: [{ field: 'revision', direction: 'desc' }],
      first: 1,
    });
    const doc = page.items[0];
    if (!doc) return undefined;
    return {
      streamId: String(doc.streamId),
      revision: Number(doc.revision),
      position: Number(doc.position),
      eventHash: String(doc.eventHash),
      maxRecordedAt: String(doc.maxRecordedAt),
      format: Number(doc.format),
      content: String(doc.content),
      contentHash: String(doc.contentHash),
    };
  }

  save(snapshot: PartnershipSnapshot): Promise<void> {
    return this.write(
      put(SNAPSHOT_COLLECTION, documentId(snapshot.streamId, snapshot.revision), { ...snapshot }),
    );
  }

  discard(streamId: string, revision: number): Promise<void> {
    return this.write(remove(SNAPSHOT_COLLECTION, documentId(streamId, revision)));
  }

  private async write(doc: Change): Promise<void> {
    await this.register();
    for (let attempt = 0; ; attempt++) {
      const checkpoint = await this.readModel.getCheckpoint(SNAPSHOT_PROJECTION);
      try {
        await this.readModel.commit(SNAPSHOT_PROJECTION, [doc], checkpoint + 1, {
          expectedCheckpoint: checkpoint,
        });
        return;
      } catch (error) {
        if (!(error instanceof CheckpointConflictError) || attempt >= 4) throw error;
      }
    }
  }
}
