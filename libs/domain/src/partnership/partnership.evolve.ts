import type { PartnershipEvent } from './partnership.events';
import type { DecisionState, PartnershipState } from './partnership.state';
import { latest } from '../shared/time';

/** Marks the decisions a guarded change cited as used by that change (rule 3: one change each). */
function useDecisions(decisions: DecisionState[], ids: readonly string[], eventType: string, revision: number): DecisionState[] {
  if (ids.length === 0) return decisions;
  return decisions.map((d) => (ids.includes(d.decisionId) ? { ...d, usedBy: { eventType, revision } } : d));
}

export function evolvePartnership(previous: PartnershipState, event: PartnershipEvent): PartnershipState {
  const revision = previous.revision + 1;
  const state: PartnershipState = { ...previous, revision };
  // Business times come from callers and may arrive out of order: keep the latest, not the last.
  const progress = (s: PartnershipState, at: string): PartnershipState => ({ ...s, lastProgressAt: latest(s.lastProgressAt, at) });
  switch (event.type) {
    case 'PartnershipProposed': {
      const d = event.data;
      return {
        ...state,
        exists: true,
        partnershipId: d.partnershipId,
        phase: 'EXPLORE',
        profile: {
          name: d.name,
          themeId: d.themeId,
          owningDepartmentId: d.owningDepartmentId,
          description: d.description,
          purposeType: d.purposeType,
          origin: d.origin,
          motives: d.motives,
          quadrant: d.quadrant,
          valueForHome: d.valueForHome,
          valueForPartnership: d.valueForPartnership,
        },
        servesClients: d.servesClients,
        parties: [{ organisationId: d.leadParty.organisationId, delegate: d.leadParty.delegate, ambitionAtTable: d.leadParty.ambitionAtTable, active: true, admittedAt: d.at, withdrawnAt: null }],
        phaseHistory: [{ kind: 'PROPOSED', from: null, to: 'EXPLORE', at: d.at, revision }],
        proposedAt: d.at,
        lastProgressAt: d.at,
      };
    }
    case 'PartyAdmitted': {
      const d = event.data;
      return {
        ...state,
        parties: [
          ...state.parties.filter((p) => p.organisationId !== d.organisationId),
          { organisationId: d.organisationId, delegate: d.delegate, ambitionAtTable: d.ambitionAtTable, active: true, admittedAt: d.at, withdrawnAt: null },
        ],
        decisions: useDecisions(state.decisions, d.authorisedBy, event.type, revision),
      };
    }
    case 'PartyWithdrawn': {
      const d = event.data;
      return {
        ...state,
        parties: state.parties.map((p) => (p.organisationId === d.organisationId ? { ...p, active: false, withdrawnAt: d.at } : p)),
        endorsements: state.endorsements.filter((id) => id !== d.organisationId),
        decisions: useDecisions(state.decisions, d.authorisedBy, event.type, revision),
      };
    }
    case 'AmbitionEndorsementsLapsed':
      return { ...state, endorsements: state.endorsements.filter((id) => !event.data.organisationIds.includes(id)) };
    case 'DelegateReplaced': {
      const d = event.data;
      return {
        ...state,
        parties: state.parties.map((p) => (p.organisationId === d.organisationId ? { ...p, delegate: d.delegate } : p)),
        decisions: useDecisions(state.decisions, d.authorisedBy, event.type, revision),
      };
    }
    case 'InterestsLapsed':
      return {
        ...state,
        interests: state.interests.map((i) => (event.data.interestIds.includes(i.interestId) ? { ...i, status: 'LAPSED', closedAt: event.data.at } : i)),
      };
    case 'NetworkRoleAssigned':
      return { ...state, networkRoles: [...state.networkRoles, { ...event.data }] };
    case 'InterestDeclared': {
      const d = event.data;
      return {
        ...state,
        interests: [
          ...state.interests,
          {
            interestId: d.interestId,
            organisationId: d.organisationId,
            kind: d.kind,
            description: d.description,
            position: d.position,
            lossIfNoCollaboration: d.lossIfNoCollaboration,
            dealbreaker: d.dealbreaker,
            declaredByDelegate: d.declaredByDelegate,
            status: 'ACTIVE',
            declaredAt: d.at,
            revisedAt: null,
            closedAt: null,
          },
        ],
      };
    }
    case 'InterestRevised': {
      const { interestId, at, ...changes } = event.data;
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      return { ...state, interests: state.interests.map((i) => (i.interestId === interestId ? { ...i, ...defined, revisedAt: at } : i)) };
    }
    case 'InterestWithdrawn':
      return {
        ...state,
        interests: state.interests.map((i) => (i.interestId === event.data.interestId ? { ...i, status: 'WITHDRAWN', closedAt: event.data.at } : i)),
      };
    case 'AmbitionFormulated':
      // A (re)formulated ambition is a new promise: every party endorses it anew.
      return {
        ...state,
        ambition: { statement: event.data.statement, goals: event.data.goals, noGoAreas: event.data.noGoAreas, formulatedAt: event.data.at },
        endorsements: [],
      };
    case 'AmbitionEndorsed':
      return { ...state, endorsements: [...state.endorsements.filter((id) => id !== event.data.organisationId), event.data.organisationId] };
    case 'ContributionPledged': {
      const d = event.data;
      return progress(
        {
          ...state,
          pledges: [
            ...state.pledges,
            { pledgeId: d.pledgeId, organisationId: d.organisationId, direction: d.direction, kind: d.kind, description: d.description, amount: d.amount, pledgedAt: d.at, deliveredAt: null, deliveryNote: null },
          ],
          decisions: useDecisions(state.decisions, d.authorisedBy, event.type, revision),
        },
        d.at,
      );
    }
    case 'ContributionDelivered':
      return {
        ...progress(state, event.data.at),
        lastDoingAt: latest(state.lastDoingAt, event.data.at),
        pledges: state.pledges.map((p) => (p.pledgeId === event.data.pledgeId ? { ...p, deliveredAt: event.data.at, deliveryNote: event.data.note } : p)),
      };
    case 'GovernanceDefined': {
      const { authorisedBy, previousLegalForm: _previous, at, ...governance } = event.data;
      return {
        ...state,
        governance: { ...governance, definedAt: at },
        legalForm: governance.legalForm,
        decisions: useDecisions(state.decisions, authorisedBy, event.type, revision),
      };
    }
    case 'ScopeChanged': {
      const d = event.data;
      return {
        ...state,
        scope: { included: d.included, excluded: d.excluded, horizon: d.horizon, changedAt: d.at },
        servesClients: d.servesClients ?? state.servesClients,
        decisions: useDecisions(state.decisions, d.authorisedBy, event.type, revision),
      };
    }
    case 'PhaseAdvanced':
    case 'PhasesSkipped': {
      const d = event.data;
      const skipped = event.type === 'PhasesSkipped' ? [{ revision, from: d.from, to: d.to, justification: event.data.justification, passedOver: event.data.passedOver, at: d.at }] : [];
      return progress(
        {
          ...state,
          phase: d.to,
          skips: [...state.skips, ...skipped],
          phaseHistory: [...state.phaseHistory, { kind: event.type === 'PhasesSkipped' ? 'SKIPPED' : 'ADVANCED', from: d.from, to: d.to, at: d.at, revision }],
          firstExecutedAt: state.firstExecutedAt ?? (d.to === 'EXECUTE' ? d.at : null),
          decisions: useDecisions(state.decisions, d.authorisedBy, event.type, revision),
        },
        d.at,
      );
    }
    case 'PhaseReverted': {
      const d = event.data;
      return progress({ ...state, phase: d.to, phaseHistory: [...state.phaseHistory, { kind: 'REVERTED', from: d.from, to: d.to, at: d.at, revision }] }, d.at);
    }
    case 'ApprovalRequested': {
      const d = event.data;
      return {
        ...state,
        requests: [...state.requests, { requestId: d.requestId, body: d.body, trigger: d.trigger, subject: d.subject, change: d.change ?? null, requestedBy: d.requestedBy, at: d.at, decisionId: null }],
      };
    }
    case 'EscalationRaised': {
      const d = event.data;
      return {
        ...state,
        escalations: [
          ...state.escalations,
          {
            escalationId: d.escalationId,
            trigger: d.trigger,
            body: d.body,
            level: d.level,
            subject: d.subject,
            ruleId: d.ruleId,
            requestId: d.requestId,
            raisedAt: d.at,
            dueAt: d.dueAt,
            status: 'OPEN',
            overdue: false,
            resolvedAt: null,
            resolvedBy: null,
            decisionId: null,
          },
        ],
      };
    }
    case 'DecisionRecorded': {
      const d = event.data;
      const resolves = (e: { escalationId: string; requestId: string | null; status: string }) =>
        e.status === 'OPEN' && ((d.requestId !== null && e.requestId === d.requestId) || e.escalationId === d.escalationId);
      return progress(
        {
          ...state,
          decisions: [
            ...state.decisions,
            {
              decisionId: d.decisionId,
              body: d.body,
              requestId: d.requestId,
              escalationId: d.escalationId,
              subject: d.subject,
              outcome: d.outcome,
              rationale: d.rationale,
              conditions: d.conditions.map((c) => ({ ...c, met: false, metBy: null, metAt: null, note: null })),
              decidedBy: d.decidedBy,
              at: d.at,
              revision,
              usedBy: null,
            },
          ],
          requests: state.requests.map((r) => (r.requestId === d.requestId ? { ...r, decisionId: d.decisionId } : r)),
          escalations: state.escalations.map((e) =>
            resolves(e) ? { ...e, status: 'DECIDED', resolvedAt: d.at, resolvedBy: d.decidedBy, decisionId: d.decisionId } : e,
          ),
        },
        d.at,
      );
    }
    case 'ConditionMet': {
      const d = event.data;
      return {
        ...state,
        decisions: state.decisions.map((dec) =>
          dec.decisionId === d.decisionId
            ? { ...dec, conditions: dec.conditions.map((c) => (c.conditionId === d.conditionId ? { ...c, met: true, metBy: d.metBy, metAt: d.at, note: d.note } : c)) }
            : dec,
        ),
      };
    }
    case 'EscalationAcknowledged': {
      const d = event.data;
      return {
        ...state,
        escalations: state.escalations.map((e) =>
          e.escalationId === d.escalationId ? { ...e, status: 'ACKNOWLEDGED', resolvedAt: d.at, resolvedBy: d.acknowledgedBy } : e,
        ),
      };
    }
    case 'EscalationOverdue':
      return { ...state, escalations: state.escalations.map((e) => (e.escalationId === event.data.escalationId ? { ...e, overdue: true } : e)) };
    case 'ValueFlaggedAtRisk':
      return { ...state, valuesAtRisk: [...state.valuesAtRisk, { ...event.data }] };
    case 'AssessmentRecorded':
      return { ...state, assessments: [...state.assessments, { ...event.data }] };
    case 'GoalProgressReported':
      return { ...progress(state, event.data.at), lastDoingAt: latest(state.lastDoingAt, event.data.at), goalProgress: [...state.goalProgress, { ...event.data }] };
    case 'GoalProgressLapsed': {
      // A marker for the review (each lapse recorded once); no progress, and no change of ambition strength's inputs.
      const d = event.data;
      return { ...state, goalProgress: state.goalProgress.map((g) => (g.goalId === d.goalId && g.at === d.reportedAt && g.lapsedAt === undefined ? { ...g, lapsedAt: d.at } : g)) };
    }
    case 'EvaluationRecorded':
      return { ...progress(state, event.data.at), lastEvaluatedAt: latest(state.lastEvaluatedAt, event.data.at), evaluations: [...state.evaluations, { ...event.data }] };
    case 'PartnershipEnded': {
      const d = event.data;
      return {
        ...state,
        phase: 'ENDED',
        endedAt: d.at,
        endReason: d.reason,
        phaseHistory: [...state.phaseHistory, { kind: 'ENDED', from: d.from, to: 'ENDED', at: d.at, revision }],
        decisions: useDecisions(state.decisions, d.authorisedBy, event.type, revision),
      };
    }
  }
}
