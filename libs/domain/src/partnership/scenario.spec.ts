import { partnershipMetrics } from '../metrics/partnership-metrics';
import { thresholdsOf } from '../metrics/thresholds';
import type { EscalationRule } from '../strategy/escalation-rule';
import { foldPartnership } from './partnership.decider';
import { HOME, OCMW, P, VDAB, advance, agreed, assess, context, day, declare, designed, history, propose, strategyWith, type Step } from '../testing/fixtures';

/**
 * A local activation network (lokaal activeringsnetwerk): the municipality (home), its public
 * social welfare centre (OCMW) and the public employment service (VDAB) guide people far from
 * the labour market to work together. One partnership from proposal to an evaluation.
 */
describe('scenario — a local activation network from proposal to evaluation', () => {
  const rules: EscalationRule[] = [
    { ruleId: 'board-execute', trigger: 'PHASE_ENTERED', params: { phase: 'EXECUTE' }, body: 'BOARD', level: 'MANDATORY', deadlineDays: 30 },
    { ruleId: 'staff-admit', trigger: 'PARTY_ADMITTED', body: 'STAFF', level: 'EXPECTED', deadlineDays: 14 },
  ];
  const ctx = context({ strategy: strategyWith(rules, 'COVENANT') });
  const at = (n: number) => ({ businessTime: day(n) });

  const steps: Step[] = [
    [propose(), at(0)],
    // EXPLORE: get to know each other.
    [{ type: 'AdmitParty', partnershipId: P, organisationId: OCMW, delegate: { personId: 'olivia', name: 'Olivia' }, ambitionAtTable: 'fewer clients on income support' }, at(3)],
    [{ type: 'AdmitParty', partnershipId: P, organisationId: VDAB, delegate: { personId: 'victor', name: 'Victor' }, ambitionAtTable: 'reach people we never see' }, at(5)],
    [advance('SHARE'), at(20)],
    // SHARE: interests on the table, positions set aside.
    ...[HOME, OCMW, VDAB].flatMap((o): Step[] => [[declare(`i-${o}-org`, o, 'ORGANISATIONAL'), at(30)], [declare(`i-${o}-ind`, o, 'INDIVIDUAL'), at(30)]]),
    [{ ...declare('i-clients', OCMW, 'COLLECTIVE'), description: 'one route to work for the client', dealbreaker: true }, at(31)],
    [assess('as-home-1', HOME, 3), at(35)],
    [assess('as-vdab-1', VDAB, 3, { INTERESTS: 2 }), at(35)],
    [advance('AGREE'), at(40)],
    // AGREE: a shared ambition, take and bring, scope and horizon.
    ...agreed.map((c): Step => [c, at(60)]),
    [advance('DESIGN'), at(70)],
    // DESIGN: governance and exit arrangements before the work starts.
    ...designed.map((c): Step => [c, at(90)]),
    [{ type: 'RequestApproval', partnershipId: P, requestId: 'req-execute', body: 'BOARD', trigger: 'PHASE_ENTERED', subject: 'start executing the activation network', change: { phase: 'EXECUTE' } }, at(92)],
    [{ type: 'RecordDecision', partnershipId: P, decisionId: 'dec-execute', requestId: 'req-execute', body: 'BOARD', outcome: 'CONDITIONAL', rationale: 'fits the strategy', conditions: [{ conditionId: 'c-data', description: 'data-sharing agreement signed' }] }, at(100)],
    [advance('EXECUTE', { approvals: ['dec-execute'] }), at(101)],
    // EXECUTE: do it, report it, and ask whether we are still on course.
    [{ type: 'MarkConditionMet', partnershipId: P, decisionId: 'dec-execute', conditionId: 'c-data' }, at(120)],
    [{ type: 'ReportContributionDelivered', partnershipId: P, pledgeId: 'pl-ocmw', note: 'budget transferred' }, at(150)],
    [{ type: 'ReportGoalProgress', partnershipId: P, goalId: 'g-placements', actual: 18 }, at(280)],
    [assess('as-joint-1', 'JOINT', 4), at(300)],
    [
      {
        type: 'RecordEvaluation',
        partnershipId: P,
        evaluationId: 'ev-2025',
        period: { from: '2025-04-17', to: '2025-12-31' },
        indicators: [{ goalId: 'g-placements', indicator: 'placements per year', target: 40, actual: 18 }],
        answers: [{ question: 'Do clients experience one route?', answer: 'mostly; VDAB intake still separate' }],
        lessons: ['start joint intake earlier'],
        verdict: 'ADJUST',
      },
      at(360),
    ],
  ];

  const events = history(steps, ctx);
  const state = foldPartnership(events);

  it('goes through every phase, in order, to EXECUTE', () => {
    expect(state.phaseHistory.map((h) => `${h.kind}:${h.to}`)).toEqual(['PROPOSED:EXPLORE', 'ADVANCED:SHARE', 'ADVANCED:AGREE', 'ADVANCED:DESIGN', 'ADVANCED:EXECUTE']);
  });

  it('staff were told of each admission; the board’s conditional approval preceded EXECUTE and its condition is met', () => {
    expect(state.escalations.filter((e) => e.trigger === 'PARTY_ADMITTED').map((e) => e.body)).toEqual(['STAFF', 'STAFF']);
    const decision = state.decisions.find((d) => d.decisionId === 'dec-execute');
    const entered = state.phaseHistory.find((h) => h.to === 'EXECUTE');
    expect(decision?.usedBy).toEqual({ eventType: 'PhaseAdvanced', revision: entered?.revision });
    expect(decision && entered && decision.revision < entered.revision).toBe(true);
    expect(decision?.conditions.every((c) => c.met)).toBe(true);
  });

  it('the board sees a healthy partnership with a recent evaluation and no sham signal', () => {
    const metrics = partnershipMetrics(state, day(365), thresholdsOf(ctx.strategy));
    expect(metrics.interestCoverage.holds).toBe(true);
    expect(metrics.health.RELATION).toEqual({ health: 4, spread: 0, source: 'JOINT' });
    expect(metrics.ambitionStrength).toEqual({ promise: 1, commitment: 1, doing: 2 / 5, strength: 2 / 5 });
    // No sham signal; for the board's attention only: the OCMW brings all the money pledged.
    expect(metrics.signals).toEqual([{ code: 'IMBALANCE', detail: `MONEY_CONCENTRATED (${OCMW})`, byDesign: false }]);
    expect(state.evaluations[0].verdict).toBe('ADJUST');
  });
});
