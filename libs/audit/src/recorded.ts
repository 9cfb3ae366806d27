import {
  HOME_STRATEGY_ID,
  deciders,
  isEventType,
  upcast,
  type PartnershipEvent,
  type StrategyEvent,
  type StrategyState,
} from '@ppl/domain';
import type { RecordedEvent } from '@ppl/event-store';

/** The home strategy's stream: the escalation rules every partnership command is decided under. */
export const HOME_STRATEGY_STREAM = `strategy-${HOME_STRATEGY_ID}`;
export const PARTNERSHIP_PREFIX = 'partnership-';

export const partnershipStreamOf = (partnershipId: string): string =>
  `${PARTNERSHIP_PREFIX}${partnershipId}`;
export const partnershipIdOf = (streamId: string): string =>
  streamId.slice(PARTNERSHIP_PREFIX.length);
export const isPartnershipStream = (streamId: string): boolean =>
  streamId.startsWith(PARTNERSHIP_PREFIX);

/**
 * Whether the domain knows the event's type. An unknown one (written by a newer version during a
 * rolling upgrade, say) is passed over by the audit folds as the projections pass over it, so time
 * travel and the compliance report keep answering, and agree with the live portfolio.
 */
export const isKnownEvent = (event: RecordedEvent): boolean => isEventType(event.type);

/** A stored event read as the domain's current version of it (older versions upcast). */
export function asDomainEvent<E extends { type: string; data: unknown }>(event: RecordedEvent): E {
  return { type: event.type, data: upcast(event.type, event.schemaVersion, event.data).data } as E;
}

export const asPartnershipEvent = (event: RecordedEvent): PartnershipEvent =>
  asDomainEvent<PartnershipEvent>(event);

/** Folds the home strategy one stored event at a time. */
export function evolveStrategy(state: StrategyState, event: RecordedEvent): StrategyState {
  return deciders.strategy.evolve(state, asDomainEvent<StrategyEvent>(event));
}

/**
 * Business time of an event: the time in its data, else the command's, else when it was recorded
 * (the same precedence as the portfolio projection, so time travel and the projection agree).
 */
export function businessTimeOf(event: RecordedEvent): string {
  const at = (event.data as { at?: unknown } | null)?.at;
  if (typeof at === 'string') return at;
  const fromMeta = event.metadata.businessTime;
  return typeof fromMeta === 'string' ? fromMeta : event.recordedAt;
}

/** A pointer to one stored event: what an auditor cites. */
export interface EventRef {
  readonly type: string;
  readonly revision: number;
  readonly position: number;
  readonly recordedAt: string;
  readonly businessTime: string;
}

export function refOf(event: RecordedEvent): EventRef {
  return {
    type: event.type,
    revision: event.revision,
    position: event.position,
    recordedAt: event.recordedAt,
    businessTime: businessTimeOf(event),
  };
}
