import { deciderSpecification } from '../testing/decider-specification';
import { fold } from '../shared/decider';
import { strategyDecider } from './strategy.decider';
import { DEFAULT_THRESHOLDS } from './thresholds';
import { HOME_STRATEGY_ID } from './strategy.state';
import type { StrategyCommand } from './strategy.commands';
import type { EscalationRule } from './escalation-rule';

const T = '2025-01-01T00:00:00.000Z';
const spec = deciderSpecification(strategyDecider, { actor: { id: 'secretary' }, businessTime: T });
const define: StrategyCommand = {
  type: 'DefineStrategy',
  strategyId: HOME_STRATEGY_ID,
  themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
  nonNegotiableValues: ['client first'],
  highestLegalFormWithoutBoardDecision: 'COVENANT',
  thresholds: { stagnationDays: 60 },
};
const defined = strategyDecider.decide(define, strategyDecider.initialState, { actor: { id: 'secretary' }, businessTime: T });

describe('partnership strategy — themes, values, boundary, thresholds and escalation policy', () => {
  it('a definition fills in PRODUCT.md’s default thresholds it does not override', () => {
    expect(defined[0].data).toMatchObject({ thresholds: { ...DEFAULT_THRESHOLDS, stagnationDays: 60 } });
  });
  it('there is one strategy, of the home organisation', () => {
    spec.given([]).when({ ...define, strategyId: 'other' }).thenThrows('VALIDATION_FAILED', [{ condition: 'HOME_STRATEGY' }]);
  });
  it('escalation rules are set (replaced by id) and removed', () => {
    const rule = { ruleId: 'r1', trigger: 'PARTY_ADMITTED', body: 'BOARD', level: 'MANDATORY', deadlineDays: 14 } as const;
    spec.given([]).when({ type: 'SetEscalationRule', strategyId: 'home', rule }).thenThrows('NOT_FOUND', [{ condition: 'STRATEGY_DEFINED' }]);
    const set = spec.given(defined).when({ type: 'SetEscalationRule', strategyId: 'home', rule }).events();
    const state = fold(strategyDecider, [...defined, ...set, ...set]);
    expect(state.escalationRules).toEqual([rule]);
    spec.given([...defined, ...set]).when({ type: 'RemoveEscalationRule', strategyId: 'home', ruleId: 'r1' }).events();
    spec.given(defined).when({ type: 'RemoveEscalationRule', strategyId: 'home', ruleId: 'r1' }).thenThrows('NOT_FOUND');
  });
  it('the board and the executive carry the escalation policy; the rules addressed to the BOARD stay the board’s', () => {
    const as = (role: string) => ({ actor: { id: `${role.toLowerCase()}-1`, role } });
    const toBoard = { ruleId: 'r1', trigger: 'PARTY_ADMITTED', body: 'BOARD', level: 'MANDATORY', deadlineDays: 14 } as const;
    const toExecutive = { ...toBoard, ruleId: 'r2', body: 'EXECUTIVE' } as const;
    const set = (rule: EscalationRule): StrategyCommand => ({ type: 'SetEscalationRule', strategyId: 'home', rule });
    const remove = (ruleId: string): StrategyCommand => ({ type: 'RemoveEscalationRule', strategyId: 'home', ruleId });
    const withBoardRule = [...defined, ...spec.given(defined).when(set(toBoard), as('BOARD')).events()];
    expect(spec.given(defined).when(set(toExecutive), as('EXECUTIVE')).events()).toHaveLength(1);
    spec.given(defined).when(set(toBoard), as('EXECUTIVE')).thenThrows('FORBIDDEN', [{ condition: 'BOARD_RULES_BY_THE_BOARD' }]);
    // Nor by the back door: replacing the board's rule with one to itself, or removing it.
    spec.given(withBoardRule).when(set({ ...toExecutive, ruleId: 'r1' }), as('EXECUTIVE')).thenThrows('FORBIDDEN', [{ condition: 'BOARD_RULES_BY_THE_BOARD' }]);
    spec.given(withBoardRule).when(remove('r1'), as('EXECUTIVE')).thenThrows('FORBIDDEN', [{ condition: 'BOARD_RULES_BY_THE_BOARD' }]);
    expect(spec.given(withBoardRule).when(remove('r1'), as('BOARD')).events()).toHaveLength(1);
    expect(spec.given(withBoardRule).when(remove('r1'), as('ADMIN')).events()).toHaveLength(1);
  });
  it('partnership capability (Common Eye): four conditions, each maturity 1–5', () => {
    const conditions = {
      STRATEGY_TRANSLATION: { maturity: 2 },
      CULTURE_LEADERSHIP_STEERING: { maturity: 3 },
      INTERNAL_ORGANISATION: { maturity: 1, notes: 'departments do not know they share partners' },
      SYSTEMS_TOOLS_SKILLS: { maturity: 2 },
    };
    const events = spec.given(defined).when({ type: 'AssessCapability', strategyId: 'home', assessmentId: 'cap-2025', conditions }).events();
    expect(fold(strategyDecider, [...defined, ...events]).capabilityAssessments[0].conditions.INTERNAL_ORGANISATION.maturity).toBe(1);
    spec.given([...defined, ...events]).when({ type: 'AssessCapability', strategyId: 'home', assessmentId: 'cap-2025', conditions }).thenThrows('ALREADY_EXISTS');
  });
});
