/**
 * The audit timeline: one document per event of the global stream, every type (also types the
 * domain does not know), by position, stream, type, actor and time. The event data stays in the
 * event store: this is the index auditors search; they read the data from the store.
 */
import type { RecordedEvent } from '@ppl/event-store';
import { defineCollection, put, type Change, type Document } from '@ppl/read-model';
import { defineProjection } from '../runner/projection';

export const AUDIT_TIMELINE = 'audit_timeline';

export const auditTimelineCollection = defineCollection({
  name: AUDIT_TIMELINE,
  indexes: { position: 'number', streamId: 'string', type: 'string', actorId: 'string', businessTime: 'string', recordedAt: 'string' },
});

export interface TimelineDoc extends Document {
  id: string;
  position: number;
  eventId: string;
  streamId: string;
  revision: number;
  type: string;
  schemaVersion: number;
  actorId: string | null;
  actorRole: string | null;
  actorOrganisationId: string | null;
  commandId: string | null;
  correlationId: string | null;
  businessTime: string | null;
  recordedAt: string;
}

/** Zero-padded so that id order is position order. */
export const timelineId = (position: number): string => String(position).padStart(16, '0');

/** What a timeline document is made of (a recorded event has it all; `data` only for its `at`). */
export type TimelineSource = Pick<RecordedEvent, 'id' | 'position' | 'streamId' | 'revision' | 'type' | 'schemaVersion' | 'data' | 'metadata' | 'recordedAt'>;

export function timelineDoc(event: TimelineSource): TimelineDoc {
  const m = event.metadata;
  const data = event.data as { at?: unknown } | null;
  return {
    id: timelineId(event.position),
    position: event.position,
    eventId: event.id,
    streamId: event.streamId,
    revision: event.revision,
    type: event.type,
    schemaVersion: event.schemaVersion,
    actorId: m.actor?.id ?? null,
    actorRole: m.actor?.role ?? null,
    actorOrganisationId: m.actor?.organisationId ?? null,
    commandId: m.commandId ?? null,
    correlationId: m.correlationId ?? null,
    businessTime: m.businessTime ?? (typeof data?.at === 'string' ? data.at : null),
    recordedAt: event.recordedAt,
  };
}

/**
 * The cursor of the page ending at `position`: the read model's own cursor of a search sorted by
 * position (base64url of its sort signature (position, then id), sort value and document id), so that the timeline's
 * cursors are the same strings whichever adapter answers.
 */
export function timelineCursor(position: number): string {
  return Buffer.from(JSON.stringify({ s: 'position:asc,id:asc', v: [position], i: timelineId(position) }), 'utf8').toString('base64url');
}

/** The position a timeline cursor points at, undefined when it is not one. */
export function positionOfTimelineCursor(cursor: string): number | undefined {
  try {
    const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; v?: unknown; i?: unknown };
    const position = Array.isArray(payload.v) && payload.v.length === 1 ? (payload.v[0] as unknown) : undefined;
    if (payload.s !== 'position:asc,id:asc' || typeof position !== 'number' || !Number.isSafeInteger(position) || payload.i !== timelineId(position)) return undefined;
    return position;
  } catch {
    return undefined;
  }
}

export const auditTimelineProjection = defineProjection({
  name: 'auditTimeline',
  version: 1,
  collections: [auditTimelineCollection],
  apply(event: RecordedEvent): Change[] {
    return [put(AUDIT_TIMELINE, timelineId(event.position), timelineDoc(event))];
  },
  /** Each event has its own document: a run's changes are its events' changes. */
  applyBatch(events: readonly RecordedEvent[]): Change[] {
    return events.map((event) => put(AUDIT_TIMELINE, timelineId(event.position), timelineDoc(event)));
  },
});
