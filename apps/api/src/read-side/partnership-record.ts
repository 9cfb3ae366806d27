import { REDACTED, type PartnershipState } from '@ppl/domain';

/**
 * `Partnership.record`: what the partnership holds as recorded — its value, scope, interests,
 * ambition, pledges, governance, goal progress, evaluations and values at risk — from the folded
 * state the row was derived from (the time-travel cut's state, or the projection's stored state).
 * INDIVIDUAL interests are a delegate's own convictions: their texts are `[redacted]` for a
 * caller who may not read personal data (sealed values are opened for the others at the edge).
 */
export interface PartnershipRecordView {
  revision: number;
  valueForHome: string | null;
  valueForPartnership: string | null;
  scope: PartnershipState['scope'];
  interests: PartnershipState['interests'];
  ambition: PartnershipState['ambition'];
  endorsedBy: string[];
  pledges: PartnershipState['pledges'];
  governance: PartnershipState['governance'];
  goalProgress: PartnershipState['goalProgress'];
  evaluations: PartnershipState['evaluations'];
  valuesAtRisk: PartnershipState['valuesAtRisk'];
}

export function partnershipRecord(state: PartnershipState, mayReadPersonalData: boolean): PartnershipRecordView {
  const active = new Set(state.parties.filter((p) => p.active).map((p) => p.organisationId));
  return {
    revision: state.revision,
    valueForHome: state.profile?.valueForHome ?? null,
    valueForPartnership: state.profile?.valueForPartnership ?? null,
    scope: state.scope,
    interests: state.interests.map((i) =>
      mayReadPersonalData || i.kind !== 'INDIVIDUAL'
        ? i
        : { ...i, description: REDACTED, position: i.position === null ? null : REDACTED, lossIfNoCollaboration: i.lossIfNoCollaboration === null ? null : REDACTED },
    ),
    ambition: state.ambition,
    endorsedBy: state.endorsements.filter((id) => active.has(id)),
    pledges: state.pledges,
    governance: state.governance,
    goalProgress: state.goalProgress,
    evaluations: state.evaluations,
    valuesAtRisk: state.valuesAtRisk,
  };
}

/** The state a time-travel answer was derived from, kept beside the view it returns. */
const statesOfViews = new WeakMap<object, PartnershipState>();

export function withState<V extends object>(view: V, state: PartnershipState): V {
  statesOfViews.set(view, state);
  return view;
}

export const stateOfView = (view: object): PartnershipState | undefined => statesOfViews.get(view);
