import { baseHistory, day, defineStrategy, HOME, OCMW, propose, scores } from '../testing/scenario';
import { project } from '../testing/project';
import {
  DECISIONS,
  ESCALATIONS,
  PORTFOLIO,
  PORTFOLIO_META,
  SUMMARY_DOC,
  portfolioProjection,
  type DecisionDoc,
  type EscalationDoc,
  type PortfolioRow,
  type SummaryDoc,
} from './portfolio.projection';

// The scenario's strategy allows up to a COVENANT without the board: a CONTRACT asks the board.
const request = (requestId: string, body: 'BOARD' | 'EXECUTIVE' | 'STAFF', legalForm: 'COVENANT' | 'CONTRACT' = 'COVENANT') =>
  ({ type: 'RequestApproval', partnershipId: 'p1', requestId, body, trigger: 'LEGAL_FORM_CHANGED', subject: `${legalForm.toLowerCase()} (${requestId})`, change: { legalForm } }) as const;

describe('portfolio projection', () => {
  it('Given a partnership with three parties, Then one row with its parties and a summary counting it', async () => {
    const ledger = baseHistory();
    const p = await project(portfolioProjection, ledger.events);
    const row = await p.get<PortfolioRow>(PORTFOLIO, 'p1');
    expect(row).toMatchObject({ id: 'p1', phase: 'EXPLORE', themeName: 'Work and activation', revision: 2, asOf: day(2), partyOrganisationIds: [HOME, OCMW, 'org-vdab'] });
    expect(row?.position).toBe(ledger.events.at(-1)?.position);
    const summary = await p.get<SummaryDoc>(PORTFOLIO_META, SUMMARY_DOC);
    expect(summary).toMatchObject({ partnerships: 1, byPhase: [{ key: 'EXPLORE', count: 1 }], byOrigin: [{ key: 'CHOSEN', count: 1 }], byTheme: [{ key: 'work', count: 1 }] });
    await p.close();
  });

  it('Given approval requests, a decision and an acknowledgement, Then the registers and the row agree', async () => {
    const ledger = baseHistory();
    ledger.decide(request('r-board', 'BOARD', 'CONTRACT'), { at: day(3) });
    ledger.decide(request('r-staff', 'STAFF'), { at: day(3) });
    const raised = ledger.events.at(-1)!.position;
    ledger.decide({ type: 'RecordDecision', partnershipId: 'p1', decisionId: 'd1', body: 'BOARD', requestId: 'r-board', outcome: 'CONDITIONAL', rationale: 'ok if', conditions: [{ conditionId: 'c1', description: 'exit first' }] }, { at: day(4) });
    const decided = ledger.events.at(-1)!.position;
    const p = await project(portfolioProjection, ledger.events);

    const escalations = await p.find<EscalationDoc>(ESCALATIONS, { sort: [{ field: 'raisedPosition' }] });
    expect(escalations.items.map((e) => [e.body, e.level, e.status, e.resolvedPosition])).toEqual([
      ['BOARD', 'MANDATORY', 'DECIDED', decided],
      ['STAFF', 'EXPECTED', 'OPEN', null],
    ]);
    expect(escalations.items[1].raisedPosition).toBe(raised);
    // Each names the change its request is for: what the body is asked to authorise.
    expect(escalations.items.map((e) => e.requestedChange)).toEqual([{ legalForm: 'CONTRACT' }, { legalForm: 'COVENANT' }]);
    const decisions = await p.find<DecisionDoc>(DECISIONS, { filter: { partnershipId: 'p1' } });
    expect(decisions.items).toEqual([expect.objectContaining({ decisionId: 'd1', outcome: 'CONDITIONAL', unmetConditions: 1, position: decided, partnershipName: 'Partnership p1' })]);

    const row = await p.get<PortfolioRow>(PORTFOLIO, 'p1');
    expect(row?.openEscalations.map((e) => e.body)).toEqual(['STAFF']);
    expect(row?.openEscalationBodies).toEqual(['STAFF']);
    expect(row?.lastDecision).toMatchObject({ decisionId: 'd1', unmetConditions: 1 });

    await p.feed(ledger.decide({ type: 'MarkConditionMet', partnershipId: 'p1', decisionId: 'd1', conditionId: 'c1' }, { at: day(5) }));
    await p.feed(ledger.decide({ type: 'AcknowledgeEscalation', partnershipId: 'p1', escalationId: escalations.items[1].escalationId }, { at: day(5) }));
    expect((await p.get<DecisionDoc>(DECISIONS, 'p1/d1'))?.unmetConditions).toBe(0);
    expect((await p.get<EscalationDoc>(ESCALATIONS, escalations.items[1].id))).toMatchObject({ status: 'ACKNOWLEDGED', raisedPosition: raised });
    expect((await p.get<PortfolioRow>(PORTFOLIO, 'p1'))?.openEscalationCount).toBe(0);
    const summary = await p.get<SummaryDoc>(PORTFOLIO_META, SUMMARY_DOC);
    expect(summary?.openEscalationsByBody).toEqual([]);
    await p.close();
  });

  it('Given assessments, Then health, the signal index and the summary health sums follow; a second partnership adds up', async () => {
    const ledger = baseHistory();
    ledger.decide({ type: 'RecordAssessment', partnershipId: 'p1', assessmentId: 'a1', by: HOME, scores: scores(4) }, { at: day(3) });
    ledger.decide({ type: 'RecordAssessment', partnershipId: 'p1', assessmentId: 'a2', by: OCMW, scores: scores(2) }, { at: day(3) });
    ledger.decide(propose('p2', { origin: { kind: 'IMPOSED', imposedBy: 'first-line zone' }, name: 'Imposed care zone' }), { at: day(4) });
    const p = await project(portfolioProjection, ledger.events);
    const divergent = await p.find<PortfolioRow>(PORTFOLIO, { filter: { signalCodes: { has: 'DIVERGENT_VIEWS' } } });
    expect(divergent.items.map((r) => r.id)).toEqual(['p1']);
    const below = await p.find<PortfolioRow>(PORTFOLIO, { filter: { healthMin: { lt: 3.5 } } });
    expect(below.items.map((r) => r.id)).toEqual(['p1']);
    const summary = await p.get<SummaryDoc>(PORTFOLIO_META, SUMMARY_DOC);
    expect(summary?.partnerships).toBe(2);
    expect(summary?.byOrigin).toEqual([{ key: 'CHOSEN', count: 1 }, { key: 'IMPOSED', count: 1 }]);
    expect(summary?.health.find((h) => h.perspective === 'RELATION')).toEqual({ perspective: 'RELATION', sum: 3, count: 1 });
    await p.close();
  });

  it('Given goal progress that a later review finds older than 90 days, Then ambition strength (stored, indexed) drops with it', async () => {
    const ledger = baseHistory();
    ledger.decide({ type: 'FormulateAmbition', partnershipId: 'p1', statement: 'one route to work', goals: [{ goalId: 'g1', kind: 'QUALITATIVE', description: 'clients helped', question: 'one route?' }], noGoAreas: [] }, { at: day(3) });
    for (const organisationId of [HOME, OCMW, 'org-vdab']) ledger.decide({ type: 'EndorseAmbition', partnershipId: 'p1', organisationId }, { at: day(3) });
    ledger.decide({ type: 'ReportGoalProgress', partnershipId: 'p1', goalId: 'g1', note: 'first clients' }, { at: day(4) });
    const p = await project(portfolioProjection, ledger.events);
    expect((await p.get<PortfolioRow>(PORTFOLIO, 'p1'))?.ambitionStrength).toMatchObject({ doing: 1, strength: 1 });
    await p.feed(ledger.decide({ type: 'ReviewPartnership', partnershipId: 'p1' }, { at: day(95) }));
    expect(ledger.events.at(-1)?.type).toBe('GoalProgressLapsed');
    expect((await p.get<PortfolioRow>(PORTFOLIO, 'p1'))?.ambitionStrength).toMatchObject({ doing: 0, strength: 0 });
    const weak = await p.find<PortfolioRow>(PORTFOLIO, { filter: { 'ambitionStrength.strength': { lt: 0.5 } } });
    expect(weak.items.map((r) => r.id)).toEqual(['p1']);
    await p.close();
  });

  it('Given a strategy redefined with other thresholds, Then every row is re-derived with them', async () => {
    const ledger = baseHistory();
    const p = await project(portfolioProjection, ledger.events);
    expect((await p.get<PortfolioRow>(PORTFOLIO, 'p1'))?.signalDueAt.STAGNATION).toBe(day(90));
    await p.feed(ledger.decide({ ...defineStrategy, thresholds: { stagnationDays: 30 } } as typeof defineStrategy, { at: day(5) }));
    const row = await p.get<PortfolioRow>(PORTFOLIO, 'p1');
    expect(row?.signalDueAt.STAGNATION).toBe(day(30));
    expect(row?.asOf).toBe(day(2));
    expect((await p.get<SummaryDoc>(PORTFOLIO_META, SUMMARY_DOC))?.partnerships).toBe(1);
    await p.close();
  });
});
