import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@ppl/event-store';
import { AUDIT_TIMELINE, type TimelineDoc } from '@ppl/projections';
import { READ_MODEL_STORE, type Filter, type ReadModelStore } from '@ppl/read-model';
import { findPage, pageSize, toConnection, type Connection, type PageArgs } from '../connection';
import { ReadSideInputError, ReadSideNotFoundError } from '../read-side.errors';
import { ReadYourWrites } from '../read-your-writes';

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

@QueryHandler(AuditTrailQuery)
export class AuditTrailHandler implements IQueryHandler<AuditTrailQuery, Connection<TimelineDoc>> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    private readonly ryw: ReadYourWrites,
  ) {}

  async execute(query: AuditTrailQuery): Promise<Connection<TimelineDoc>> {
    const first = pageSize(query.page.first);
    const f = query.filter;
    const and: Filter[] = [];
    if (f.streamId) and.push({ streamId: f.streamId });
    if (f.actorId) and.push({ actorId: f.actorId });
    if (f.types && f.types.length > 0) {
      if (f.types.length > 100) throw new ReadSideInputError('at most 100 types', [{ path: 'filter.types', message: 'at most 100' }]);
      and.push({ type: { in: f.types } });
    }
    if (f.from) and.push({ recordedAt: { gte: iso(f.from) } });
    if (f.to) and.push({ recordedAt: { lte: iso(f.to) } });
    await this.ryw.reach(query.position, ['auditTimeline']);
    const page = await findPage<TimelineDoc>(this.store, AUDIT_TIMELINE, { filter: { and }, sort: [{ field: 'position' }], first, after: query.page.after ?? null });
    return toConnection(page, (doc) => doc);
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
    const first = pageSize(query.page.first);
    let from = 0;
    if (query.page.after !== null && query.page.after !== undefined) {
      const after = Number(query.page.after);
      if (!/^\d+$/.test(query.page.after) || !Number.isSafeInteger(after)) {
        throw new ReadSideInputError('after must be a cursor of partnershipHistory', [{ path: 'after', message: 'a revision' }]);
      }
      from = after + 1;
    }
    const streamId = `partnership-${query.id}`;
    const [last] = await this.events.readStream(streamId, { direction: 'backwards', maxCount: 1 });
    if (last === undefined) throw new ReadSideNotFoundError(`no partnership ${query.id}`);
    const items = first === 0 || from > last.revision ? [] : await this.events.readStream(streamId, { fromRevision: from, maxCount: first });
    const end = items.at(-1);
    return {
      nodes: items,
      pageInfo: { hasNextPage: (end?.revision ?? from - 1) < last.revision, endCursor: end ? String(end.revision) : null },
      totalCount: last.revision + 1,
    };
  }
}
