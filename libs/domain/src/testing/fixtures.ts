/* Test fixtures: a home strategy, a context and a short way to build histories from commands. */
import { fold } from '../shared/decider';
import type { DecisionContext } from '../shared/decision-context';
import { addDays } from '../shared/time';
import { strategyDecider } from '../strategy/strategy.decider';
import type { StrategyCommand } from '../strategy/strategy.commands';
import type { StrategyEvent } from '../strategy/strategy.events';
import type { StrategyState } from '../strategy/strategy.state';
import type { EscalationRule } from '../strategy/escalation-rule';
import { partnershipDecider } from '../partnership/partnership.decider';
import type { PartnershipCommand, PartnershipCommandOf } from '../partnership/partnership.commands';
import type { PartnershipEvent } from '../partnership/partnership.events';
import { deciderSpecification } from './decider-specification';

export const T0 = '2025-01-06T09:00:00.000Z';
export const day = (n: number): string => addDays(T0, n);
export const P = 'p-activation';
export const HOME = 'org-municipality';
export const OCMW = 'org-ocmw';
export const VDAB = 'org-vdab';

export function strategyWith(rules: EscalationRule[] = [], highest: StrategyState['highestLegalFormWithoutBoardDecision'] = 'COVENANT'): StrategyState {
  const context: DecisionContext = { actor: { id: 'board-secretary' }, businessTime: T0 };
  const commands: StrategyCommand[] = [
    {
      type: 'DefineStrategy',
      strategyId: 'home',
      themes: [{ themeId: 'work', name: 'Work and activation', criteria: ['knows the local labour market'] }],
      nonNegotiableValues: ['client first', 'public accountability'],
      highestLegalFormWithoutBoardDecision: highest,
    },
    ...rules.map((rule): StrategyCommand => ({ type: 'SetEscalationRule', strategyId: 'home', rule })),
  ];
  const events: StrategyEvent[] = [];
  for (const c of commands) events.push(...strategyDecider.decide(c, fold(strategyDecider, events), context));
  return fold(strategyDecider, events);
}

export const context = (overrides: Partial<DecisionContext> = {}): DecisionContext => ({
  actor: { id: 'manager-1' },
  businessTime: T0,
  strategy: strategyWith(),
  ...overrides,
});

export const spec = (ctx: DecisionContext = context()) => deciderSpecification(partnershipDecider, ctx);

export type Step = PartnershipCommand | [PartnershipCommand, Partial<DecisionContext>];

/** Decides commands one after another, as the command handler would, and returns the events. */
export function history(steps: Step[], base: DecisionContext = context()): PartnershipEvent[] {
  const events: PartnershipEvent[] = [];
  for (const step of steps) {
    const [command, overrides] = Array.isArray(step) ? step : [step, {}];
    events.push(...partnershipDecider.decide(command, fold(partnershipDecider, events), { ...base, ...overrides }));
  }
  return events;
}

export const propose = (overrides: Partial<PartnershipCommandOf<'ProposePartnership'>> = {}): PartnershipCommandOf<'ProposePartnership'> => ({
  type: 'ProposePartnership',
  partnershipId: P,
  name: 'Local activation network',
  themeId: 'work',
  owningDepartmentId: 'dept-social',
  description: 'Municipality, OCMW and VDAB guide people far from the labour market into work together.',
  purposeType: 'CHAIN',
  origin: { kind: 'CHOSEN' },
  motives: ['COMPLEX_PROBLEM', 'SINGLE_POINT_OF_CONTACT'],
  quadrant: { relation: 'COOPERATIVE', resources: 'COMPLEMENTARY' },
  valueForHome: 'fewer people dependent on income support',
  valueForPartnership: 'one route to work instead of three',
  servesClients: 'one contact point and one plan per job seeker',
  leadParty: { organisationId: HOME, delegate: { personId: 'anna', name: 'Anna (municipality)' } },
  ...overrides,
});

export const admit = (organisationId: string, personId: string, approvals?: string[]): PartnershipCommandOf<'AdmitParty'> => ({
  type: 'AdmitParty',
  partnershipId: P,
  organisationId,
  delegate: { personId, name: personId },
  ...(approvals ? { approvals } : {}),
});

export const declare = (interestId: string, organisationId: string, kind: 'COLLECTIVE' | 'ORGANISATIONAL' | 'INDIVIDUAL'): PartnershipCommandOf<'DeclareInterest'> => ({
  type: 'DeclareInterest',
  partnershipId: P,
  interestId,
  organisationId,
  kind,
  description: `${kind.toLowerCase()} interest of ${organisationId}`,
});

