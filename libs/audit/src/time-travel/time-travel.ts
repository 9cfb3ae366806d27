import type { EventStore, RecordedEvent } from '@ppl/event-store';
import { HOME_STRATEGY_STREAM, partnershipStreamOf } from '../recorded';
import {
  EMPTY_FOLD,
  cutStream,
  foldPartnership,
  partnershipAsOfFold,
  type AsOfCut,
  type PartnershipAsOf,
  type PartnershipFold,
} from './partnership-as-of';
import {
  SNAPSHOT_FORMAT,
  decodeFold,
  encodeFold,
  snapshotContentHash,
  type PartnershipSnapshot,
  type SnapshotStore,
} from './snapshots';

/**
 * Time travel from the event store, with snapshots where a long stream would otherwise be slow.
 *
 * Reading: the newest snapshot within the cut (at or below `atRevision`; for `asOf`, one whose
 * events were all recorded by then) is looked up; the stream is read from the snapshot's
 * revision on; the event there must carry the hash and position the snapshot recorded, and the
 * snapshot's content hash must match. Then the fold continues from the snapshot. Otherwise (no
 * snapshot, a snapshot that does not verify, a snapshot store that fails) the stream is folded
 * from the start: a snapshot never changes an answer, it only saves folding.
 *
 * Writing: behind the read path. While folding, the fold after every `every`-th event not yet
 * covered is kept (states are immutable, so that is a reference); once the answer is returned
 * they are encoded and saved one by one, and a snapshot that was rejected is removed (or
 * replaced by the fresh one at its revision). A failed write is logged and counted; the query
 * has already been answered.
 *
 * The home strategy is not snapshotted: it is folded to the cut's own global position, which no
 * partnership snapshot can know in advance, and its stream is a handful of events.
 */
export type SnapshotOutcome = 'used' | 'rejected' | 'written' | 'write_failed' | 'lookup_failed';

export interface TimeTravelLogger {
  warn(message: string, detail: Record<string, unknown>): void;
}

export interface TimeTravelOptions {
  /** Omit for no snapshots (every answer folds the whole stream). */
  readonly snapshots?: SnapshotStore;
  /** A snapshot after every this many events of a stream (revisions every-1, 2·every-1, …); 0: none. */
  readonly every?: number;
  readonly logger?: TimeTravelLogger;
  /** Called for every snapshot used, rejected, written or failed (metrics). */
  readonly onSnapshot?: (outcome: SnapshotOutcome) => void;
  /** Snapshots waiting to be written at most (more are dropped: a later query writes them). */
  readonly maxPendingWrites?: number;
  /** A snapshot lookup slower than this is given up and the stream folded from the start. Default 2000. */
  readonly lookupTimeoutMs?: number;
}

export const DEFAULT_SNAPSHOT_EVERY = 500;

interface PendingSnapshot {
  readonly kind: 'save';
  readonly key: string;
  readonly streamId: string;
  readonly event: RecordedEvent;
  readonly fold: PartnershipFold;
  readonly maxRecordedAt: string;
}

export class TimeTravel {
  private readonly every: number;
  private readonly maxPending: number;
  /** Snapshots to write and rejected ones to remove, by stream and revision. */
  private readonly pending = new Map<string, PendingSnapshot | PendingDiscard>();
  private writing: Promise<void> | undefined;
  readonly counts: Record<SnapshotOutcome, number> = {
    used: 0,
    rejected: 0,
    written: 0,
    write_failed: 0,
    lookup_failed: 0,
  };

  constructor(
    private readonly store: EventStore,
    private readonly options: TimeTravelOptions = {},
  ) {
    this.every = options.snapshots ? (options.every ?? DEFAULT_SNAPSHOT_EVERY) : 0;
    this.maxPending = options.maxPendingWrites ?? 256;
  }

  /** The partnership at the cut; null when it did not exist yet then. */
  async partnershipAsOf(partnershipId: string, cut: AsOfCut): Promise<PartnershipAsOf | null> {
    const streamId = partnershipStreamOf(partnershipId);
    const strategyRead = this.store.readStream(HOME_STRATEGY_STREAM);
    // Awaited below; a failure of the partnership's read first must not leave it unhandled.
    strategyRead.catch(() => undefined);
    let from = EMPTY_FOLD;
    let fromRevision = -1;
    let maxRecordedAt: string | null = null;
    let events: RecordedEvent[] | undefined;

    const snapshot = await this.findSnapshot(streamId, cut);
    if (snapshot) {
      const tail = await this.store.readStream(streamId, {
        fromRevision: snapshot.revision,
        ...(cut.atRevision !== undefined
          ? { maxCount: cut.atRevision - snapshot.revision + 1 }
          : {}),
      });
      const restored = this.restore(snapshot, tail[0]);
      if (restored) {
        from = restored;
        fromRevision = snapshot.revision;
        maxRecordedAt = snapshot.maxRecordedAt;
        events = tail;
        this.count('used');
      }
    }
    events ??= await this.store.readStream(
      streamId,
      cut.atRevision !== undefined ? { maxCount: cut.atRevision + 1 } : {},
    );

    const included = cutStream(events, cut);
    const last = included[included.length - 1];
    if (!last) {
      await strategyRead;
      return null;
    }
    const toFold = fromRevision >= 0 ? included.slice(1) : included;
    const captures: PendingSnapshot[] = [];
    const fold = foldPartnership(from, toFold, (after, event) => {
      if (maxRecordedAt === null || Date.parse(event.recordedAt) > Date.parse(maxRecordedAt))
        maxRecordedAt = event.recordedAt;
      if (this.every > 0 && (event.revision + 1) % this.every === 0 && event.hash !== undefined)
        captures.push({
          kind: 'save',
          key: snapshotKey(streamId, event.revision),
          streamId,
          event,
          fold: after,
          maxRecordedAt,
        });
    });
    const answer = partnershipAsOfFold(fold, last, await strategyRead, cut);
    this.writeBehind(captures);
    return answer;
  }

