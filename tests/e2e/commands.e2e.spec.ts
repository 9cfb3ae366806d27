import Database from 'better-sqlite3';
import { join } from 'node:path';
import { type CommandResultView, Ledger } from './support/ledger';
import { type RunningService, startService, tempDataDir } from './support/service';

/**
 * A partnership's whole life recorded through GraphQL mutations, as a partnership manager, the
 * board and an integrator drive the running service: every mutation of the contract, every
 * refusal code, idempotent retries and a race between two writers.
 */
const day = (n: number) => new Date(Date.UTC(2025, 0, 6 + n, 9)).toISOString();

describe('recording a partnership’s life through GraphQL mutations', () => {
  let service: RunningService;
  let ledger: Ledger;
  /** Headers of the roles other than the managing delegate's (tokens for this service's key). */
  const as: Record<'ADMIN' | 'BOARD' | 'EXECUTIVE', Record<string, string>> = { ADMIN: {}, BOARD: {}, EXECUTIVE: {} };
  const dataDir = tempDataDir();
  const ids: Record<string, string> = {};
  const P = 'p-activation';
  const in_ = (extra: Record<string, unknown>) => ({ partnershipId: P, ...extra });

  beforeAll(async () => {
    service = await startService({ dataDir });
    ledger = new Ledger(await service.client('MANAGER', 'manager-anna'));
    as.ADMIN = { authorization: `Bearer ${await service.token('ADMIN', 'admin-jo')}` };
    as.BOARD = { authorization: `Bearer ${await service.token('BOARD', 'board-chair')}` };
    as.EXECUTIVE = { authorization: `Bearer ${await service.token('EXECUTIVE', 'exec-els')}` };
  });
  afterAll(async () => {
    await service.stop();
  });

  it('registers the home organisation (minting its ids) and two partners', async () => {
    const home = await ledger.run(
      'registerOrganization',
      { name: 'Gemeente Lochristi', kind: 'LOCAL_GOVERNMENT', isHome: true, departments: [{ name: 'Sociale dienst' }] },
      { commandId: 'register-home', businessTime: day(0) },
    );
    ids.home = home.mintedIds.organisationId as string;
    ids.department = home.mintedIds['departments.0.departmentId'] as string;
    expect(home.streamId).toBe(`organisation-${ids.home}`);
    expect(home.revision).toBe(0);
    expect(home.events.map((e) => e.type)).toEqual(['OrganizationRegistered']);
    expect(home.events[0]?.metadata).toMatchObject({
      commandId: 'register-home',
      actor: { id: 'manager-anna', role: 'MANAGER' },
      businessTime: day(0),
    });
    await ledger.run('registerOrganization', { organisationId: 'org-ocmw', name: 'OCMW Lochristi', kind: 'PUBLIC_SOCIAL_WELFARE_CENTRE', isHome: false, departments: [] });
    await ledger.run('registerOrganization', { organisationId: 'org-vdab', name: 'VDAB', kind: 'PUBLIC_EMPLOYMENT_SERVICE', isHome: false, departments: [] });
  });

  it('defines the strategy with escalation rules, removes one, and records a capability assessment', async () => {
    const strategy = await ledger.run('defineStrategy', {
      themes: [{ themeId: 'work', name: 'Work and activation', criteria: ['knows the local labour market'] }],
      nonNegotiableValues: ['client first'],
      highestLegalFormWithoutBoardDecision: 'COVENANT',
    }, { headers: as.BOARD });
    expect(strategy.streamId).toBe('strategy-home');
    await ledger.run('setEscalationRule', {
      rule: { ruleId: 'execute-needs-board', trigger: 'PHASE_ENTERED', params: { phase: 'EXECUTE' }, body: 'BOARD', level: 'MANDATORY', deadlineDays: 14 },
    }, { headers: as.ADMIN });
    await ledger.run('setEscalationRule', {
      rule: { ruleId: 'scope-to-executive', trigger: 'SCOPE_CHANGED', body: 'EXECUTIVE', level: 'EXPECTED', deadlineDays: 7 },
    }, { headers: as.ADMIN });
    await ledger.run('setEscalationRule', {
      rule: { ruleId: 'temporary', trigger: 'PARTY_WITHDRAWN', body: 'STAFF', level: 'INFORM', deadlineDays: 7 },
    }, { headers: as.ADMIN });
    const removed = await ledger.run('removeEscalationRule', { ruleId: 'temporary' }, { headers: as.ADMIN });
    expect(removed.revision).toBe(4);
    const capability = await ledger.run('assessCapability', {
      conditions: {
        STRATEGY_TRANSLATION: { maturity: 3 },
        CULTURE_LEADERSHIP_STEERING: { maturity: 2 },
        INTERNAL_ORGANISATION: { maturity: 2, notes: 'departments do not see each other’s partners' },
        SYSTEMS_TOOLS_SKILLS: { maturity: 1 },
      },
    }, { headers: as.BOARD });
    expect(capability.events).toHaveLength(1);
  });

  it('proposes the partnership and refuses to share before a second party is at the table', async () => {
    const proposed = await ledger.run(
      'proposePartnership',
      {
        partnershipId: P,
        name: 'Local activation network',
        themeId: 'work',
        owningDepartmentId: ids.department,
        description: 'Municipality, OCMW and VDAB guide people far from the labour market into work together.',
        purposeType: 'CHAIN',
        origin: { kind: 'CHOSEN' },
        motives: ['COMPLEX_PROBLEM', 'SINGLE_POINT_OF_CONTACT'],
        quadrant: { relation: 'COOPERATIVE', resources: 'COMPLEMENTARY' },
        valueForHome: 'fewer people dependent on income support',
        valueForPartnership: 'one route to work instead of three',
        leadParty: { organisationId: ids.home, delegate: { personId: 'anna', name: 'Anna Peeters' } },
      },
      { businessTime: day(1) },
    );
    expect(proposed.streamId).toBe(`partnership-${P}`);
    const refusal = await ledger.refused('advancePhase', in_({ toPhase: 'SHARE' }), { businessTime: day(2) });
    expect(refusal.extensions.code).toBe('PHASE_GATE_UNMET');
    expect(refusal.extensions.unmet?.length).toBeGreaterThan(0);
  });

  it('admits the partners, shares, and refuses AGREE naming every unmet interest condition', async () => {
    await ledger.run('admitParty', in_({ organisationId: 'org-ocmw', delegate: { personId: 'olivia', name: 'Olivia' } }), { businessTime: day(3) });
    await ledger.run('admitParty', in_({ organisationId: 'org-vdab', delegate: { personId: 'victor', name: 'Victor' } }), { businessTime: day(3) });
    await ledger.run('advancePhase', in_({ toPhase: 'SHARE' }), { businessTime: day(4) });
    const refusal = await ledger.refused('advancePhase', in_({ toPhase: 'AGREE' }), { businessTime: day(5) });
    expect(refusal.extensions.code).toBe('PHASE_GATE_UNMET');
    // three parties without organisational and individual interests, no collective one, no client statement
    expect(refusal.extensions.unmet?.length ?? 0).toBeGreaterThanOrEqual(4);
  });

  it('declares, revises and withdraws interests, changes scope (raising an EXPECTED escalation) and agrees', async () => {
    for (const org of [ids.home, 'org-ocmw', 'org-vdab']) {
      for (const kind of ['ORGANISATIONAL', 'INDIVIDUAL']) {
        await ledger.run('declareInterest', in_({ interestId: `${org}-${kind}`, organisationId: org, kind, description: `${kind} interest of ${org}` }), { businessTime: day(6) });
      }
    }
    const collective = await ledger.run('declareInterest', in_({ organisationId: ids.home, kind: 'COLLECTIVE', description: 'one plan per job seeker', dealbreaker: true }), { businessTime: day(6) });
    ids.collective = collective.mintedIds.interestId as string;
    await ledger.run('reviseInterest', in_({ interestId: ids.collective, position: 'we want one shared client file' }), { businessTime: day(7) });
    const extra = await ledger.run('declareInterest', in_({ organisationId: 'org-vdab', kind: 'ORGANISATIONAL', description: 'meet the placement target' }), { businessTime: day(7) });
    await ledger.run('withdrawInterest', in_({ interestId: extra.mintedIds.interestId, reason: 'covered by the other interest' }), { businessTime: day(7) });

    const firstScope = await ledger.run(
      'changeScope',
      in_({ included: ['guidance to work'], excluded: ['income support decisions'], horizon: '2027-12-31', servesClients: 'one contact point and one plan per job seeker' }),
      { businessTime: day(8) },
    );
    // Setting the scope for the first time is no change of scope: nothing to escalate.
    expect(firstScope.events.map((e) => e.type)).not.toContain('EscalationRaised');
    const scope = await ledger.run(
      'changeScope',
      in_({ included: ['guidance to work', 'language coaching'], excluded: ['income support decisions'], horizon: '2027-12-31' }),
      { businessTime: day(8) },
    );
    const raised = scope.events.find((e) => e.type === 'EscalationRaised');
    expect(raised?.data).toMatchObject({ trigger: 'SCOPE_CHANGED', body: 'EXECUTIVE', level: 'EXPECTED' });
    ids.scopeEscalation = raised?.data.escalationId as string;
    await ledger.run('advancePhase', in_({ toPhase: 'AGREE' }), { businessTime: day(9) });
  });

  it('formulates and endorses the ambition, pledges, designs governance', async () => {
    const ambition = await ledger.run(
      'formulateAmbition',
      in_({
        statement: 'Every job seeker far from work has one plan and one coach.',
        goals: [
          { kind: 'QUANTITATIVE', description: 'people placed in work', indicator: 'placements per year', target: 40 },
          { kind: 'QUALITATIVE', description: 'clients feel helped', question: 'Do clients experience one route?' },
        ],
        noGoAreas: ['sanctioning clients'],
      }),
      { businessTime: day(10) },
    );
    ids.goal = ambition.mintedIds['goals.0.goalId'] as string;
    for (const org of [ids.home, 'org-ocmw', 'org-vdab']) {
      await ledger.run('endorseAmbition', in_({ organisationId: org }), { businessTime: day(11) });
      const pledge = await ledger.run('pledgeContribution', in_({ organisationId: org, direction: 'BRING', kind: 'TIME', description: 'a job coach one day a week', amount: 8 }), { businessTime: day(11) });
      ids[`pledge-${org}`] = pledge.mintedIds.pledgeId as string;
    }
    await ledger.run('advancePhase', in_({ toPhase: 'DESIGN' }), { businessTime: day(12) });
    await ledger.run(
      'defineGovernance',
      in_({
        decisionRights: 'steering group of the three delegates decides by consensus',
        taskAllocation: 'OCMW coordinates, VDAB matches, municipality hosts',
        legalForm: 'COVENANT',
        exitArrangements: { howToLeave: 'six months notice', noticePeriod: '6 months', sharedAssets: 'stay with the host', data: 'returned to each party', staff: 'return to their employer' },
      }),
      { businessTime: day(13) },
    );
    await ledger.run('assignNetworkRole', in_({ role: 'OPERATOR', person: { personId: 'olivia', name: 'Olivia' }, organisationId: 'org-ocmw' }), { businessTime: day(13) });
  });

  it('refuses EXECUTE without the board’s approval, then advances citing the approving decision once', async () => {
    const refusal = await ledger.refused('advancePhase', in_({ toPhase: 'EXECUTE' }), { businessTime: day(14) });
    expect(refusal.extensions.code).toBe('APPROVAL_REQUIRED');
    // A request names the one change it is for: here the phase entered.
    const unnamed = await ledger.refused('requestApproval', in_({ body: 'BOARD', trigger: 'PHASE_ENTERED', subject: 'start executing the network' }), { businessTime: day(14) });
    expect(unnamed.extensions).toMatchObject({ code: 'VALIDATION_FAILED', unmet: [{ condition: 'REQUESTED_CHANGE_NAMED', detail: "a request for PHASE_ENTERED names the change's phase" }] });
    const request = await ledger.run('requestApproval', in_({ body: 'BOARD', trigger: 'PHASE_ENTERED', subject: 'start executing the network', change: { phase: 'EXECUTE' } }), { businessTime: day(14) });
    const decision = await ledger.run(
      'recordDecision',
      in_({
        body: 'BOARD',
        requestId: request.mintedIds.requestId,
        outcome: 'CONDITIONAL',
        rationale: 'go, provided the client file is shared',
        conditions: [{ description: 'a data-sharing agreement is signed' }],
      }),
      { businessTime: day(15), headers: as.BOARD },
    );
    const decisionId = decision.mintedIds.decisionId as string;
    const advanced = await ledger.run('advancePhase', in_({ toPhase: 'EXECUTE', approvals: [decisionId] }), { businessTime: day(16) });
    expect(advanced.events.map((e) => e.type)).toContain('PhaseAdvanced');
    // The board set the condition and the executive was told of the scope: they answer for it,
    // not the manager who does the work (refused, nothing recorded).
    const condition = in_({ decisionId, conditionId: decision.mintedIds['conditions.0.conditionId'] });
    const byManager = await ledger.refused('markConditionMet', condition, { businessTime: day(20) });
    expect(byManager.extensions).toMatchObject({ code: 'FORBIDDEN', unmet: [{ condition: 'ACTOR_SPEAKS_FOR_BODY' }] });
    const notAcknowledged = await ledger.refused('acknowledgeEscalation', in_({ escalationId: ids.scopeEscalation }), { businessTime: day(20) });
    expect(notAcknowledged.extensions).toMatchObject({ code: 'FORBIDDEN', unmet: [{ condition: 'ACTOR_SPEAKS_FOR_BODY', detail: 'only EXECUTIVE may acknowledge the escalations of the EXECUTIVE, not MANAGER' }] });
    const met = await ledger.run('markConditionMet', condition, { businessTime: day(20), headers: as.BOARD });
    expect(met.revision).toBe(advanced.revision + 1);
    const acknowledged = await ledger.run('acknowledgeEscalation', in_({ escalationId: ids.scopeEscalation, note: 'seen by the executive' }), { businessTime: day(20), headers: as.EXECUTIVE });
    expect(acknowledged.events[0]).toMatchObject({ type: 'EscalationAcknowledged', metadata: { actor: { id: 'exec-els', role: 'EXECUTIVE' } } });
  });

  it('records execution: deliveries, goal progress, assessments, a value at risk, an evaluation, a new delegate', async () => {
    await ledger.run('reportContributionDelivered', in_({ pledgeId: ids[`pledge-${ids.home}`] }), { businessTime: day(30) });
    await ledger.run('reportGoalProgress', in_({ goalId: ids.goal, actual: 12, note: 'first quarter' }), { businessTime: day(90) });
    await ledger.run('recordAssessment', in_({ by: 'org-ocmw', scores: scores(4) }), { businessTime: day(91) });
    await ledger.run('recordAssessment', in_({ by: 'JOINT', scores: scores(3) }), { businessTime: day(92) });
    const flagged = await ledger.run('flagValueAtRisk', in_({ value: 'client first', note: 'waiting lists grow' }), { businessTime: day(93) });
    expect(flagged.events.length).toBeGreaterThan(0);
    await ledger.run(
      'recordEvaluation',
      in_({
        period: { from: '2025-01-01', to: '2025-06-30' },
        indicators: [{ goalId: ids.goal, indicator: 'placements per year', target: 40, actual: 18 }],
        answers: [{ question: 'Are we still on course?', answer: 'mostly' }],
        lessons: ['share the client file earlier'],
        verdict: 'ADJUST',
      }),
      { businessTime: day(180) },
    );
    await ledger.run('replaceDelegate', in_({ organisationId: 'org-vdab', delegate: { personId: 'vera', name: 'Vera' }, rationale: 'Victor changed jobs' }), { businessTime: day(181) });
    const review = await ledger.run('reviewPartnership', in_({}), { businessTime: day(182) });
    expect(review.streamId).toBe(`partnership-${P}`);
    ids.position = String(review.position);
  });

  it('answers what the partnership holds — now, and as it stood at an earlier revision — with INDIVIDUAL interests redacted for integrators', async () => {
    const RECORD = `record { revision valueForHome scope { included excluded horizon }
      interests { interestId organisationId kind description position dealbreaker status }
      ambition { statement goals { kind description indicator target question } noGoAreas } endorsedBy
      pledges { organisationId kind amount deliveredAt } governance { legalForm decisionRights exitArrangements { noticePeriod data } }
      goalProgress { actual note } evaluations { verdict lessons indicators { target actual } } valuesAtRisk { value note } }`;
    type Record_ = {
      revision: number;
      valueForHome: string;
      scope: { included: string[]; excluded: string[]; horizon: string } | null;
      interests: { interestId: string; organisationId: string; kind: string; description: string; position: string | null; dealbreaker: boolean; status: string }[];
      ambition: { statement: string; goals: { kind: string }[]; noGoAreas: string[] } | null;
      endorsedBy: string[];
      pledges: { organisationId: string; deliveredAt: string | null }[];
      governance: { legalForm: string; decisionRights: string; exitArrangements: { noticePeriod: string; data: string } } | null;
      goalProgress: { actual: number; note: string }[];
      evaluations: { verdict: string; lessons: string[]; indicators: { target: number; actual: number }[] }[];
      valuesAtRisk: { value: string; note: string }[];
    };
    const board = await service.client('BOARD', 'board-chair');
    const now = (await board.data<{ partnership: { revision: number; record: Record_ } }>(`query($p: SafeInt) { partnership(id: "${P}", position: $p) { revision ${RECORD} } }`, { p: Number(ids.position) })).partnership;
    expect(now.record.revision).toBe(now.revision);
    expect(now.record).toMatchObject({
      valueForHome: expect.any(String),
      scope: { included: ['guidance to work', 'language coaching'], excluded: ['income support decisions'], horizon: '2027-12-31' },
      ambition: { statement: 'Every job seeker far from work has one plan and one coach.', goals: [{ kind: 'QUANTITATIVE' }, { kind: 'QUALITATIVE' }], noGoAreas: ['sanctioning clients'] },
      governance: { legalForm: 'COVENANT', decisionRights: 'steering group of the three delegates decides by consensus', exitArrangements: { noticePeriod: '6 months', data: 'returned to each party' } },
      goalProgress: [{ actual: 12, note: 'first quarter' }],
      evaluations: [{ verdict: 'ADJUST', lessons: ['share the client file earlier'], indicators: [{ target: 40, actual: 18 }] }],
      valuesAtRisk: [{ value: 'client first', note: 'waiting lists grow' }],
    });
    expect(now.record.endorsedBy.sort()).toEqual([ids.home, 'org-ocmw', 'org-vdab'].sort());
    expect(now.record.pledges.filter((p) => p.deliveredAt !== null).map((p) => p.organisationId)).toEqual([ids.home]);
    const interest = (id: string) => now.record.interests.find((i) => i.interestId === id);
    expect(interest(ids.collective)).toMatchObject({ kind: 'COLLECTIVE', dealbreaker: true, position: 'we want one shared client file', status: 'ACTIVE' });
    expect(interest(`${ids.home}-INDIVIDUAL`)).toMatchObject({ description: `INDIVIDUAL interest of ${ids.home}`, status: 'ACTIVE' });
    // Rule 4: the replaced delegate's INDIVIDUAL interests lapsed; the withdrawn one stays, WITHDRAWN.
    expect(interest('org-vdab-INDIVIDUAL')?.status).toBe('LAPSED');
    expect(now.record.interests.filter((i) => i.status === 'WITHDRAWN')).toHaveLength(1);

    // As it stood just before the ambition was formulated: no ambition, no governance yet.
    const history = (await board.data<{ partnershipHistory: { nodes: { revision: number; type: string }[] } }>(`{ partnershipHistory(id: "${P}", first: 100) { nodes { revision type } } }`)).partnershipHistory.nodes;
    const formulated = history.find((e) => e.type === 'AmbitionFormulated')?.revision as number;
    const before = (await board.data<{ partnership: { revision: number; record: Record_ } }>(`{ partnership(id: "${P}", atRevision: ${formulated - 1}) { revision ${RECORD} } }`)).partnership;
    expect(before.record).toMatchObject({ revision: formulated - 1, ambition: null, governance: null, pledges: [], evaluations: [] });
    expect(before.record.scope?.included).toEqual(['guidance to work', 'language coaching']);

    // As its own dates tell it: on the day it entered AGREE (day 9), before the ambition of day 10.
    const onDay9 = (await board.data<{ partnership: { phase: string; record: Record_ } }>(`query($d: DateTime) { partnership(id: "${P}", businessAsOf: $d) { phase ${RECORD} } }`, { d: day(9) })).partnership;
    expect(onDay9).toMatchObject({ phase: 'AGREE', record: { ambition: null, governance: null } });
    expect(onDay9.record.interests.length).toBeGreaterThan(0);

    // An integrator reads every interest but not a delegate's own convictions.
    const integrator = await service.client('INTEGRATOR', 'warehouse');
    const seen = (await integrator.data<{ partnership: { record: Record_ } }>(`{ partnership(id: "${P}") { ${RECORD} } }`)).partnership.record;
    expect(seen.interests.find((i) => i.interestId === `${ids.home}-INDIVIDUAL`)?.description).toBe('[redacted]');
    expect(seen.interests.find((i) => i.interestId === `${ids.home}-ORGANISATIONAL`)?.description).toBe(`ORGANISATIONAL interest of ${ids.home}`);
  });

  it('goes back to SHARE with a reason, withdraws a party, ends, and then refuses every command', async () => {
    await ledger.run('revertPhase', in_({ toPhase: 'SHARE', reason: 'interests of the VDAB changed with the new delegate' }), { businessTime: day(200) });
    const withdrawn = await ledger.run('withdrawParty', in_({ organisationId: 'org-vdab', reason: 'new regional priorities' }), { businessTime: day(201) });
    expect(withdrawn.events.map((e) => e.type)).toContain('PartyWithdrawn');
    await ledger.run('endPartnership', in_({ reason: 'absorbed into the regional network' }), { businessTime: day(210) });
    const refusal = await ledger.refused('reviewPartnership', in_({}), { businessTime: day(211) });
    expect(refusal.extensions.code).toBe('PARTNERSHIP_ENDED');
  });

  it('answers an unknown partnership with NOT_FOUND and bad input with VALIDATION_FAILED and field paths', async () => {
    const missing = await ledger.refused('admitParty', { partnershipId: 'nope', organisationId: 'org-ocmw', delegate: { personId: 'x', name: 'X' } });
    expect(missing.extensions.code).toBe('NOT_FOUND');
    const bad = await ledger.refused('declareInterest', in_({ organisationId: ' ', kind: 'COLLECTIVE', description: 'x'.repeat(5000) }));
    expect(bad.extensions.code).toBe('VALIDATION_FAILED');
    expect(bad.extensions.fields?.map((f) => f.path).sort()).toEqual(['input.description', 'input.organisationId']);
    const badTime = await ledger.refused('reviewPartnership', in_({}), { businessTime: 'yesterday' });
    expect(['VALIDATION_FAILED', 'BAD_USER_INPUT']).toContain(badTime.extensions.code);
    expect(JSON.stringify([missing, bad, badTime])).not.toMatch(/at .*\.js:\d+/); // no stack traces
  });

  it('returns the first result for a retried command id and records nothing twice, also after a restart', async () => {
    const input = { organisationId: 'org-union', name: 'ACV', kind: 'UNION', isHome: false, departments: [] };
    const first = await ledger.run('registerOrganization', input, { commandId: 'register-union' });
    const retry = await ledger.run('registerOrganization', input, { commandId: 'register-union' });
    expect(retry).toMatchObject({ duplicate: true, revision: first.revision, position: first.position });
    expect(retry.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    await service.stop();
    service = await startService({ dataDir });
    ledger = new Ledger(await service.client('MANAGER', 'manager-anna'));
    const afterRestart = await ledger.run('registerOrganization', input, { commandId: 'register-union' });
    expect(afterRestart).toMatchObject({ duplicate: true, position: first.position });
  });

  it('lets exactly one of two writers with the same expected revision win; the other gets CONCURRENCY_CONFLICT', async () => {
    const created = await ledger.run('proposePartnership', {
      name: 'Learning network',
      themeId: 'work',
      owningDepartmentId: ids.department,
      description: 'Peers learn together',
      purposeType: 'LEARNING_NETWORK',
      origin: { kind: 'CHOSEN' },
      motives: ['LEARNING_TOGETHER'],
      quadrant: { relation: 'COOPERATIVE', resources: 'SIMILAR' },
      valueForHome: 'better practice',
      valueForPartnership: 'shared practice',
      leadParty: { organisationId: ids.home, delegate: { personId: 'anna', name: 'Anna Peeters' } },
    });
    const id = created.mintedIds.partnershipId as string;
    const race = await Promise.all(
      ['org-ocmw', 'org-vdab'].map((org) =>
        ledger.attempt('admitParty', { partnershipId: id, organisationId: org, delegate: { personId: org, name: org } }, { expectedRevision: created.revision }),
      ),
    );
    const winners = race.filter((r) => r.result);
    const losers = race.filter((r) => !r.result);
    expect(winners).toHaveLength(1);
    expect(losers[0]?.errors[0]?.extensions.code).toBe('CONCURRENCY_CONFLICT');
    // Without an expected revision, both concurrent writers succeed (the handler retries).
    const both = await Promise.all(
      ['org-union', 'org-ocmw'].map((org, i) =>
        ledger.attempt('assignNetworkRole', { partnershipId: id, role: i ? 'CHAMPION' : 'PROMOTER', person: { personId: org, name: org }, organisationId: ids.home }),
      ),
    );
    expect(both.every((r) => r.result)).toBe(true);
  });

  it('keeps every recorded event readable in the store, in order, with its metadata', async () => {
    await service.stop();
    const db = new Database(join(dataDir, 'events.sqlite'), { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['events']));
      const count = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
      expect(count).toBeGreaterThan(40);
    } finally {
      db.close();
    }
    service = await startService({ dataDir });
  });
});

function scores(score: number) {
  const s = { score };
  return { AMBITION: s, INTERESTS: s, RELATION: s, ORGANISATION: s, PROCESS: s };
}

export type { CommandResultView };
