import type { PartnershipCommand } from './partnership.commands';
import { foldPartnership } from './partnership.decider';
import { HOME, OCMW, P, T0, VDAB, admit, advance, agreed, assess, context, day, declare, history, interestsCovered, propose, readyToExecute, spec, strategyWith, toShare } from '../testing/fixtures';

describe('rule 4 — withdrawal and replaced delegates', () => {
  const endorsed = [...toShare, advance('SHARE'), ...interestsCovered, advance('AGREE'), ...agreed];

  it('when a party withdraws, every endorsement lapses: the remaining parties must reconfirm', () => {
    const events = spec().given(history(endorsed)).when({ type: 'WithdrawParty', partnershipId: P, organisationId: VDAB, reason: 'merger' }).events();
    expect(events).toEqual([
      { type: 'PartyWithdrawn', data: { organisationId: VDAB, reason: 'merger', authorisedBy: [], at: T0 } },
      { type: 'AmbitionEndorsementsLapsed', data: { organisationIds: [HOME, OCMW], reason: expect.stringContaining('reconfirm'), at: T0 } },
    ]);
    const state = foldPartnership([...history(endorsed), ...events]);
    expect(state.endorsements).toEqual([]);
    spec().given([...history(endorsed), ...events]).when(advance('DESIGN')).thenThrows('PHASE_GATE_UNMET', [
      { condition: 'AMBITION_ENDORSED_BY_PARTY', detail: HOME },
      { condition: 'AMBITION_ENDORSED_BY_PARTY', detail: OCMW },
    ]);
  });

  it('a replaced delegate’s INDIVIDUAL interests lapse; organisational ones stay', () => {
    const events = spec()
      .given(history(endorsed))
      .when({ type: 'ReplaceDelegate', partnershipId: P, organisationId: OCMW, delegate: { personId: 'otto', name: 'Otto' }, rationale: 'Olivia retires' })
      .events();
    expect(events.map((e) => e.type)).toEqual(['DelegateReplaced', 'InterestsLapsed']);
    expect(events[1].data).toMatchObject({ interestIds: ['i-ocmw-ind'] });
    const state = foldPartnership([...history(endorsed), ...events]);
    expect(state.interests.find((i) => i.interestId === 'i-ocmw-org')?.status).toBe('ACTIVE');
    expect(state.interests.find((i) => i.interestId === 'i-ocmw-ind')?.status).toBe('LAPSED');
  });

  it('a party that withdrew and comes back with another delegate: the old delegate’s INDIVIDUAL interests lapse', () => {
    const withdrawn = [...endorsed, { type: 'WithdrawParty', partnershipId: P, organisationId: OCMW, reason: 'reorganised' } as const];
    const events = spec().given(history(withdrawn)).when(admit(OCMW, 'otto')).events();
    expect(events.map((e) => e.type)).toEqual(['PartyAdmitted', 'InterestsLapsed']);
    expect(events[1].data).toMatchObject({ interestIds: ['i-ocmw-ind'], reason: expect.stringContaining('olivia') });
    const state = foldPartnership([...history(withdrawn), ...events]);
    expect(state.interests.find((i) => i.interestId === 'i-ocmw-org')?.status).toBe('ACTIVE');
    expect(state.interests.find((i) => i.interestId === 'i-ocmw-ind')?.status).toBe('LAPSED');
  });

  it('a party that comes back with the same delegate keeps that delegate’s INDIVIDUAL interests', () => {
    const withdrawn = [...endorsed, { type: 'WithdrawParty', partnershipId: P, organisationId: OCMW, reason: 'paused' } as const];
    expect(spec().given(history(withdrawn)).when(admit(OCMW, 'olivia')).events().map((e) => e.type)).toEqual(['PartyAdmitted']);
  });

  it('replacing a delegate by the same person is refused', () => {
    spec().given(history(toShare)).when({ type: 'ReplaceDelegate', partnershipId: P, organisationId: OCMW, delegate: { personId: 'olivia', name: 'O' }, rationale: 'x' }).thenThrows('VALIDATION_FAILED');
  });

  it('a reformulated ambition must be endorsed anew', () => {
    const state = foldPartnership(history([...endorsed, agreed[0]]));
    expect(state.endorsements).toEqual([]);
  });
});

