import type { EscalationRule } from '../../strategy/escalation-rule';
import type { PartnershipCommand } from '../partnership.commands';
import type { RequestedChange } from './requested-change';
import { foldPartnership } from '../partnership.decider';
import { HOME, OCMW, P, T0, VDAB, admit, advance, context, day, history, pledge, propose, readyToExecute, spec, strategyWith, toShare } from '../../testing/fixtures';

const rule = (r: Partial<EscalationRule> & Pick<EscalationRule, 'trigger' | 'body' | 'level'>): EscalationRule => ({ ruleId: `r-${r.trigger}-${r.body}`, deadlineDays: 14, ...r });
/** The change each test requests by default: admitting the OCMW, withdrawing the VDAB, a joint venture. */
const DEFAULT_CHANGE: Partial<Record<EscalationRule['trigger'], RequestedChange>> = {
  PARTY_ADMITTED: { organisationId: OCMW },
  PARTY_WITHDRAWN: { organisationId: VDAB },
  LEGAL_FORM_CHANGED: { legalForm: 'JOINT_VENTURE' },
};
/** `change` null: the request names none. */
const request = (requestId: string, body: EscalationRule['body'], trigger: EscalationRule['trigger'], change: RequestedChange | null | undefined = DEFAULT_CHANGE[trigger]): PartnershipCommand => ({
  type: 'RequestApproval',
  partnershipId: P,
  requestId,
  body,
  trigger,
  subject: `${trigger} for the activation network`,
  ...(change ? { change } : {}),
});
const decision = (decisionId: string, requestId: string, body: EscalationRule['body'], outcome: 'APPROVED' | 'REJECTED' | 'CONDITIONAL' | 'NOTED'): PartnershipCommand => ({
  type: 'RecordDecision',
  partnershipId: P,
  decisionId,
  requestId,
  body,
  outcome,
  rationale: 'considered in session',
  ...(outcome === 'CONDITIONAL' ? { conditions: [{ conditionId: 'c1', description: 'budget confirmed by the council' }] } : {}),
});

describe('rule 3 — escalation points: MANDATORY', () => {
  const ctx = context({ strategy: strategyWith([rule({ trigger: 'PARTY_ADMITTED', body: 'BOARD', level: 'MANDATORY' })]) });

  it('a change guarded by a MANDATORY rule is refused without an approving decision', () => {
    spec(ctx).given(history([propose()], ctx)).when(admit(OCMW, 'olivia')).thenThrows('APPROVAL_REQUIRED', [{ condition: 'APPROVAL:BOARD:PARTY_ADMITTED' }]);
  });

  it('request approval → the body decides → the change cites the decision', () => {
    const given = history([propose(), request('req-1', 'BOARD', 'PARTY_ADMITTED'), decision('dec-1', 'req-1', 'BOARD', 'APPROVED')], ctx);
    const state = foldPartnership(given);
    expect(state.escalations).toEqual([expect.objectContaining({ escalationId: 'request:req-1', level: 'MANDATORY', status: 'DECIDED', decisionId: 'dec-1' })]);
    spec(ctx)
      .given(given)
      .when(admit(OCMW, 'olivia', ['dec-1']))
      .then([{ type: 'PartyAdmitted', data: { organisationId: OCMW, delegate: { personId: 'olivia', name: 'olivia' }, ambitionAtTable: null, authorisedBy: ['dec-1'], at: T0 } }]);
  });

  it('a CONDITIONAL decision authorises too; its conditions stay open until marked met', () => {
    const given = history([propose(), request('req-1', 'BOARD', 'PARTY_ADMITTED'), decision('dec-1', 'req-1', 'BOARD', 'CONDITIONAL'), admit(OCMW, 'olivia', ['dec-1'])], ctx);
    const state = foldPartnership(given);
    expect(state.parties.map((p) => p.organisationId)).toEqual([HOME, OCMW]);
    expect(state.decisions[0]).toMatchObject({ outcome: 'CONDITIONAL', usedBy: { eventType: 'PartyAdmitted' } });
    expect(state.decisions[0].conditions[0].met).toBe(false);
  });

  it('a decision authorises the one change it was requested for: it cannot be cited twice', () => {
    const given = history([propose(), request('req-1', 'BOARD', 'PARTY_ADMITTED'), decision('dec-1', 'req-1', 'BOARD', 'APPROVED'), admit(OCMW, 'olivia', ['dec-1'])], ctx);
    const error = spec(ctx).given(given).when(admit(VDAB, 'victor', ['dec-1'])).thenThrows('APPROVAL_REQUIRED');
    expect(error.unmet[0].detail).toContain('already authorised another change');
  });

  it('a REJECTED decision, a decision of another body, or one on another trigger does not authorise', () => {
    const given = history(
      [
        propose(),
        request('req-1', 'BOARD', 'PARTY_ADMITTED'),
        decision('dec-rejected', 'req-1', 'BOARD', 'REJECTED'),
        request('req-2', 'EXECUTIVE', 'PARTY_ADMITTED'),
        decision('dec-executive', 'req-2', 'EXECUTIVE', 'APPROVED'),
        request('req-3', 'BOARD', 'SCOPE_CHANGED'),
        decision('dec-scope', 'req-3', 'BOARD', 'APPROVED'),
      ],
      ctx,
    );
    const error = spec(ctx).given(given).when(admit(OCMW, 'olivia', ['dec-rejected', 'dec-executive', 'dec-scope'])).thenThrows('APPROVAL_REQUIRED');
    expect(error.unmet[0].detail).toMatch(/dec-rejected: outcome REJECTED.*dec-executive: not a BOARD decision.*dec-scope: not a BOARD decision/);
  });

  it('a phase gate refusal also names the missing approvals', () => {
    const c = context({ strategy: strategyWith([rule({ trigger: 'PHASE_ENTERED', body: 'BOARD', level: 'MANDATORY', params: { phase: 'SHARE' } })]) });
    spec(c).given(history([propose()], c)).when(advance('SHARE')).thenThrows('PHASE_GATE_UNMET', [{ condition: 'AT_LEAST_TWO_ACTIVE_PARTIES' }, { condition: 'APPROVAL:BOARD:PHASE_ENTERED' }]);
  });

  it('a skip cannot bypass a rule on entering a phase it passes over', () => {
    const c = context({ strategy: strategyWith([rule({ trigger: 'PHASE_ENTERED', body: 'BOARD', level: 'MANDATORY', params: { phase: 'SHARE' } })]) });
    spec(c).given(history(toShare, c)).when(advance('AGREE', { justification: 'hurry' })).thenThrows('APPROVAL_REQUIRED', [{ condition: 'APPROVAL:BOARD:PHASE_ENTERED' }]);
  });
});