  /** Resolves once every snapshot queued so far has been written (or has failed). */
  async idle(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async findSnapshot(
    streamId: string,
    cut: AsOfCut,
  ): Promise<PartnershipSnapshot | undefined> {
    if (this.every <= 0 || !this.options.snapshots) return undefined;
    // Snapshots are kept by revision and recorded time; a cut by business time folds from the start.
    if (cut.businessAsOf !== undefined) return undefined;
    // None can lie below the first one.
    if (cut.atRevision !== undefined && cut.atRevision < this.every - 1) return undefined;
    let maxRecordedAt: string | undefined;
    if (cut.asOf !== undefined) {
      const limit = Date.parse(cut.asOf);
      if (Number.isNaN(limit)) return undefined;
      try {
        maxRecordedAt = new Date(limit).toISOString();
      } catch {
        return undefined;
      }
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        this.options.snapshots.latest(streamId, { maxRevision: cut.atRevision, maxRecordedAt }),
        new Promise<never>((_, reject) => {
          const ms = this.options.lookupTimeoutMs ?? 2000;
          timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
          timer.unref();
        }),
      ]);
    } catch (error) {
      this.count('lookup_failed');
      this.options.logger?.warn('time travel: snapshot lookup failed; folding from the start', {
        streamId,
        err: error,
      });
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The snapshot's fold if it verifies against the store's event at its revision. */
  private restore(
    snapshot: PartnershipSnapshot,
    event: RecordedEvent | undefined,
  ): PartnershipFold | undefined {
    const reject = (reason: string): undefined => {
      this.count('rejected');
      const key = snapshotKey(snapshot.streamId, snapshot.revision);
      if (!this.pending.has(key))
        this.pending.set(key, {
          kind: 'discard',
          key,
          streamId: snapshot.streamId,
          revision: snapshot.revision,
        });
      this.options.logger?.warn('time travel: snapshot discarded; folding from the start', {
        streamId: snapshot.streamId,
        revision: snapshot.revision,
        reason,
      });
      return undefined;
    };
    if (snapshot.format !== SNAPSHOT_FORMAT) return reject(`format ${snapshot.format}`);
    const { contentHash, ...rest } = snapshot;
    if (snapshotContentHash(rest) !== contentHash)
      return reject('its content does not match its content hash');
    if (!event || event.revision !== snapshot.revision)
      return reject(`the stream has no event at revision ${snapshot.revision}`);
    if (event.hash === undefined || event.hash !== snapshot.eventHash)
      return reject('the event at its revision does not carry the hash it recorded');
    if (event.position !== snapshot.position)
      return reject('the event at its revision is not at the position it recorded');
    if (Date.parse(event.recordedAt) > Date.parse(snapshot.maxRecordedAt))
      return reject('the event at its revision was recorded after its recorded time');
    try {
      const fold = decodeFold(snapshot.content) as PartnershipFold;
      if (
        typeof fold !== 'object' ||
        fold === null ||
        typeof fold.state !== 'object' ||
        fold.state === null ||
        fold.state.revision !== snapshot.revision
      )
        return reject('its content is not a fold at its revision');
      return { state: fold.state, businessTime: fold.businessTime ?? null };
    } catch {
      return reject('its content is not a deflated JSON text');
    }
  }

  private writeBehind(captures: readonly PendingSnapshot[]): void {
    for (const capture of captures) {
      const queued = this.pending.get(capture.key);
      // A fresh snapshot replaces a rejected one rather than removing it.
      if (queued?.kind === 'discard') this.pending.set(capture.key, capture);
      else if (!queued && this.pending.size < this.maxPending)
        this.pending.set(capture.key, capture);
    }
    this.kick();
  }

  private kick(): void {
    if (this.pending.size === 0 || this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (;;) {
      // After the answer went out: one snapshot per turn of the event loop.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const next = this.pending.values().next();
      if (next.done) return;
      const write = next.value;
      try {
        if (write.kind === 'save') {
          await this.options.snapshots?.save(encode(write));
          this.count('written');
        } else {
          await this.options.snapshots?.discard(write.streamId, write.revision);
        }
      } catch (error) {
        this.count('write_failed');
        this.options.logger?.warn(
          write.kind === 'save'
            ? 'time travel: a snapshot could not be written'
            : 'time travel: a rejected snapshot could not be removed',
          {
            streamId: write.streamId,
            revision: write.kind === 'save' ? write.event.revision : write.revision,
            err: error,
          },
        );
      } finally {
        this.pending.delete(write.key);
      }
    }
  }

  private count(outcome: SnapshotOutcome): void {
    this.counts[outcome]++;
    this.options.onSnapshot?.(outcome);
  }
}

interface PendingDiscard {
  readonly kind: 'discard';
  readonly key: string;
  readonly streamId: string;
  readonly revision: number;
}

const snapshotKey = (streamId: string, revision: number): string => `${streamId}@${revision}`;

function encode(capture: PendingSnapshot): PartnershipSnapshot {
  const unsigned = {
    streamId: capture.streamId,
    revision: capture.event.revision,
    position: capture.event.position,
    eventHash: capture.event.hash ?? '',
    maxRecordedAt: capture.maxRecordedAt,
    format: SNAPSHOT_FORMAT,
    content: encodeFold({ state: capture.fold.state, businessTime: capture.fold.businessTime }),
  };
  return { ...unsigned, contentHash: snapshotContentHash(unsigned) };
}
