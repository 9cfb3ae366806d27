import { foldPartnership, type PartnershipEvent, type StrategyState } from '@ppl/domain';
import { baseHistory, day, HOME, OCMW, scores } from '../testing/scenario';
import { partnershipView, viewAt } from './partnership-view';

function stateOf(ledger: ReturnType<typeof baseHistory>, id = 'p1') {
  const events = ledger.events.filter((e) => e.streamId === `partnership-${id}`).map((e) => ({ type: e.type, data: e.data }) as PartnershipEvent);
  return foldPartnership(events);
}

describe('partnershipView', () => {
  it('Given a proposal and two admissions, Then the row shows profile, parties, phase and the theme name', () => {
    const ledger = baseHistory();
    const view = partnershipView(stateOf(ledger), ledger.stateOf<StrategyState>('strategy-home'), day(2), { position: 7 });
    expect(view).toMatchObject({
      id: 'p1',
      name: 'Partnership p1',
      themeId: 'work',
      themeName: 'Work and activation',
      origin: 'CHOSEN',
      phase: 'EXPLORE',
      phaseSince: day(0),
      daysInPhase: 2,
      partyOrganisationIds: [HOME, OCMW, 'org-vdab'],
      openEscalationCount: 0,
      lastDecision: null,
      revision: 2,
      position: 7,
      lastActivityAt: day(2),
      asOf: day(2),
      healthMin: null,
    });
    expect(view.signalDueAt.STAGNATION).toBe(day(90));
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('Given party assessments 4 and 2, Then health is their mean, the spread 2, DIVERGENT_VIEWS raised', () => {
    const ledger = baseHistory();
    ledger.decide({ type: 'RecordAssessment', partnershipId: 'p1', assessmentId: 'a1', by: HOME, scores: scores(4) }, { at: day(3) });
    ledger.decide({ type: 'RecordAssessment', partnershipId: 'p1', assessmentId: 'a2', by: OCMW, scores: scores(2) }, { at: day(3) });
    const view = partnershipView(stateOf(ledger), undefined, day(3));
    expect(view.health.find((h) => h.perspective === 'RELATION')).toEqual({ perspective: 'RELATION', health: 3, spread: 2, source: 'PARTIES', trend: null });
    expect(view.healthMin).toBe(3);
    expect(view.signalCodes).toContain('DIVERGENT_VIEWS');
    expect(view.themeName).toBeNull();
  });

  it('viewAt finishes the stored view at a later clock: days in phase, STAGNATION by its deadline', () => {
    const ledger = baseHistory();
    const view = partnershipView(stateOf(ledger), undefined, day(2));
    expect(view.signalCodes).not.toContain('STAGNATION');
    const later = viewAt(view, day(95));
    expect(later.daysInPhase).toBe(95);
    expect(later.signalCodes).toContain('STAGNATION');
    // consistent with computing the whole view at that moment
    expect(partnershipView(stateOf(ledger), undefined, day(95)).signalCodes).toEqual(later.signalCodes);
    expect(viewAt(view, day(1))).toBe(view);
  });

  it('refuses a state without a partnership', () => {
    expect(() => partnershipView(foldPartnership([]), undefined, day(0))).toThrow('no partnership');
  });
});