describe('rule 3 — escalation points: the highest legal form of the strategy', () => {
  it('a legal form above the strategy’s highest is always MANDATORY for the BOARD, whatever the rules say', () => {
    const ctx = context({ strategy: strategyWith([], 'COVENANT') });
    const governance: PartnershipCommand = { type: 'DefineGovernance', partnershipId: P, legalForm: 'JOINT_VENTURE' };
    spec(ctx).given(history([propose()], ctx)).when(governance).thenThrows('APPROVAL_REQUIRED', [{ condition: 'APPROVAL:BOARD:LEGAL_FORM_CHANGED' }]);
    const approved = history([propose(), request('req-jv', 'BOARD', 'LEGAL_FORM_CHANGED'), decision('dec-jv', 'req-jv', 'BOARD', 'APPROVED')], ctx);
    expect(foldPartnership(approved).escalations[0].level).toBe('MANDATORY');
    const events = spec(ctx).given(approved).when({ ...governance, approvals: ['dec-jv'] }).events();
    expect(events[0]).toMatchObject({ type: 'GovernanceDefined', data: { legalForm: 'JOINT_VENTURE', previousLegalForm: 'NONE', authorisedBy: ['dec-jv'] } });
  });

  it('a legal form up to the highest needs no board decision', () => {
    spec().given(history([propose()])).when({ type: 'DefineGovernance', partnershipId: P, legalForm: 'COVENANT' }).events();
  });

  it('a request for a form up to the highest is not MANDATORY for the board; one above it is', () => {
    const ctx = context({ strategy: strategyWith([], 'CONTRACT') });
    const within = foldPartnership(history([propose(), request('req-cov', 'BOARD', 'LEGAL_FORM_CHANGED', { legalForm: 'COVENANT' })], ctx));
    expect(within.escalations[0]).toMatchObject({ level: 'EXPECTED', ruleId: null });
    const above = foldPartnership(history([propose(), request('req-jv', 'BOARD', 'LEGAL_FORM_CHANGED', { legalForm: 'JOINT_VENTURE' })], ctx));
    expect(above.escalations[0]).toMatchObject({ level: 'MANDATORY', ruleId: 'strategy:highest-legal-form', dueAt: day(30) });
  });
});

