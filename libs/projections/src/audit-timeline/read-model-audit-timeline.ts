import type { Filter, Page, ReadModelStore } from '@ppl/read-model';
import { AUDIT_TIMELINE, type TimelineDoc } from './audit-timeline.projection';
import { checkTimelineQuery, InvalidTimelineQueryError, type AuditTimeline, type TimelineQuery } from './audit-timeline.port';

/**
 * The timeline from the `auditTimeline` projection's collection (the scale-out deployment:
 * EventStoreDB cannot search by actor or type). `reach(position)` waits until the projection
 * has applied `position` (read your writes); it is given by the caller, which knows where the
 * projections run.
 */
export class ReadModelAuditTimeline implements AuditTimeline {
  readonly source = 'read-model' as const;

  constructor(
    private readonly store: Pick<ReadModelStore, 'find'>,
    private readonly reach: (position: number) => Promise<void> = () => Promise.resolve(),
  ) {}

  async search(query: TimelineQuery, position?: number): Promise<Page<TimelineDoc>> {
    checkTimelineQuery(query);
    const f = query.filter;
    const and: Filter[] = [];
    if (f.streamId) and.push({ streamId: f.streamId });
    if (f.actorId) and.push({ actorId: f.actorId });
    if (f.types && f.types.length > 0) and.push({ type: { in: [...f.types] } });
    if (f.from) and.push({ recordedAt: { gte: f.from } });
    if (f.to) and.push({ recordedAt: { lte: f.to } });
    if (position !== undefined) await this.reach(position);
    try {
      return await this.store.find<TimelineDoc>(AUDIT_TIMELINE, {
        filter: { and },
        sort: [{ field: 'position' }],
        ...(query.backward ? { last: query.first, before: query.before ?? null } : { first: query.first, after: query.after ?? null }),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'READ_MODEL_INVALID_QUERY') {
        throw new InvalidTimelineQueryError(query.backward ? 'before' : 'after', `${query.backward ? 'before' : 'after'} is not a cursor of this auditTrail: ${(error as Error).message}`);
      }
      throw error;
    }
  }
}
