import type { z } from 'zod';
import { organisationEventDataSchemas } from '../organisation/organisation.events';
import { strategyEventDataSchemas } from '../strategy/strategy.events';
import { partnershipEventDataSchemas } from '../partnership/partnership.events';
import { personEventDataSchemas } from '../person/person';

/** Every domain event type. */
export type EventType = keyof typeof organisationEventDataSchemas | keyof typeof strategyEventDataSchemas | keyof typeof partnershipEventDataSchemas | keyof typeof personEventDataSchemas;

/** Current schema version per event type: bump it, and add an upcaster, when a shape changes. */
const CURRENT_VERSIONS: Partial<Record<EventType, number>> = {
  PartnershipProposed: 2,
};

const allDataSchemas: Record<EventType, z.ZodType> = {
  ...organisationEventDataSchemas,
  ...strategyEventDataSchemas,
  ...partnershipEventDataSchemas,
  ...personEventDataSchemas,
};

export interface EventSchemaEntry {
  schemaVersion: number;
  data: z.ZodType;
}

/** For every event type: its current schema version and the zod schema of its data. */
export const eventSchemas = Object.fromEntries(
  (Object.keys(allDataSchemas) as EventType[]).map((type) => [type, { schemaVersion: CURRENT_VERSIONS[type] ?? 1, data: allDataSchemas[type] }]),
) as Record<EventType, EventSchemaEntry>;

export const EVENT_TYPES = Object.keys(eventSchemas) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(eventSchemas, type);
}

/** The schema version a new event of this type is stored with. */
export const schemaVersionOf = (type: EventType): number => eventSchemas[type].schemaVersion;