describe('rule 3 — a request’s escalation takes the level of the rules its change sets off', () => {
  const ctx = context({
    strategy: strategyWith([
      rule({ ruleId: 'design-board', trigger: 'PHASE_ENTERED', body: 'BOARD', level: 'MANDATORY', params: { phase: 'DESIGN' }, deadlineDays: 21 }),
      rule({ ruleId: 'big-money', trigger: 'CONTRIBUTION_ABOVE', body: 'BOARD', level: 'MANDATORY', params: { amount: 50_000 } }),
    ]),
  });
  const levelOf = (command: PartnershipCommand) => foldPartnership(history([propose(), command], ctx)).escalations[0];

  it('a rule on entering DESIGN makes a request to enter DESIGN mandatory, not one to enter SHARE', () => {
    expect(levelOf(request('req-design', 'BOARD', 'PHASE_ENTERED', { phase: 'DESIGN' }))).toMatchObject({ level: 'MANDATORY', ruleId: 'design-board', dueAt: day(21) });
    expect(levelOf(request('req-share', 'BOARD', 'PHASE_ENTERED', { phase: 'SHARE' }))).toMatchObject({ level: 'EXPECTED', ruleId: null });
  });

  it('a contribution rule above an amount: by the amount the request asks for', () => {
    expect(levelOf(request('req-big', 'BOARD', 'CONTRIBUTION_ABOVE', { organisationId: OCMW, amount: 80_000 }))).toMatchObject({ level: 'MANDATORY', ruleId: 'big-money' });
    expect(levelOf(request('req-small', 'BOARD', 'CONTRIBUTION_ABOVE', { organisationId: OCMW, amount: 20_000 }))).toMatchObject({ level: 'EXPECTED', ruleId: null });
  });
});

describe('rule 3 — escalation points: INFORM', () => {
  const ctx = context({ strategy: strategyWith([rule({ trigger: 'PARTY_WITHDRAWN', body: 'STAFF', level: 'INFORM' })]) });
  const withdraw: PartnershipCommand = { type: 'WithdrawParty', partnershipId: P, organisationId: VDAB, reason: 'reorganisation' };

  it('a change is refused until that body has been informed (staff hear it before rumours do)', () => {
    spec(ctx).given(history(toShare, ctx)).when(withdraw).thenThrows('INFORM_REQUIRED', [{ condition: 'INFORMED:STAFF:PARTY_WITHDRAWN' }]);
  });

  it('a NOTED decision of that body on such a request informs it, once', () => {
    const given = history([...toShare, request('req-staff', 'STAFF', 'PARTY_WITHDRAWN'), decision('dec-noted', 'req-staff', 'STAFF', 'NOTED')], ctx);
    const events = spec(ctx).given(given).when(withdraw).events();
    expect(events[0]).toMatchObject({ type: 'PartyWithdrawn', data: { authorisedBy: ['dec-noted'] } });
    const after = [...given, ...events];
    spec(ctx).given(after).when({ ...withdraw, organisationId: OCMW }).thenThrows('INFORM_REQUIRED');
  });
});

