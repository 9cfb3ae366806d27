/**
 * @ppl/domain — the pure, event-sourced model of the partnership portfolio ledger.
 * Imports nothing outside itself except zod. No clock, no random ids, no I/O.
 */
export * from './shared/decider';
export * from './shared/decision-context';
export * from './shared/domain-error';
export { BODY_SPEAKERS, speaksFor } from './shared/authorisation';
export * from './shared/time';

export * from './organisation/organisation-kind';
export * from './organisation/organisation.commands';
export * from './organisation/organisation.events';
export * from './organisation/organisation.state';
export * from './organisation/organisation.decider';

export * from './strategy/escalation-rule';
export * from './strategy/thresholds';
export * from './strategy/capability';
export * from './strategy/strategy.commands';
export * from './strategy/strategy.events';
export * from './strategy/strategy.state';
export * from './strategy/strategy.decider';

export * from './partnership/vocabulary';
export * from './partnership/partnership.commands';
export * from './partnership/partnership.events';
export * from './partnership/partnership.state';
export * from './partnership/partnership.decider';
export { gateUnmet, gatesBetween, interestCoverage, unrepairedSkips, type InterestCoverage } from './partnership/phases/phase-gates';
export { effectiveRules, rulesFor, type TriggerOccurrence } from './partnership/escalation/effective-rules';
export { requestEscalationId } from './partnership/escalation/decisions';
export { RequestedChangeSchema, REQUESTED_CHANGE_FIELDS, describeRequestedChange, fitsRequestedChange, requestedChangeProblems, type RequestedChange } from './partnership/escalation/requested-change';

export * from './person/person';
export * from './privacy/personal-fields';
export { SEALED_PREFIX, isSealed } from './shared/primitives';

export * from './metrics/health';
export * from './metrics/ambition-strength';
export * from './metrics/contribution-balance';
export * from './metrics/sham-signals';
export * from './metrics/thresholds';
export * from './metrics/partnership-metrics';

export * from './events/event-schemas';
export * from './events/upcasters';
export * from './routing';
export * from './testing/decider-specification';
