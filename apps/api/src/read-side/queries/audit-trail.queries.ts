import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ppl/event-store';
import {
  AUDIT_TIMELINE_SEARCH,
  InvalidTimelineQueryError,
  MAX_TIMELINE_TYPES,
  type AuditTimeline,
  type TimelineDoc,
  type TimelineFilter,
} from '@ppl/projections';
import { connectionOf, pageWindow, toConnection, type Connection, type PageArgs } from '../connection';
import { ReadSideInputError, ReadSideNotFoundError } from '../read-side.errors';

export interface AuditTrailFilterInput {
  streamId?: string | null;
  actorId?: string | null;
  types?: string[] | null;
  from?: Date | string | null;
  to?: Date | string | null;
}

export class AuditTrailQuery {
  constructor(
    readonly filter: AuditTrailFilterInput,
    readonly page: PageArgs,
    readonly position: number | undefined,
  ) {}
}

export class PartnershipHistoryQuery {
  constructor(
    readonly id: string,
    readonly page: PageArgs,
  ) {}
}

const iso = (value: Date | string): string => (value instanceof Date ? value.toISOString() : new Date(value).toISOString());

/**
 * The auditors' timeline, from the configured AuditTimeline: the event store itself on the
 * embedded default (always current: a `position` needs no wait), the `auditTimeline`
 * projection's collection with EventStoreDB (which waits for it to reach a `position`).
 */
@QueryHandler(AuditTrailQuery)
export class AuditTrailHandler implements IQueryHandler<AuditTrailQuery, Connection<TimelineDoc>> {
  constructor(@Inject(AUDIT_TIMELINE_SEARCH) private readonly timeline: AuditTimeline) {}

  async execute(query: AuditTrailQuery): Promise<Connection<TimelineDoc>> {
    const window = pageWindow(query.page);
    const f = query.filter;
    if (f.types && f.types.length > MAX_TIMELINE_TYPES) {
      throw new ReadSideInputError(`at most ${MAX_TIMELINE_TYPES} types`, [{ path: 'filter.types', message: `at most ${MAX_TIMELINE_TYPES}` }]);
    }
    const position = query.position;
    if (position !== undefined && (!Number.isSafeInteger(position) || position < -1)) {
      throw new ReadSideInputError('position must be a global position (an integer ≥ -1)', [{ path: 'position', message: 'integer ≥ -1' }]);
    }
    const filter: TimelineFilter = {
      ...(f.streamId ? { streamId: f.streamId } : {}),
      ...(f.actorId ? { actorId: f.actorId } : {}),
      ...(f.types && f.types.length > 0 ? { types: f.types } : {}),
      ...(f.from ? { from: iso(f.from) } : {}),
      ...(f.to ? { to: iso(f.to) } : {}),
    };
    try {
      const page = await this.timeline.search(
        window.backward
          ? { filter, first: window.size, backward: true, before: window.cursor }
          : { filter, first: window.size, after: window.cursor },
        position,
      );
      return toConnection(page, (doc) => doc);
    } catch (error) {
      if (error instanceof InvalidTimelineQueryError) throw new ReadSideInputError(error.message, [{ path: error.path, message: error.path === 'after' || error.path === 'before' ? 'not a cursor of this query' : error.message }]);
      throw error;
    }
  }
}

/**
 * A partnership's events straight from the event store (the source of truth, no projection to
 * wait for), in revision order. The cursor is the revision of the last event of the page.
 */
@QueryHandler(PartnershipHistoryQuery)
export class PartnershipHistoryHandler implements IQueryHandler<PartnershipHistoryQuery, Connection<RecordedEvent>> {
  constructor(@Inject(EVENT_STORE) private readonly events: EventStore) {}

  async execute(query: PartnershipHistoryQuery): Promise<Connection<RecordedEvent>> {
    const window = pageWindow(query.page);
    let cursor: number | undefined;
    if (window.cursor !== null) {
      cursor = Number(window.cursor);
      if (!/^\d+$/.test(window.cursor) || !Number.isSafeInteger(cursor)) {
        const path = window.backward ? 'before' : 'after';
        throw new ReadSideInputError(`${path} must be a cursor of partnershipHistory`, [{ path, message: 'a revision' }]);
      }
    }
    const streamId = `partnership-${query.id}`;
    const [last] = await this.events.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (last === undefined) throw new ReadSideNotFoundError(`no partnership ${query.id}`);
    const count = last.revision + 1;
    // Revisions from..to-1 (a stream never shrinks: revisions 0..last all exist).
    const to = window.backward ? Math.min(cursor ?? count, count) : count;
    const from = window.backward ? Math.max(0, to - window.size) : Math.min(cursor === undefined ? 0 : cursor + 1, count);
    const size = window.backward ? to - from : Math.min(window.size, count - from);
    const items = size <= 0 ? [] : await this.events.readStream(streamId, { fromRevision: from, maxCount: size });
    const cursors = items.map((event) => String(event.revision));
    return connectionOf(items, {
      cursors,
      startCursor: cursors[0] ?? null,
      endCursor: cursors.at(-1) ?? null,
      // Forward: something after the page, and something at or before `after`; backward:
      // something before the page, and something at or after `before`.
      hasNextPage: window.backward ? cursor !== undefined && cursor <= last.revision : from + items.length < count,
      hasPreviousPage: window.backward ? from > 0 : cursor !== undefined,
      totalCount: count,
    });
  }
}
