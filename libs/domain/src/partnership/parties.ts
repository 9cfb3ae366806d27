import type { DecisionContext } from '../shared/decision-context';
import { refuse } from '../shared/domain-error';
import type { PartnershipCommandOf } from './partnership.commands';
import type { PartnershipEvent } from './partnership.events';
import { isActiveParty, type PartnershipState } from './partnership.state';
import { guardChange } from './escalation/escalation-policy';
import { requireActiveParty } from './guards';

export function admitParty(command: PartnershipCommandOf<'AdmitParty'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  // A party that withdrew may be admitted again: a new admission, with its own escalation.
  if (isActiveParty(state, command.organisationId)) refuse('ALREADY_EXISTS', { condition: 'PARTY_NOT_ACTIVE', detail: command.organisationId });
  const policy = guardChange(state, context, [{ trigger: 'PARTY_ADMITTED', organisationId: command.organisationId, subject: `party admitted: ${command.organisationId}` }], command.approvals);
  // Rule 4: INDIVIDUAL interests belong to the delegate who declared them. A party that comes
  // back with another delegate has replaced its delegate: the earlier delegates' lapse.
  const lapsing = state.interests
    .filter((i) => i.status === 'ACTIVE' && i.kind === 'INDIVIDUAL' && i.organisationId === command.organisationId && i.declaredByDelegate !== command.delegate.personId)
    .map((i) => i.interestId);
  const previous = [...new Set(state.interests.filter((i) => lapsing.includes(i.interestId)).map((i) => i.declaredByDelegate))];
  const lapsed: PartnershipEvent[] =
    lapsing.length === 0
      ? []
      : [{ type: 'InterestsLapsed', data: { interestIds: lapsing, reason: `${command.organisationId} admitted again with delegate ${command.delegate.personId}, not ${previous.join(', ')}`, at: context.businessTime } }];
  return [
    {
      type: 'PartyAdmitted',
      data: {
        organisationId: command.organisationId,
        delegate: command.delegate,
        ambitionAtTable: command.ambitionAtTable ?? null,
        authorisedBy: policy.authorisedBy,
        at: context.businessTime,
      },
    },
    ...lapsed,
    ...policy.escalations,
  ];
}

/** Rule 4: when a party withdraws, every endorsement of the ambition lapses. */
export function withdrawParty(command: PartnershipCommandOf<'WithdrawParty'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  requireActiveParty(state, command.organisationId);
  const policy = guardChange(state, context, [{ trigger: 'PARTY_WITHDRAWN', organisationId: command.organisationId, subject: `party withdrawn: ${command.organisationId}` }], command.approvals);
  const remaining = state.endorsements.filter((id) => id !== command.organisationId);
  const events: PartnershipEvent[] = [
    { type: 'PartyWithdrawn', data: { organisationId: command.organisationId, reason: command.reason, authorisedBy: policy.authorisedBy, at: context.businessTime } },
  ];
  if (remaining.length > 0) {
    events.push({
      type: 'AmbitionEndorsementsLapsed',
      data: { organisationIds: remaining, reason: `party ${command.organisationId} withdrew: the remaining parties must reconfirm the ambition`, at: context.businessTime },
    });
  }
  return [...events, ...policy.escalations];
}

/** Rule 4: a replaced delegate's INDIVIDUAL interests lapse with them. */
export function replaceDelegate(command: PartnershipCommandOf<'ReplaceDelegate'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  requireActiveParty(state, command.organisationId);
  const party = state.parties.find((p) => p.organisationId === command.organisationId);
  if (!party) return refuse('NOT_FOUND', { condition: 'ACTIVE_PARTY', detail: command.organisationId });
  if (party.delegate.personId === command.delegate.personId) {
    refuse('VALIDATION_FAILED', { condition: 'NEW_DELEGATE_DIFFERS', detail: command.delegate.personId });
  }
  const policy = guardChange(state, context, [{ trigger: 'DELEGATE_REPLACED', organisationId: command.organisationId, subject: `delegate of ${command.organisationId} replaced` }], command.approvals);
  const lapsing = state.interests
    .filter((i) => i.status === 'ACTIVE' && i.kind === 'INDIVIDUAL' && i.organisationId === command.organisationId && i.declaredByDelegate === party.delegate.personId)
    .map((i) => i.interestId);
  const events: PartnershipEvent[] = [
    {
      type: 'DelegateReplaced',
      data: {
        organisationId: command.organisationId,
        previous: party.delegate,
        delegate: command.delegate,
        rationale: command.rationale,
        authorisedBy: policy.authorisedBy,
        at: context.businessTime,
      },
    },
  ];
  if (lapsing.length > 0) {
    events.push({ type: 'InterestsLapsed', data: { interestIds: lapsing, reason: `delegate ${party.delegate.personId} replaced`, at: context.businessTime } });
  }
  return [...events, ...policy.escalations];
}

export function assignNetworkRole(command: PartnershipCommandOf<'AssignNetworkRole'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  requireActiveParty(state, command.organisationId);
  const held = state.networkRoles.some((r) => r.role === command.role && r.person.personId === command.person.personId);
  if (held) return []; // already holds it: nothing new to record
  return [{ type: 'NetworkRoleAssigned', data: { role: command.role, person: command.person, organisationId: command.organisationId, at: context.businessTime } }];
}