describe('rule 5 — an ENDED partnership refuses every command', () => {
  const ended = history([...toShare, { type: 'EndPartnership', partnershipId: P, reason: 'goal reached' }]);
  const commands: PartnershipCommand[] = [
    admit('org-other', 'x'),
    advance('SHARE'),
    { type: 'RevertPhase', partnershipId: P, toPhase: 'EXPLORE', reason: 'x' },
    { type: 'ReviewPartnership', partnershipId: P },
    { type: 'EndPartnership', partnershipId: P, reason: 'again' },
    propose(),
  ];
  it.each(commands.map((c) => [c.type, c] as const))('%s is refused with PARTNERSHIP_ENDED', (_type, command) => {
    spec().given(ended).when(command).thenThrows('PARTNERSHIP_ENDED');
  });

  it('the escalation its ending raised is still its body’s to acknowledge or decide; nothing else is', () => {
    const ctx = context({ strategy: strategyWith([{ ruleId: 'end-board', trigger: 'PARTNERSHIP_ENDED', body: 'BOARD', level: 'EXPECTED', deadlineDays: 30 }]) });
    const endedWithEscalation = history([...toShare, { type: 'EndPartnership', partnershipId: P, reason: 'goal reached' }], ctx);
    const escalationId = foldPartnership(endedWithEscalation).escalations[0]?.escalationId as string;
    expect(escalationId).toBeDefined();
    const acknowledge: PartnershipCommand = { type: 'AcknowledgeEscalation', partnershipId: P, escalationId };
    expect(spec(ctx).given(endedWithEscalation).when(acknowledge).events()[0]).toMatchObject({ type: 'EscalationAcknowledged', data: { escalationId } });
    const noted: PartnershipCommand = { type: 'RecordDecision', partnershipId: P, decisionId: 'd-end', body: 'BOARD', escalationId, outcome: 'NOTED', rationale: 'seen' };
    expect(spec(ctx).given(endedWithEscalation).when(noted).events()[0]).toMatchObject({ type: 'DecisionRecorded' });
    // Once closed, or without an open escalation to answer, rule 5 holds.
    const closed = history([...toShare, { type: 'EndPartnership', partnershipId: P, reason: 'goal reached' }, acknowledge], ctx);
    spec(ctx).given(closed).when(acknowledge).thenThrows('PARTNERSHIP_ENDED');
    spec(ctx).given(endedWithEscalation).when({ ...noted, escalationId: undefined }).thenThrows('PARTNERSHIP_ENDED');
    spec(ctx).given(endedWithEscalation).when({ type: 'MarkConditionMet', partnershipId: P, decisionId: 'd-end', conditionId: 'c1' }).thenThrows('PARTNERSHIP_ENDED');
  });
});

describe('rule 8 — business time and the review of time-driven triggers', () => {
  it('every event carries the business time of the command, never the wall clock', () => {
    const events = history([propose()], context({ businessTime: '2020-02-29T12:00:00.000Z' }));
    expect(events[0].data.at).toBe('2020-02-29T12:00:00.000Z');
  });

  it('stagnation: no progress for 90 days raises an escalation once; re-sending the review records nothing new', () => {
    const given = history(toShare);
    const review: PartnershipCommand = { type: 'ReviewPartnership', partnershipId: P };
    spec().given(given).when(review, { businessTime: day(89) }).thenNothing();
    const raised = spec().given(given).when(review, { businessTime: day(90) }).events();
    expect(raised).toEqual([expect.objectContaining({ type: 'EscalationRaised', data: expect.objectContaining({ trigger: 'STAGNATION', body: 'EXECUTIVE', level: 'EXPECTED' }) })]);
    spec().given([...given, ...raised]).when(review, { businessTime: day(90) }).thenNothing();
    spec().given([...given, ...raised]).when(review, { businessTime: day(95) }).thenNothing();
  });

  it('stagnation days come from the strategy’s rule or thresholds', () => {
    const ctx = context({ strategy: strategyWith([{ ruleId: 'stag', trigger: 'STAGNATION', params: { days: 30 }, body: 'BOARD', level: 'EXPECTED', deadlineDays: 7 }]) });
    const raised = spec(ctx).given(history(toShare, ctx)).when({ type: 'ReviewPartnership', partnershipId: P }, { businessTime: day(30) }).events();
    expect(raised[0].data).toMatchObject({ trigger: 'STAGNATION', body: 'BOARD', ruleId: 'stag', dueAt: day(37) });
  });

  it('health below the threshold raises an escalation once per assessment that shows it', () => {
    const given = history([...toShare, assess('a1', HOME, 2), assess('a2', OCMW, 2)]);
    const raised = spec().given(given).when({ type: 'ReviewPartnership', partnershipId: P }, { businessTime: day(1) }).events();
    expect(raised.map((e) => e.data)).toEqual([expect.objectContaining({ trigger: 'HEALTH_BELOW', escalationId: 'HEALTH_BELOW:EXECUTIVE:a2' })]);
    spec().given([...given, ...raised]).when({ type: 'ReviewPartnership', partnershipId: P }, { businessTime: day(2) }).thenNothing();
  });

  it('an overdue evaluation in EXECUTE escalates to the BOARD', () => {
    const executing = history([...readyToExecute, advance('EXECUTE')]);
    const review: PartnershipCommand = { type: 'ReviewPartnership', partnershipId: P };
    const atYear = '2026-01-06T09:00:00.000Z';
    const events = spec().given(executing).when(review, { businessTime: atYear }).events();
    expect(events.map((e) => e.data)).toContainEqual(expect.objectContaining({ trigger: 'EVALUATION_OVERDUE', body: 'BOARD' }));
  });
});