describe('rule 3 — escalation points: EXPECTED', () => {
  const ctx = context({ strategy: strategyWith([rule({ trigger: 'DELEGATE_REPLACED', body: 'EXECUTIVE', level: 'EXPECTED', deadlineDays: 10 })]) });
  const replace: PartnershipCommand = { type: 'ReplaceDelegate', partnershipId: P, organisationId: OCMW, delegate: { personId: 'otto', name: 'Otto' }, rationale: 'Olivia retires' };

  it('the change takes effect and raises an escalation due after the deadline', () => {
    const events = spec(ctx).given(history(toShare, ctx)).when(replace).events();
    expect(events.map((e) => e.type)).toEqual(['DelegateReplaced', 'EscalationRaised']);
    expect(events[1].data).toMatchObject({ trigger: 'DELEGATE_REPLACED', body: 'EXECUTIVE', level: 'EXPECTED', dueAt: day(10) });
  });

  it('it stays open until acknowledged, and past its deadline a review marks it overdue once', () => {
    const given = history([...toShare, replace], ctx);
    const escalationId = foldPartnership(given).escalations[0].escalationId;
    const review: PartnershipCommand = { type: 'ReviewPartnership', partnershipId: P };
    const overdue = spec(ctx).given(given).when(review, { businessTime: day(11) }).events();
    expect(overdue).toEqual([{ type: 'EscalationOverdue', data: { escalationId, dueAt: day(10), at: day(11) } }]);
    spec(ctx).given([...given, ...overdue]).when(review, { businessTime: day(12) }).thenNothing();
    const acknowledged = history([...toShare, replace, { type: 'AcknowledgeEscalation', partnershipId: P, escalationId }], ctx);
    expect(foldPartnership(acknowledged).escalations[0].status).toBe('ACKNOWLEDGED');
    spec(ctx).given(acknowledged).when(review, { businessTime: day(30) }).thenNothing();
    spec(ctx).given(acknowledged).when({ type: 'AcknowledgeEscalation', partnershipId: P, escalationId }).thenThrows('INVALID_TRANSITION');
  });

  it('a MANDATORY or INFORM escalation waits for a decision: taking note of it is refused and changes nothing', () => {
    const strict = context({
      strategy: strategyWith([rule({ trigger: 'PARTY_ADMITTED', body: 'BOARD', level: 'MANDATORY' }), rule({ trigger: 'PARTY_WITHDRAWN', body: 'STAFF', level: 'INFORM' })]),
    });
    for (const [requestId, body, trigger] of [['req-m', 'BOARD', 'PARTY_ADMITTED'], ['req-i', 'STAFF', 'PARTY_WITHDRAWN']] as const) {
      const given = history([propose(), request(requestId, body, trigger)], strict);
      const escalation = foldPartnership(given).escalations[0];
      const actor = { actor: { id: 'speaker', role: body === 'BOARD' ? 'BOARD' : 'MANAGER' } };
      const error = spec(strict).given(given).when({ type: 'AcknowledgeEscalation', partnershipId: P, escalationId: escalation.escalationId }, actor).thenThrows('INVALID_TRANSITION', [{ condition: 'ESCALATION_EXPECTED' }]);
      expect(error.unmet[0].detail).toContain('recordDecision');
      // The decision still resolves it.
      const decided = history([propose(), request(requestId, body, trigger), [decision('d-1', requestId, body, 'APPROVED'), actor]], strict);
      expect(foldPartnership(decided).escalations[0]).toMatchObject({ status: 'DECIDED', decisionId: 'd-1' });
    }
  });

  it('a decision may resolve an EXPECTED escalation too', () => {
    const given = history([...toShare, replace], ctx);
    const escalationId = foldPartnership(given).escalations[0].escalationId;
    const decided = history([...toShare, replace, { type: 'RecordDecision', partnershipId: P, decisionId: 'd-x', body: 'EXECUTIVE', escalationId, outcome: 'NOTED', rationale: 'fine' }], ctx);
    expect(foldPartnership(decided).escalations[0]).toMatchObject({ status: 'DECIDED', decisionId: 'd-x' });
  });
});

