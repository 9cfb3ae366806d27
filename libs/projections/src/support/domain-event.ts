import { eventSchemas, isEventType, upcast, type DomainEvent } from '@ppl/domain';
import type { RecordedEvent } from '@ppl/event-store';

/**
 * A recorded event as the domain's current version of it, or null for a type the domain does
 * not know (ignored: new types appear over time). Events at the current schema version were
 * validated by the command side before they were appended, so they are taken as stored; older
 * versions go through the domain's upcasters (which validate the result). An unreadable old
 * event throws StoredEventInvalidError: the projection stops on it rather than skip it.
 */
export function domainEventOf(event: RecordedEvent): DomainEvent | null {
  if (!isEventType(event.type)) return null;
  if (event.schemaVersion === eventSchemas[event.type].schemaVersion) {
    return { type: event.type, data: event.data } as DomainEvent;
  }
  return { type: event.type, data: upcast(event.type, event.schemaVersion, event.data).data } as DomainEvent;
}

/** The id after a stream's prefix: `partnership-p1` → `p1`. */
export const idOfStream = (streamId: string, prefix: string): string => streamId.slice(prefix.length);

/** Business time of an event: its data's `at` (every domain event has one), else the envelope's. */
export function businessTimeOf(event: RecordedEvent, domain: DomainEvent | null): string {
  const at = (domain?.data as { at?: unknown } | undefined)?.at;
  if (typeof at === 'string') return at;
  return event.metadata.businessTime ?? event.recordedAt;
}