export const advance = (toPhase: PartnershipCommandOf<'AdvancePhase'>['toPhase'], extra: Partial<PartnershipCommandOf<'AdvancePhase'>> = {}): PartnershipCommandOf<'AdvancePhase'> => ({
  type: 'AdvancePhase',
  partnershipId: P,
  toPhase,
  ...extra,
});

export const pledge = (pledgeId: string, organisationId: string, extra: Partial<PartnershipCommandOf<'PledgeContribution'>> = {}): PartnershipCommandOf<'PledgeContribution'> => ({
  type: 'PledgeContribution',
  partnershipId: P,
  pledgeId,
  organisationId,
  direction: 'BRING',
  kind: 'TIME',
  description: 'a job coach one day a week',
  amount: 8,
  ...extra,
});

const scores = (s: number) => ({ AMBITION: { score: s }, INTERESTS: { score: s }, RELATION: { score: s }, ORGANISATION: { score: s }, PROCESS: { score: s } });
export const assess = (assessmentId: string, by: string, score: number, overrides: Partial<Record<'AMBITION' | 'INTERESTS' | 'RELATION' | 'ORGANISATION' | 'PROCESS', number>> = {}): PartnershipCommandOf<'RecordAssessment'> => {
  const s = scores(score);
  for (const [k, v] of Object.entries(overrides)) s[k as keyof typeof s] = { score: v };
  return { type: 'RecordAssessment', partnershipId: P, assessmentId, by, scores: s };
};

/** Steps that satisfy each gate in turn, from a proposal to a partnership ready to EXECUTE. */
export const toShare: PartnershipCommand[] = [propose(), admit(OCMW, 'olivia'), admit(VDAB, 'victor')];
export const interestsCovered: PartnershipCommand[] = [
  declare('i-home-org', HOME, 'ORGANISATIONAL'),
  declare('i-home-ind', HOME, 'INDIVIDUAL'),
  declare('i-ocmw-org', OCMW, 'ORGANISATIONAL'),
  declare('i-ocmw-ind', OCMW, 'INDIVIDUAL'),
  declare('i-vdab-org', VDAB, 'ORGANISATIONAL'),
  declare('i-vdab-ind', VDAB, 'INDIVIDUAL'),
  declare('i-collective', HOME, 'COLLECTIVE'),
];
export const agreed: PartnershipCommand[] = [
  {
    type: 'FormulateAmbition',
    partnershipId: P,
    statement: 'Every job seeker far from work has one plan and one coach.',
    goals: [
      { goalId: 'g-placements', kind: 'QUANTITATIVE', description: 'people placed in work', indicator: 'placements per year', target: 40 },
      { goalId: 'g-experience', kind: 'QUALITATIVE', description: 'clients feel helped', question: 'Do clients experience one route?' },
    ],
    noGoAreas: ['no merger of services'],
  },
  { type: 'EndorseAmbition', partnershipId: P, organisationId: HOME },
  { type: 'EndorseAmbition', partnershipId: P, organisationId: OCMW },
  { type: 'EndorseAmbition', partnershipId: P, organisationId: VDAB },
  pledge('pl-home', HOME),
  pledge('pl-ocmw', OCMW, { kind: 'MONEY', amount: 20000, description: 'activation budget' }),
  pledge('pl-vdab', VDAB, { kind: 'KNOWLEDGE', amount: undefined, description: 'labour market data' }),
  { type: 'ChangeScope', partnershipId: P, included: ['guidance to work'], excluded: ['income support decisions'], horizon: '2027-12-31' },
];
export const designed: PartnershipCommand[] = [
  { type: 'AssignNetworkRole', partnershipId: P, role: 'OPERATOR', person: { personId: 'olivia', name: 'Olivia' }, organisationId: OCMW },
  {
    type: 'DefineGovernance',
    partnershipId: P,
    decisionRights: 'steering group of the three delegates decides by consensus',
    taskAllocation: 'OCMW coordinates, VDAB matches, municipality hosts',
    legalForm: 'COVENANT',
    exitArrangements: { howToLeave: 'written notice', noticePeriod: 'six months', sharedAssets: 'returned', data: 'each keeps its own', staff: 'stay with employer' },
  },
];
export const readyToExecute: PartnershipCommand[] = [...toShare, advance('SHARE'), ...interestsCovered, advance('AGREE'), ...agreed, advance('DESIGN'), ...designed];
