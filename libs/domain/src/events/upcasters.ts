import { PartnershipProposedV1Schema } from '../partnership/partnership.events';
import { eventSchemas, isEventType, type EventType } from './event-schemas';

/**
 * A stored event failed to read: unknown type, a version with no upcaster, or data that does
 * not match its schema. Its own class, not a DomainError: it is not a refusal, it is damage.
 */
export class StoredEventInvalidError extends Error {
  override readonly name = 'StoredEventInvalidError';
  readonly code = 'STORED_EVENT_INVALID';

  constructor(
    readonly eventType: string,
    readonly schemaVersion: number,
    readonly issues: { path: string; message: string }[],
  ) {
    super(`stored ${eventType} v${schemaVersion} is invalid: ${issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ')}`);
  }
}

/** Lifts data of one version to the next: `upcasters[type][v]` turns v into v+1. */
type Upcaster = (data: unknown) => unknown;

const upcasters: Partial<Record<EventType, Record<number, Upcaster>>> = {
  PartnershipProposed: {
    // v1 → v2: a partnership proposed before `servesClients` existed has not stated it yet.
    1: (data) => ({ ...PartnershipProposedV1Schema.parse(data), servesClients: null }),
  },
};

/**
 * Reads a stored event at any schema version as the current one: upcasts step by step, then
 * validates with the current schema. Throws StoredEventInvalidError for anything unreadable.
 */
export function upcast(type: string, schemaVersion: number, data: unknown): { schemaVersion: number; data: unknown } {
  if (!isEventType(type)) throw new StoredEventInvalidError(type, schemaVersion, [{ path: 'type', message: 'unknown event type' }]);
  const current = eventSchemas[type].schemaVersion;
  if (!Number.isInteger(schemaVersion) || schemaVersion < 1 || schemaVersion > current) {
    throw new StoredEventInvalidError(type, schemaVersion, [{ path: 'schemaVersion', message: `expected 1..${current}` }]);
  }
  let lifted = data;
  try {
    for (let v = schemaVersion; v < current; v++) {
      const step = upcasters[type]?.[v];
      if (!step) throw new StoredEventInvalidError(type, schemaVersion, [{ path: 'schemaVersion', message: `no upcaster from v${v}` }]);
      lifted = step(lifted);
    }
  } catch (error) {
    if (error instanceof StoredEventInvalidError) throw error;
    throw new StoredEventInvalidError(type, schemaVersion, issuesOf(error));
  }
  const parsed = eventSchemas[type].data.safeParse(lifted);
  if (!parsed.success) throw new StoredEventInvalidError(type, schemaVersion, issuesOf(parsed.error));
  return { schemaVersion: current, data: parsed.data };
}

function issuesOf(error: unknown): { path: string; message: string }[] {
  if (typeof error === 'object' && error !== null && 'issues' in error && Array.isArray(error.issues)) {
    return (error.issues as { path: PropertyKey[]; message: string }[]).map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  }
  return [{ path: '', message: error instanceof Error ? error.message : String(error) }];
}
