import { deciders, latest, type PartnershipState, type StrategyState } from '@ppl/domain';
import type { RecordedEvent } from '@ppl/event-store';
import { partnershipView, viewAt, type PartnershipView } from '@ppl/projections';
import { asPartnershipEvent, businessTimeOf, evolveStrategy, isKnownEvent } from '../recorded';

/**
 * Time travel: a partnership as it stood at a revision of its stream, or at a moment.
 *
 * - `atRevision`: the stream's events up to and including that revision.
 * - `asOf`: the events the store had RECORDED by then (recordedAt ≤ asOf), i.e. what anyone
 *   could have seen at that moment. Not business time: a caller supplies business times and may
 *   back-date them; the store's order and clock are the record. The prefix stops at the first
 *   event recorded later, so the result is always a prefix of the stream in position order.
 * - `businessAsOf`: the history as its own dates tell it — the events up to the first one whose
 *   business time is later (also a prefix: an event back-dated behind a later one does not
 *   reorder the record). For a history recorded after the fact (an import, the demo seed), the
 *   answer to "where did it stand on that day?".
 * Given together, every cut applies (the shortest prefix wins).
 *
 * The home strategy is folded up to the global position of the last event included (the rules,
 * themes and thresholds that applied then) and, for a cut at a moment, on to that moment (a
 * threshold changed after the partnership's last event but before the moment applied then too).
 * The view is `partnershipView` — the very function the portfolio projection stores rows with —
 * at the latest business time of the events included, as the projection computed it when it
 * applied that event; a cut at a moment then finishes it there with `viewAt`, as a query
 * finishes the live row at its clock: days in phase, time-driven signals and overdue
 * escalations as they stood at that moment.
 *
 * The fold can start from a snapshot (`PartnershipFold` after some revision, see
 * time-travel.ts): `partnershipAsOfFrom` continues it with the events after that revision and
 * gives exactly what folding the whole prefix gives.
 */
export interface AsOfCut {
  readonly atRevision?: number;
  readonly asOf?: string;
  readonly businessAsOf?: string;
}

export interface PartnershipAsOf {
  readonly state: PartnershipState;
  readonly strategy: StrategyState;
  readonly view: PartnershipView;
  readonly revision: number;
  readonly position: number;
}

/** The partnership's fold after some prefix of its stream: all a later fold needs from it. */
export interface PartnershipFold {
  readonly state: PartnershipState;
  /** Latest business time of the events folded (null: none yet). */
  readonly businessTime: string | null;
}

export const EMPTY_FOLD: PartnershipFold = {
  state: deciders.partnership.initialState,
  businessTime: null,
};

/** The events of one stream (revision order) up to the cut. */
export function cutStream(stream: readonly RecordedEvent[], cut: AsOfCut): RecordedEvent[] {
  let end = stream.length;
  if (cut.atRevision !== undefined)
    end = Math.min(end, stream.findIndex((e) => e.revision > (cut.atRevision as number)) >>> 0);
  if (cut.asOf !== undefined) {
    const limit = Date.parse(cut.asOf);
    const later = stream.findIndex((e) => Date.parse(e.recordedAt) > limit);
    if (later >= 0) end = Math.min(end, later);
  }
  if (cut.businessAsOf !== undefined) {
    const limit = Date.parse(cut.businessAsOf);
    const later = stream.findIndex((e) => Date.parse(businessTimeOf(e)) > limit);
    if (later >= 0) end = Math.min(end, later);
  }
  return stream.slice(0, end);
}

/**
 * Continues a fold with `events` (the stream's next events, in revision order); `visit` sees the
 * fold after each event (states are never mutated, so it may keep them).
 */
export function foldPartnership(
  from: PartnershipFold,
  events: readonly RecordedEvent[],
  visit?: (fold: PartnershipFold, event: RecordedEvent) => void,
): PartnershipFold {
  let state = from.state;
  let businessTime = from.businessTime;
  for (const recorded of events) {
    if (isKnownEvent(recorded)) {
      state = deciders.partnership.evolve(state, asPartnershipEvent(recorded));
      businessTime = latest(businessTime, businessTimeOf(recorded));
    }
    visit?.({ state, businessTime }, recorded);
  }
  return { state, businessTime };
}

/**
 * The answer for a fold that ends with `last` (the last event included): null when the
 * partnership did not exist yet. `strategyEvents` are the home strategy's events (any extent:
 * only those positioned up to `last` are folded).
 */
export function partnershipAsOfFold(
  fold: PartnershipFold,
  last: RecordedEvent,
  strategyEvents: readonly RecordedEvent[],
  cut: AsOfCut = {},
): PartnershipAsOf | null {
  const { state, businessTime: asOf } = fold;
  if (!state.exists || asOf === null) return null;
  const moments = [cut.asOf, cut.businessAsOf].filter((m): m is string => m !== undefined);
  // Beyond the partnership's last event, a strategy event counts when every moment of the cut admits it.
  const admitted = (e: RecordedEvent): boolean =>
    moments.length > 0 &&
    (cut.asOf === undefined || Date.parse(e.recordedAt) <= Date.parse(cut.asOf)) &&
    (cut.businessAsOf === undefined || Date.parse(businessTimeOf(e)) <= Date.parse(cut.businessAsOf));
  let strategy: StrategyState = deciders.strategy.initialState;
  for (const e of strategyEvents) {
    if (e.position > last.position && !admitted(e)) break;
    if (isKnownEvent(e)) strategy = evolveStrategy(strategy, e);
  }
  const stored = partnershipView(state, strategy, asOf, {
    position: last.position,
    lastActivityAt: asOf,
  });
  const moment = moments.reduce<string | undefined>((a, b) => (a === undefined || Date.parse(b) < Date.parse(a) ? b : a), undefined);
  const view = moment === undefined ? stored : viewAt(stored, new Date(Date.parse(moment)).toISOString());
  return { state, strategy, view, revision: last.revision, position: last.position };
}

/**
 * Folds the cut; null when the partnership did not exist yet at that point. `strategyEvents` are
 * the home strategy's events (any extent: only those positioned before the cut are folded).
 */
export function partnershipAsOf(
  stream: readonly RecordedEvent[],
  strategyEvents: readonly RecordedEvent[],
  cut: AsOfCut,
): PartnershipAsOf | null {
  const included = cutStream(stream, cut);
  const last = included[included.length - 1];
  if (!last) return null;
  return partnershipAsOfFold(foldPartnership(EMPTY_FOLD, included), last, strategyEvents, cut);
}
