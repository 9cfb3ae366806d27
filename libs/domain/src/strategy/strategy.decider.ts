import type { Decider } from '../shared/decider';
import type { DecisionContext } from '../shared/decision-context';
import { refuse } from '../shared/domain-error';
import { assertMayRouteTo, assertMayWrite } from '../shared/authorisation';
import type { StrategyCommand } from './strategy.commands';
import type { StrategyEvent } from './strategy.events';
import { HOME_STRATEGY_ID, initialStrategyState, type StrategyState } from './strategy.state';
import { DEFAULT_THRESHOLDS } from './thresholds';

function decide(command: StrategyCommand, state: StrategyState, context: DecisionContext): StrategyEvent[] {
  assertMayWrite(context);
  const by = context.actor.id;
  const at = context.businessTime;
  if (command.strategyId !== HOME_STRATEGY_ID) {
    refuse('VALIDATION_FAILED', { condition: 'HOME_STRATEGY', detail: `the home organisation has one strategy, '${HOME_STRATEGY_ID}'` });
  }
  switch (command.type) {
    case 'DefineStrategy': {
      // Redefining is allowed: a strategy evolves. Each definition is complete (not a patch).
      const themeIds = command.themes.map((t) => t.themeId);
      if (new Set(themeIds).size !== themeIds.length) refuse('VALIDATION_FAILED', { condition: 'UNIQUE_THEME_IDS' });
      return [
        {
          type: 'StrategyDefined',
          data: {
            strategyId: command.strategyId,
            themes: command.themes,
            nonNegotiableValues: command.nonNegotiableValues,
            highestLegalFormWithoutBoardDecision: command.highestLegalFormWithoutBoardDecision,
            thresholds: { ...DEFAULT_THRESHOLDS, ...stripUndefined(command.thresholds ?? {}) },
            definedBy: by,
            at,
          },
        },
      ];
    }
    case 'SetEscalationRule':
      if (!state.defined) refuse('NOT_FOUND', { condition: 'STRATEGY_DEFINED' });
      assertMayRouteTo(context, [command.rule.body, state.escalationRules.find((r) => r.ruleId === command.rule.ruleId)?.body]);
      return [{ type: 'EscalationRuleSet', data: { strategyId: command.strategyId, rule: command.rule, setBy: by, at } }];
    case 'RemoveEscalationRule':
      if (!state.escalationRules.some((r) => r.ruleId === command.ruleId)) {
        refuse('NOT_FOUND', { condition: 'ESCALATION_RULE_EXISTS', detail: command.ruleId });
      }
      assertMayRouteTo(context, [state.escalationRules.find((r) => r.ruleId === command.ruleId)?.body]);
      return [{ type: 'EscalationRuleRemoved', data: { strategyId: command.strategyId, ruleId: command.ruleId, removedBy: by, at } }];
    case 'AssessCapability':
      if (state.capabilityAssessments.some((a) => a.assessmentId === command.assessmentId)) {
        refuse('ALREADY_EXISTS', { condition: 'ASSESSMENT_ID_UNIQUE', detail: command.assessmentId });
      }
      return [
        {
          type: 'CapabilityAssessed',
          data: {
            strategyId: command.strategyId,
            assessmentId: command.assessmentId,
            conditions: command.conditions,
            ...(command.notes === undefined ? {} : { notes: command.notes }),
            assessedBy: by,
            at,
          },
        },
      ];
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function evolve(state: StrategyState, event: StrategyEvent): StrategyState {
  switch (event.type) {
    case 'StrategyDefined':
      return {
        ...state,
        defined: true,
        strategyId: event.data.strategyId,
        themes: event.data.themes,
        nonNegotiableValues: event.data.nonNegotiableValues,
        highestLegalFormWithoutBoardDecision: event.data.highestLegalFormWithoutBoardDecision,
        thresholds: event.data.thresholds,
        definedAt: event.data.at,
      };
    case 'EscalationRuleSet':
      return {
        ...state,
        escalationRules: [...state.escalationRules.filter((r) => r.ruleId !== event.data.rule.ruleId), event.data.rule],
      };
    case 'EscalationRuleRemoved':
      return { ...state, escalationRules: state.escalationRules.filter((r) => r.ruleId !== event.data.ruleId) };
    case 'CapabilityAssessed':
      return {
        ...state,
        capabilityAssessments: [
          ...state.capabilityAssessments,
          {
            assessmentId: event.data.assessmentId,
            conditions: event.data.conditions,
            ...(event.data.notes === undefined ? {} : { notes: event.data.notes }),
            assessedBy: event.data.assessedBy,
            at: event.data.at,
          },
        ],
      };
  }
}

export const strategyDecider: Decider<StrategyCommand, StrategyEvent, StrategyState, DecisionContext> = {
  initialState: initialStrategyState,
  evolve,
  decide,
};