describe('rule 3 — the other triggers', () => {
  it('a single money contribution above an amount', () => {
    const ctx = context({ strategy: strategyWith([rule({ trigger: 'CONTRIBUTION_ABOVE', body: 'BOARD', level: 'MANDATORY', params: { amount: 50000 } })]) });
    const given = history(toShare, ctx);
    spec(ctx).given(given).when(pledge('pl-1', OCMW, { kind: 'MONEY', amount: 50000 })).events();
    spec(ctx).given(given).when(pledge('pl-2', OCMW, { kind: 'MONEY', amount: 50001 })).thenThrows('APPROVAL_REQUIRED');
  });

  it('skipping phases, scope changed (after it was first set), ending the partnership', () => {
    const ctx = context({
      strategy: strategyWith([
        rule({ trigger: 'PHASES_SKIPPED', body: 'EXECUTIVE', level: 'EXPECTED' }),
        rule({ trigger: 'SCOPE_CHANGED', body: 'STEERING_GROUP', level: 'EXPECTED' }),
        rule({ trigger: 'PARTNERSHIP_ENDED', body: 'BOARD', level: 'MANDATORY' }),
      ]),
    });
    const skip = spec(ctx).given(history(toShare, ctx)).when(advance('AGREE', { justification: 'x' })).events();
    expect(skip.map((e) => e.type)).toEqual(['PhasesSkipped', 'EscalationRaised']);
    const scope: PartnershipCommand = { type: 'ChangeScope', partnershipId: P, included: ['a'], excluded: ['b'] };
    expect(spec(ctx).given(history(toShare, ctx)).when(scope).events().map((e) => e.type)).toEqual(['ScopeChanged']);
    expect(spec(ctx).given(history([...toShare, scope], ctx)).when(scope).events().map((e) => e.type)).toEqual(['ScopeChanged', 'EscalationRaised']);
    spec(ctx).given(history(toShare, ctx)).when({ type: 'EndPartnership', partnershipId: P, reason: 'done' }).thenThrows('APPROVAL_REQUIRED');
  });

  it('a non-negotiable value flagged at risk is recorded and escalated, never refused, even under a MANDATORY rule', () => {
    const ctx = context({ strategy: strategyWith([rule({ trigger: 'VALUE_AT_RISK', body: 'BOARD', level: 'MANDATORY' })]) });
    const events = spec(ctx).given(history(toShare, ctx)).when({ type: 'FlagValueAtRisk', partnershipId: P, value: 'client first', note: 'waiting lists' }).events();
    expect(events.map((e) => e.type)).toEqual(['ValueFlaggedAtRisk', 'EscalationRaised']);
    expect(events[1].data).toMatchObject({ body: 'BOARD', level: 'EXPECTED' });
    spec(ctx).given(history(toShare, ctx)).when({ type: 'FlagValueAtRisk', partnershipId: P, value: 'profit', note: 'x' }).thenThrows('VALIDATION_FAILED');
  });

  it('an evaluation with verdict STOP raises an EXPECTED escalation to the BOARD when no rule says otherwise', () => {
    const events = spec()
      .given(history([...readyToExecute, advance('EXECUTE')]))
      .when({ type: 'RecordEvaluation', partnershipId: P, evaluationId: 'ev-1', period: { from: '2025-01-01', to: '2025-12-31' }, indicators: [], answers: [], lessons: [], verdict: 'STOP' })
      .events();
    expect(events[1]).toMatchObject({ type: 'EscalationRaised', data: { trigger: 'EVALUATION_STOP', body: 'BOARD', level: 'EXPECTED' } });
  });
});

describe('rule 3 — decisions and conditions', () => {
  const given = history([propose(), request('req-1', 'BOARD', 'PARTY_ADMITTED')]);

  it('a decision answers a request of its own body, once', () => {
    spec().given(given).when(decision('d1', 'req-1', 'EXECUTIVE', 'APPROVED')).thenThrows('VALIDATION_FAILED', [{ condition: 'DECISION_BY_REQUESTED_BODY' }]);
    spec().given(history([propose(), request('req-1', 'BOARD', 'PARTY_ADMITTED'), decision('d1', 'req-1', 'BOARD', 'APPROVED')])).when(decision('d2', 'req-1', 'BOARD', 'REJECTED')).thenThrows('INVALID_TRANSITION');
    spec().given(given).when(decision('d1', 'req-unknown', 'BOARD', 'APPROVED')).thenThrows('NOT_FOUND');
  });

  it('a CONDITIONAL decision needs conditions; each is marked met once', () => {
    spec().given(given).when({ type: 'RecordDecision', partnershipId: P, decisionId: 'd1', requestId: 'req-1', body: 'BOARD', outcome: 'CONDITIONAL', rationale: 'r' }).thenThrows('VALIDATION_FAILED', [{ condition: 'CONDITIONAL_DECISION_HAS_CONDITIONS' }]);
    const decided = history([propose(), request('req-1', 'BOARD', 'PARTY_ADMITTED'), decision('d1', 'req-1', 'BOARD', 'CONDITIONAL')]);
    const mark: PartnershipCommand = { type: 'MarkConditionMet', partnershipId: P, decisionId: 'd1', conditionId: 'c1' };
    spec().given(decided).when(mark).then([{ type: 'ConditionMet', data: { decisionId: 'd1', conditionId: 'c1', note: null, metBy: 'manager-1', at: T0 } }]);
    spec().given(history([propose(), request('req-1', 'BOARD', 'PARTY_ADMITTED'), decision('d1', 'req-1', 'BOARD', 'CONDITIONAL'), mark])).when(mark).thenThrows('INVALID_TRANSITION');
  });
});

