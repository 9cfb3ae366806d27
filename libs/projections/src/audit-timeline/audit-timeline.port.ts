/**
 * The auditors' timeline search (the `auditTrail` query): every recorded event as a TimelineDoc,
 * in global order, filtered by stream, actor, types and recording time, a Relay page at a time.
 *
 * Two adapters answer it alike (one contract suite: same events in, same pages, order, counts
 * and cursor walks):
 * - the event store itself (embedded SQLite: `SqliteAuditTimeline` of @ppl/audit), which is
 *   always current: nothing to wait for, nothing to rebuild;
 * - the `auditTimeline` projection's collection in the read model (`ReadModelAuditTimeline`),
 *   for EventStoreDB, which cannot search by actor or type; it waits for the projection when
 *   asked to read a write.
 */
import type { Page } from '@ppl/read-model';
import type { TimelineDoc } from './audit-timeline.projection';

/** All given conditions must hold; `from`/`to` bound the recording time (ISO-8601, inclusive). */
export interface TimelineFilter {
  readonly streamId?: string;
  readonly actorId?: string;
  /** At most MAX_TIMELINE_TYPES; an empty list does not filter. */
  readonly types?: readonly string[];
  readonly from?: string;
  readonly to?: string;
}

export interface TimelineQuery {
  readonly filter: TimelineFilter;
  /** Page size, 0..500 as every connection of the API (also when paging backward). */
  readonly first: number;
  /** A cursor of the timeline (any filter): the page starts right after its event. */
  readonly after?: string | null;
  /** Paging backward: the page is the `first` events right before `before`, or the last ones. */
  readonly backward?: boolean;
  readonly before?: string | null;
}

export const MAX_TIMELINE_TYPES = 100;

export interface AuditTimeline {
  /** Where the answers come from: the event store (always current) or the read model. */
  readonly source: 'event-store' | 'read-model';
  /**
   * One page, ordered by position. With `position` (read your writes) the answer reflects
   * every event up to it: the store answers at once, the read model waits for its projection.
   */
  search(query: TimelineQuery, position?: number): Promise<Page<TimelineDoc>>;
}

/** DI token for the configured AuditTimeline. */
export const AUDIT_TIMELINE_SEARCH = Symbol.for('ppl.AuditTimeline');

/** A cursor not of this search, or a filter out of bounds: the caller's input, nothing was read. */
export class InvalidTimelineQueryError extends Error {
  readonly code = 'AUDIT_TIMELINE_INVALID_QUERY' as const;
  constructor(
    readonly path: 'after' | 'before' | 'filter.types',
    message: string,
  ) {
    super(message);
    this.name = 'InvalidTimelineQueryError';
  }
}

/** Refuses what both adapters refuse, before either reads anything. */
export function checkTimelineQuery(query: TimelineQuery): void {
  if ((query.filter.types?.length ?? 0) > MAX_TIMELINE_TYPES) {
    throw new InvalidTimelineQueryError('filter.types', `at most ${MAX_TIMELINE_TYPES} types`);
  }
}