describe('refusals common to every partnership command', () => {
  it('a command on a partnership never proposed: NOT_FOUND', () => {
    spec().given([]).when(admit(OCMW, 'o')).thenThrows('NOT_FOUND', [{ condition: 'PARTNERSHIP_EXISTS' }]);
  });
  it('proposing twice: ALREADY_EXISTS', () => {
    spec().given(history([propose()])).when(propose()).thenThrows('ALREADY_EXISTS');
  });
  it('proposing on a theme outside the strategy, or without a strategy', () => {
    spec().given([]).when(propose({ themeId: 'sports' })).thenThrows('VALIDATION_FAILED', [{ condition: 'THEME_OF_STRATEGY' }]);
    spec(context({ strategy: undefined })).given([]).when(propose()).thenThrows('NOT_FOUND', [{ condition: 'STRATEGY_DEFINED' }]);
  });
  it('an auditor never writes: FORBIDDEN', () => {
    spec(context({ actor: { id: 'aud', role: 'auditor' } })).given([]).when(propose()).thenThrows('FORBIDDEN');
  });
  it('ids supplied twice are refused: ALREADY_EXISTS', () => {
    spec().given(history([...toShare, declare('i1', HOME, 'COLLECTIVE')])).when(declare('i1', OCMW, 'COLLECTIVE')).thenThrows('ALREADY_EXISTS');
  });
  it('interests, pledges, goals and assessments belong to active parties and existing things', () => {
    spec().given(history(toShare)).when(declare('i1', 'org-unknown', 'COLLECTIVE')).thenThrows('NOT_FOUND', [{ condition: 'ACTIVE_PARTY' }]);
    spec().given(history(toShare)).when({ type: 'ReportGoalProgress', partnershipId: P, goalId: 'g-x' }).thenThrows('NOT_FOUND');
    spec().given(history(toShare)).when({ type: 'EndorseAmbition', partnershipId: P, organisationId: HOME }).thenThrows('NOT_FOUND', [{ condition: 'AMBITION_FORMULATED' }]);
    spec().given(history(toShare)).when({ type: 'ReportContributionDelivered', partnershipId: P, pledgeId: 'nope' }).thenThrows('NOT_FOUND');
    spec().given(history(toShare)).when({ type: 'ReviseInterest', partnershipId: P, interestId: 'nope', position: 'x' }).thenThrows('NOT_FOUND');
    spec().given(history(toShare)).when(assess('a', 'org-unknown', 3)).thenThrows('NOT_FOUND');
  });
  it('a delivered pledge cannot be delivered again', () => {
    const given = history([...toShare, { type: 'PledgeContribution', partnershipId: P, pledgeId: 'pl', organisationId: HOME, direction: 'BRING', kind: 'TIME', description: 'd', amount: 1 }, { type: 'ReportContributionDelivered', partnershipId: P, pledgeId: 'pl' }]);
    spec().given(given).when({ type: 'ReportContributionDelivered', partnershipId: P, pledgeId: 'pl' }).thenThrows('INVALID_TRANSITION');
  });
});