describe('rule 3 — a body answers for itself: its escalations, decisions and conditions', () => {
  // "Stays open until the body acknowledges or decides"; the executive does the same as the
  // board "for escalations addressed to it" (PRODUCT.md, "Who uses it").
  const as = (role: string) => ({ actor: { id: `${role.toLowerCase()}-1`, role } });
  const escalatedTo = (body: EscalationRule['body']) => {
    const given = history([propose(), request('req-1', body, 'PARTY_ADMITTED')]);
    return { given, escalationId: foldPartnership(given).escalations[0].escalationId };
  };
  const acknowledge = (escalationId: string): PartnershipCommand => ({ type: 'AcknowledgeEscalation', partnershipId: P, escalationId });

  it('only a role that speaks for the body acknowledges an escalation addressed to it', () => {
    const speakers: Record<EscalationRule['body'], { may: string[]; mayNot: string[] }> = {
      BOARD: { may: ['BOARD'], mayNot: ['MANAGER', 'EXECUTIVE', 'ADMIN', 'SYSTEM'] },
      EXECUTIVE: { may: ['EXECUTIVE'], mayNot: ['MANAGER', 'BOARD'] },
      STAFF: { may: ['MANAGER', 'EXECUTIVE'], mayNot: ['BOARD', 'INTEGRATOR'] },
      STEERING_GROUP: { may: ['MANAGER', 'EXECUTIVE'], mayNot: ['BOARD'] },
    };
    for (const [body, { may, mayNot }] of Object.entries(speakers) as [EscalationRule['body'], { may: string[]; mayNot: string[] }][]) {
      const { given, escalationId } = escalatedTo(body);
      for (const role of may) {
        expect(spec().given(given).when(acknowledge(escalationId), as(role)).events()).toMatchObject([{ type: 'EscalationAcknowledged', data: { escalationId, acknowledgedBy: `${role.toLowerCase()}-1` } }]);
      }
      for (const role of mayNot) {
        const error = spec().given(given).when(acknowledge(escalationId), as(role)).thenThrows('FORBIDDEN', [{ condition: 'ACTOR_SPEAKS_FOR_BODY' }]);
        expect(error.unmet[0].detail).toContain(`of the ${body}, not ${role}`);
      }
    }
  });

  it('the board’s decision is recorded by the board, and the conditions it set are marked met by the board', () => {
    const given = history([propose(), request('req-1', 'BOARD', 'PARTY_ADMITTED')]);
    spec().given(given).when(decision('d1', 'req-1', 'BOARD', 'CONDITIONAL'), as('EXECUTIVE')).thenThrows('FORBIDDEN', [{ condition: 'ACTOR_SPEAKS_FOR_BODY' }]);
    spec().given(given).when(decision('d1', 'req-1', 'BOARD', 'CONDITIONAL'), as('MANAGER')).thenThrows('FORBIDDEN', [{ condition: 'ACTOR_SPEAKS_FOR_BODY' }]);
    const decided = history([propose(), request('req-1', 'BOARD', 'PARTY_ADMITTED'), [decision('d1', 'req-1', 'BOARD', 'CONDITIONAL'), as('BOARD')]]);
    const mark: PartnershipCommand = { type: 'MarkConditionMet', partnershipId: P, decisionId: 'd1', conditionId: 'c1' };
    spec().given(decided).when(mark, as('MANAGER')).thenThrows('FORBIDDEN', [{ condition: 'ACTOR_SPEAKS_FOR_BODY' }]);
    expect(spec().given(decided).when(mark, as('BOARD')).events()).toMatchObject([{ type: 'ConditionMet', data: { conditionId: 'c1', metBy: 'board-1' } }]);
  });

  it('what staff were told is recorded, and its conditions marked met, by a manager or the executive', () => {
    const decided = history([propose(), request('req-1', 'STAFF', 'PARTY_WITHDRAWN'), [decision('d1', 'req-1', 'STAFF', 'CONDITIONAL'), as('MANAGER')]]);
    const mark: PartnershipCommand = { type: 'MarkConditionMet', partnershipId: P, decisionId: 'd1', conditionId: 'c1' };
    expect(spec().given(decided).when(mark, as('EXECUTIVE')).events()).toHaveLength(1);
    spec().given(decided).when(mark, as('BOARD')).thenThrows('FORBIDDEN', [{ condition: 'ACTOR_SPEAKS_FOR_BODY' }]);
  });

  it('an unknown escalation or decision is NOT_FOUND whoever asks, before any question of who may', () => {
    const { given } = escalatedTo('BOARD');
    spec().given(given).when(acknowledge('e-none'), as('MANAGER')).thenThrows('NOT_FOUND');
    spec().given(given).when({ type: 'MarkConditionMet', partnershipId: P, decisionId: 'd-none', conditionId: 'c1' }, as('MANAGER')).thenThrows('NOT_FOUND');
  });
});

