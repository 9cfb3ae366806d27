import { foldPartnership } from '../partnership/partnership.decider';
import type { PartnershipCommand } from '../partnership/partnership.commands';
import { DEFAULT_THRESHOLDS } from '../strategy/thresholds';
import { HOME, OCMW, P, VDAB, advance, agreed, assess, context, day, type Step, history, interestsCovered, pledge, propose, readyToExecute, toShare } from '../testing/fixtures';
import { ambitionStrength } from './ambition-strength';
import { contributionBalance, imbalance } from './contribution-balance';
import { health, supportTrend } from './health';
import { signals } from './sham-signals';

const codes = (commands: Step[], now = day(1), ctx = context()) => signals(foldPartnership(history(commands, ctx)), now, DEFAULT_THRESHOLDS).map((s) => s.code);

describe('health per perspective and spread', () => {
  it('averages every active party’s latest assessment; spread is highest minus lowest', () => {
    const state = foldPartnership(history([...toShare, assess('a0', HOME, 1), [assess('a1', HOME, 4), { businessTime: day(1) }], assess('a2', OCMW, 2)]));
    expect(health(state).RELATION).toEqual({ health: 3, spread: 2, source: 'PARTIES' });
  });
  it('the latest JOINT assessment wins when newer than every party’s', () => {
    const state = foldPartnership(history([...toShare, assess('a1', HOME, 4), [assess('j1', 'JOINT', 5), { businessTime: day(1) }]]));
    expect(health(state).PROCESS).toEqual({ health: 5, spread: null, source: 'JOINT' });
    const older = foldPartnership(history([...toShare, assess('j1', 'JOINT', 5), [assess('a1', HOME, 4), { businessTime: day(1) }]]));
    expect(health(older).PROCESS.source).toBe('PARTIES');
  });
});

describe('rule 6 — sham-collaboration signals', () => {
  it('AMBITION_NOT_SHARED: DESIGN or later and not every active party endorses', () => {
    const design = [...toShare, advance('SHARE'), ...interestsCovered, advance('AGREE'), ...agreed, advance('DESIGN')];
    expect(codes(design)).not.toContain('AMBITION_NOT_SHARED');
    expect(codes([...design, admit4()])).toContain('AMBITION_NOT_SHARED');
  });
  it('INTERESTS_UNSPOKEN: AGREE or later without rule 1’s interest coverage', () => {
    expect(codes([...toShare, advance('AGREE', { justification: 'x' })])).toContain('INTERESTS_UNSPOKEN');
  });
  it('FORM_BEFORE_INTERESTS: a legal form above NONE before interests are covered', () => {
    expect(codes([...toShare, { type: 'DefineGovernance', partnershipId: P, legalForm: 'COVENANT' }])).toContain('FORM_BEFORE_INTERESTS');
  });
  it('PHASES_SKIPPED: an unrepaired skip', () => {
    expect(codes([...toShare, advance('AGREE', { justification: 'x' })])).toContain('PHASES_SKIPPED');
  });
  it('STAGNATION: no progress event for 90 days', () => {
    expect(codes(toShare, day(89))).not.toContain('STAGNATION');
    expect(codes(toShare, day(90))).toContain('STAGNATION');
  });
  it('NO_DOING and NOT_EVALUATED: in EXECUTE, nothing done in 90 days, no evaluation in 12 months', () => {
    const executing = [...readyToExecute, advance('EXECUTE')];
    expect(codes(executing, day(10))).not.toContain('NO_DOING');
    expect(codes(executing, day(91))).toEqual(expect.arrayContaining(['NO_DOING']));
    expect(codes(executing, day(366))).toEqual(expect.arrayContaining(['NOT_EVALUATED']));
    const progressed: Step[] = [...executing, [{ type: 'ReportGoalProgress', partnershipId: P, goalId: 'g-placements', actual: 12 }, { businessTime: day(80) }]];
    expect(codes(progressed, day(91))).not.toContain('NO_DOING');
  });
  it('DIVERGENT_VIEWS: a spread of 2 or more; DECLINING_SUPPORT: a fall of 1 or more between a party’s last two assessments', () => {
    expect(codes([...toShare, assess('a1', HOME, 4), assess('a2', OCMW, 2)])).toContain('DIVERGENT_VIEWS');
    const declining: Step[] = [...toShare, assess('a1', HOME, 4), [assess('a2', HOME, 4, { RELATION: 3 }), { businessTime: day(1) }]];
    expect(codes(declining)).toContain('DECLINING_SUPPORT');
    expect(supportTrend(foldPartnership(history(declining)), 1).assessors[0].deltas.RELATION).toBe(-1);
  });
  it('SELF_SERVING: the only motive is collaboration for its own sake', () => {
    expect(codes([propose({ motives: ['COLLABORATION_FOR_ITS_OWN_SAKE'] })])).toContain('SELF_SERVING');
    expect(codes([propose({ motives: ['COLLABORATION_FOR_ITS_OWN_SAKE', 'IDEALISM'] })])).not.toContain('SELF_SERVING');
  });
  it('IMBALANCE: a party takes without bringing, or brings over 70% of the money — by design when IDEALISM or IMPOSED', () => {
    const takes = [...toShare, pledge('t1', VDAB, { direction: 'TAKE', description: 'candidates' })];
    expect(imbalance(foldPartnership(history(takes)), 0.7).reasons).toEqual([{ reason: 'TAKES_WITHOUT_BRINGING', organisationId: VDAB }]);
    const money = [
      propose({ origin: { kind: 'IMPOSED', imposedBy: 'first-line zone' } }),
      ...toShare.slice(1),
      pledge('m1', HOME, { kind: 'MONEY', amount: 80 }),
      pledge('m2', OCMW, { kind: 'MONEY', amount: 20 }),
    ];
    const state = foldPartnership(history(money));
    expect(imbalance(state, 0.7)).toEqual({ imbalanced: true, byDesign: true, reasons: [{ reason: 'MONEY_CONCENTRATED', organisationId: HOME }] });
    expect(signals(state, day(1), DEFAULT_THRESHOLDS)).toContainEqual(expect.objectContaining({ code: 'IMBALANCE', byDesign: true }));
    expect(contributionBalance(state).parties.find((p) => p.organisationId === HOME)?.moneyShare).toBe(0.8);
  });
  it('a healthy partnership on its way shows no signal', () => {
    expect(codes([...toShare, advance('SHARE'), ...interestsCovered])).toEqual([]);
  });
});