describe('rule 3 — a decision authorises the one change it was requested for', () => {
  const approvedFor = (ctx: ReturnType<typeof context>, base: PartnershipCommand[], trigger: EscalationRule['trigger'], change: RequestedChange | null, outcome: 'APPROVED' | 'NOTED' = 'APPROVED', body: EscalationRule['body'] = 'BOARD') =>
    history([...base, request('req-1', body, trigger, change), decision('d1', 'req-1', body, outcome)], ctx);

  it('the board that approved a joint venture has not approved a merger', () => {
    const ctx = context({ strategy: strategyWith([], 'COVENANT') });
    const given = approvedFor(ctx, [propose()], 'LEGAL_FORM_CHANGED', { legalForm: 'JOINT_VENTURE' });
    const merger: PartnershipCommand = { type: 'DefineGovernance', partnershipId: P, legalForm: 'MERGER', approvals: ['d1'] };
    const error = spec(ctx).given(given).when(merger).thenThrows('APPROVAL_REQUIRED', [{ condition: 'APPROVAL:BOARD:LEGAL_FORM_CHANGED' }]);
    expect(error.unmet[0].detail).toContain('d1: authorises another change (requested for legal form JOINT_VENTURE)');
    expect(spec(ctx).given(given).when({ ...merger, legalForm: 'JOINT_VENTURE' }).events()[0]).toMatchObject({ data: { legalForm: 'JOINT_VENTURE', authorisedBy: ['d1'] } });
  });

  it('approval to admit the OCMW does not admit the VDAB', () => {
    const ctx = context({ strategy: strategyWith([rule({ trigger: 'PARTY_ADMITTED', body: 'BOARD', level: 'MANDATORY' })]) });
    const given = approvedFor(ctx, [propose()], 'PARTY_ADMITTED', { organisationId: OCMW });
    spec(ctx).given(given).when(admit(VDAB, 'victor', ['d1'])).thenThrows('APPROVAL_REQUIRED');
    expect(spec(ctx).given(given).when(admit(OCMW, 'olivia', ['d1'])).events()[0]).toMatchObject({ type: 'PartyAdmitted', data: { authorisedBy: ['d1'] } });
  });

  it('a contribution is authorised for its organisation, up to the amount approved', () => {
    const ctx = context({ strategy: strategyWith([rule({ trigger: 'CONTRIBUTION_ABOVE', body: 'BOARD', level: 'MANDATORY', params: { amount: 50000 } })]) });
    const given = approvedFor(ctx, toShare, 'CONTRIBUTION_ABOVE', { organisationId: OCMW, amount: 80000 });
    expect(spec(ctx).given(given).when(pledge('pl-1', OCMW, { kind: 'MONEY', amount: 80000, approvals: ['d1'] })).events()[0]).toMatchObject({ data: { authorisedBy: ['d1'] } });
    spec(ctx).given(given).when(pledge('pl-1', OCMW, { kind: 'MONEY', amount: 80001, approvals: ['d1'] })).thenThrows('APPROVAL_REQUIRED');
    spec(ctx).given(given).when(pledge('pl-1', VDAB, { kind: 'MONEY', amount: 60000, approvals: ['d1'] })).thenThrows('APPROVAL_REQUIRED');
  });

  it('entering a phase: the phase the request named; a skip: the phase it skips to', () => {
    const ctx = context({ strategy: strategyWith([rule({ trigger: 'PHASE_ENTERED', body: 'BOARD', level: 'MANDATORY' }), rule({ trigger: 'PHASES_SKIPPED', body: 'EXECUTIVE', level: 'MANDATORY' })]) });
    const forShare = approvedFor(ctx, toShare, 'PHASE_ENTERED', { phase: 'SHARE' });
    expect(spec(ctx).given(forShare).when(advance('SHARE', { approvals: ['d1'] })).events()[0]).toMatchObject({ type: 'PhaseAdvanced' });
    const forAgree = approvedFor(ctx, toShare, 'PHASE_ENTERED', { phase: 'AGREE' });
    spec(ctx).given(forAgree).when(advance('SHARE', { approvals: ['d1'] })).thenThrows('APPROVAL_REQUIRED', [{ condition: 'APPROVAL:BOARD:PHASE_ENTERED' }]);
    // A skip to AGREE enters SHARE and AGREE: a board approval for either phase answers the board's rule.
    const skipApproved = (skipTo: 'AGREE' | 'DESIGN') =>
      history([...toShare, request('req-1', 'BOARD', 'PHASE_ENTERED', { phase: 'AGREE' }), decision('d1', 'req-1', 'BOARD', 'APPROVED'), request('req-2', 'EXECUTIVE', 'PHASES_SKIPPED', { phase: skipTo }), decision('d2', 'req-2', 'EXECUTIVE', 'APPROVED')], ctx);
    const skip = advance('AGREE', { approvals: ['d1', 'd2'], justification: 'urgent' });
    spec(ctx).given(skipApproved('DESIGN')).when(skip).thenThrows('APPROVAL_REQUIRED', [{ condition: 'APPROVAL:EXECUTIVE:PHASES_SKIPPED' }]);
    expect(spec(ctx).given(skipApproved('AGREE')).when(skip).events()[0]).toMatchObject({ type: 'PhasesSkipped', data: { authorisedBy: ['d1', 'd2'] } });
  });

  it('staff told of one party’s withdrawal have not been told of another’s', () => {
    const ctx = context({ strategy: strategyWith([rule({ trigger: 'PARTY_WITHDRAWN', body: 'STAFF', level: 'INFORM' })]) });
    const given = approvedFor(ctx, toShare, 'PARTY_WITHDRAWN', { organisationId: OCMW }, 'NOTED', 'STAFF');
    const withdraw = (organisationId: string): PartnershipCommand => ({ type: 'WithdrawParty', partnershipId: P, organisationId, reason: 'reorganisation' });
    spec(ctx).given(given).when(withdraw(VDAB)).thenThrows('INFORM_REQUIRED', [{ condition: 'INFORMED:STAFF:PARTY_WITHDRAWN' }]);
    expect(spec(ctx).given(given).when(withdraw(OCMW)).events()[0]).toMatchObject({ data: { authorisedBy: ['d1'] } });
  });

  it('a request names what its trigger needs, and nothing that does not apply; refused otherwise, recording nothing', () => {
    const given = history([propose()]);
    spec().given(given).when(request('req-1', 'BOARD', 'PARTY_ADMITTED', null)).thenThrows('VALIDATION_FAILED', [{ condition: 'REQUESTED_CHANGE_NAMED', detail: "a request for PARTY_ADMITTED names the change's organisationId" }]);
    spec().given(given).when(request('req-1', 'BOARD', 'CONTRIBUTION_ABOVE', { organisationId: OCMW })).thenThrows('VALIDATION_FAILED', [{ condition: 'REQUESTED_CHANGE_NAMED', detail: "a request for CONTRIBUTION_ABOVE names the change's amount" }]);
    spec().given(given).when(request('req-1', 'BOARD', 'LEGAL_FORM_CHANGED', { legalForm: 'MERGER', organisationId: OCMW })).thenThrows('VALIDATION_FAILED', [{ condition: 'REQUESTED_CHANGE_FITS_TRIGGER', detail: 'organisationId does not apply to LEGAL_FORM_CHANGED' }]);
    spec().given(given).when(request('req-1', 'BOARD', 'SCOPE_CHANGED', { phase: 'AGREE' })).thenThrows('VALIDATION_FAILED', [{ condition: 'REQUESTED_CHANGE_FITS_TRIGGER' }]);
    expect(spec().given(given).when(request('req-1', 'BOARD', 'PARTNERSHIP_ENDED', null)).events()[0]).toMatchObject({ type: 'ApprovalRequested', data: { change: null } });
  });

  it('a request recorded before requests named their change answers any change of its trigger, as it did then', () => {
    const ctx = context({ strategy: strategyWith([], 'COVENANT') });
    const recorded = approvedFor(ctx, [propose()], 'LEGAL_FORM_CHANGED', { legalForm: 'JOINT_VENTURE' });
    const older = recorded.map((e) => (e.type === 'ApprovalRequested' ? { ...e, data: { ...e.data, change: undefined } } : e)) as typeof recorded;
    expect(foldPartnership(older).requests[0].change).toBeNull();
    const events = spec(ctx).given(older).when({ type: 'DefineGovernance', partnershipId: P, legalForm: 'MERGER', approvals: ['d1'] }).events();
    expect(events[0]).toMatchObject({ type: 'GovernanceDefined', data: { legalForm: 'MERGER', authorisedBy: ['d1'] } });
  });
});