describe('rule 7 — ambition strength = promise × commitment × doing', () => {
  it('is 0 without an ambition, and grows with goals, endorsements, progress and deliveries', () => {
    expect(ambitionStrength(foldPartnership(history(toShare)), day(1), 90)).toEqual({ promise: 0, commitment: 0, doing: 0, strength: 0 });
    const done = history([
      ...readyToExecute,
      { type: 'ReportGoalProgress', partnershipId: P, goalId: 'g-placements', actual: 5 },
      { type: 'ReportContributionDelivered', partnershipId: P, pledgeId: 'pl-home' },
    ]);
    const s = ambitionStrength(foldPartnership(done), day(10), 90);
    expect(s).toEqual({ promise: 1, commitment: 1, doing: 2 / 5, strength: 2 / 5 });
    expect(ambitionStrength(foldPartnership(done), day(200), 90).doing).toBe(1 / 5);
  });
  it('a review records, once, when a goal’s latest progress has slid out of the 90-day window', () => {
    const review: PartnershipCommand = { type: 'ReviewPartnership', partnershipId: P };
    const reported: Step[] = [...readyToExecute, [{ type: 'ReportGoalProgress', partnershipId: P, goalId: 'g-placements', actual: 5 }, { businessTime: day(10) }]];
    const given = history(reported);
    // Still within the window (90 days after day 10): nothing to record.
    expect(history([...reported, [review, { businessTime: day(100) }]]).slice(given.length).filter((e) => e.type === 'GoalProgressLapsed')).toEqual([]);
    const lapsed = history([...reported, [review, { businessTime: day(101) }]]).slice(given.length).filter((e) => e.type === 'GoalProgressLapsed');
    expect(lapsed).toEqual([{ type: 'GoalProgressLapsed', data: { goalId: 'g-placements', reportedAt: day(10), at: day(101) } }]);
    // Once: the next review records no lapse again; a new report makes it recent, and it can lapse again later.
    const again = history([...reported, [review, { businessTime: day(101) }], [review, { businessTime: day(150) }]]);
    expect(again.filter((e) => e.type === 'GoalProgressLapsed')).toHaveLength(1);
    const renewed = history([...reported, [review, { businessTime: day(101) }], [{ type: 'ReportGoalProgress', partnershipId: P, goalId: 'g-placements', actual: 7 }, { businessTime: day(120) }], [review, { businessTime: day(211) }]]);
    expect(renewed.filter((e) => e.type === 'GoalProgressLapsed').map((e) => e.data)).toEqual([
      { goalId: 'g-placements', reportedAt: day(10), at: day(101) },
      { goalId: 'g-placements', reportedAt: day(120), at: day(211) },
    ]);
    // Ambition strength at the lapse's own moment no longer counts the goal as doing.
    const state = foldPartnership(history([...reported, [review, { businessTime: day(101) }]]));
    expect(ambitionStrength(state, day(101), 90).doing).toBeLessThan(ambitionStrength(state, day(100), 90).doing);
  });
  it('a statement without goals is half a promise', () => {
    const state = foldPartnership(history([...toShare, { type: 'FormulateAmbition', partnershipId: P, statement: 's', goals: [], noGoAreas: [] }, { type: 'EndorseAmbition', partnershipId: P, organisationId: HOME }]));
    expect(ambitionStrength(state, day(1), 90)).toMatchObject({ promise: 0.5, commitment: 1 / 3 });
  });
});

function admit4(): PartnershipCommand {
  return { type: 'AdmitParty', partnershipId: P, organisationId: 'org-union', delegate: { personId: 'u', name: 'U' } };
}
