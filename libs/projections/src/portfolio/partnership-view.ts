/**
 * The board's view of ONE partnership: a pure function of the folded domain state, the
 * strategy (thresholds, theme names) and a moment `now`. The portfolio projection stores its
 * output as the row of the partnership; time travel (`partnership(id, asOf)`) calls it on a
 * state replayed as of a moment, so both answer with the same shape. Output is plain JSON.
 *
 * Time. Everything is computed as of `now`. The portfolio projection passes the business time
 * of the latest event it applied to the partnership (never the wall clock: a rebuild must give
 * the same rows). What keeps changing with the clock afterwards is carried as DEADLINES, so a
 * query can finish the computation at its own `now` with `viewAt(view, now)` (and filter on
 * it through indexed fields) without replaying anything:
 *   - `phaseSince` → `daysInPhase`;
 *   - `signalDueAt` (STAGNATION, NO_DOING, NOT_EVALUATED: when each starts to hold, given no
 *     new event) → `signals`;
 *   - each open escalation's `dueAt` → `overdue`, `overdueCount`.
 * Values with a sliding window (ambition strength's "progress in the last 90 days") stay as of
 * `asOf`; the scheduler's `reviewPartnership` refreshes them (it records GoalProgressLapsed when progress leaves the window).
 */
import {
  addDays,
  addMonths,
  ambitionStrength as ambitionStrengthOf,
  contributionBalance,
  health as healthOf,
  imbalance as imbalanceOf,
  interestCoverage as interestCoverageOf,
  isBefore,
  latest,
  PERSPECTIVES,
  signals as signalsOf,
  supportTrend,
  thresholdsOf,
  toMillis,
  type Body,
  type ContributionKind,
  type DecisionOutcome,
  type EscalationLevel,
  type LegalForm,
  type PartnershipState,
  type Perspective,
  type Phase,
  type StrategyState,
  type Thresholds,
  type Trigger,
} from '@ppl/domain';

/** Signals whose truth changes with the clock alone (no event needed). */
export const TIME_DRIVEN_SIGNALS = ['STAGNATION', 'NO_DOING', 'NOT_EVALUATED'] as const;
export type TimeDrivenSignal = (typeof TIME_DRIVEN_SIGNALS)[number];

export interface SignalView {
  code: string;
  detail: string;
  /** IMBALANCE only: by design (a motive IDEALISM or origin IMPOSED). Null otherwise. */
  byDesign: boolean | null;
}

export interface EscalationSummaryView {
  escalationId: string;
  trigger: Trigger;
  body: Body;
  level: EscalationLevel;
  subject: string;
  raisedAt: string;
  dueAt: string;
  /** Past its deadline as of the view's `asOf` (queries recompute it at their own now). */
  overdue: boolean;
}

export interface KindAmounts {
  count: number;
  amount: number;
  delivered: number;
}

export interface PartnershipView {
  id: string;
  name: string;
  description: string;
  themeId: string;
  /** From the strategy; null when the strategy does not (or no longer) name the theme. */
  themeName: string | null;
  origin: 'CHOSEN' | 'IMPOSED';
  imposedBy: string | null;
  quadrant: { relation: string; resources: string };
  purposeType: string;
  motives: string[];
  owningDepartmentId: string;
  servesClients: string | null;
  phase: Phase;
  /** Business time the current phase was entered. */
  phaseSince: string;
  /** Days in phase as of `asOf`. */
  daysInPhase: number;
  legalForm: LegalForm;
  parties: {
    organisationId: string;
    delegate: { personId: string; name: string };
    ambitionAtTable: string | null;
    active: boolean;
    admittedAt: string;
    withdrawnAt: string | null;
  }[];
  /** Active parties' organisations: the "partner organisation" filter. */
  partyOrganisationIds: string[];
  networkRoles: { role: string; person: { personId: string; name: string }; organisationId: string; at: string }[];
  interestCoverage: {
    parties: { organisationId: string; collective: number; organisational: number; individual: number; covered: boolean }[];
    collective: number;
    holds: boolean;
  };
  ambitionStrength: { promise: number; commitment: number; doing: number; strength: number };
  health: {
    perspective: Perspective;
    health: number | null;
    spread: number | null;
    source: 'JOINT' | 'PARTIES' | 'NONE';
    /** Mean change between assessors' last two assessments (null when nobody assessed twice). */
    trend: number | null;
  }[];
  /** Lowest health over the perspectives (null when nobody assessed): "health below" filter. */
  healthMin: number | null;
  /** Some assessor's score fell by the strategy's drop or more (DECLINING_SUPPORT). */
  declining: boolean;
  contributions: {
    parties: {
      organisationId: string;
      active: boolean;
      bring: Record<ContributionKind, KindAmounts>;
      take: Record<ContributionKind, KindAmounts>;
      moneyShare: number;
    }[];
    moneyBroughtTotal: number;
    moneyTakenTotal: number;
    /** Money brought minus money taken by active parties. */
    balance: number;
    imbalance: {
      imbalanced: boolean;
      byDesign: boolean;
      reasons: { reason: string; organisationId: string }[];
    };
  };
  /** Open escalations, MANDATORY first, then INFORM, then EXPECTED; earliest due first. */
  openEscalations: EscalationSummaryView[];
  openEscalationCount: number;
  openEscalationBodies: Body[];
  /** Earliest deadline among open escalations: overdue ⇔ earliestOpenDueAt < now. */
  earliestOpenDueAt: string | null;
  overdueEscalationCount: number;
  lastDecision: {
    decisionId: string;
    body: Body;
    subject: string | null;
    outcome: DecisionOutcome;
    rationale: string;
    decidedBy: string;
    at: string;
    unmetConditions: number;
  } | null;
  signals: SignalView[];
  signalCodes: string[];
  /** When each time-driven signal starts to hold if nothing happens (null: it cannot). */
  signalDueAt: Record<TimeDrivenSignal, string | null>;
  lastActivityAt: string | null;
  endedAt: string | null;
  revision: number;
  /** Global position of the last event folded (null when unknown to the caller). */
  position: number | null;
  /** The moment the time-dependent values were computed for. */
  asOf: string;
}

export interface PartnershipViewMeta {
  /** Global position of the last event folded. */
  position?: number | null;
  /** Business time of the latest event of the stream; defaults to the latest time the state knows. */
  lastActivityAt?: string | null;
}

const LEVEL_ORDER: Record<EscalationLevel, number> = { MANDATORY: 0, INFORM: 1, EXPECTED: 2 };
const DAY_MS = 86_400_000;

function isStrategy(value: StrategyState | Thresholds | null | undefined): value is StrategyState {
  return typeof value === 'object' && value !== null && 'escalationRules' in value;
}

/** Rounds away float noise (0.1 + 0.2) so stored rows compare equal across rebuilds and adapters. */
const round = (n: number): number => Math.round(n * 1e9) / 1e9;

/**
 * The view of a partnership as of `now`. `strategy` may be the folded strategy (for theme
 * names and thresholds), bare thresholds, or nothing (PRODUCT.md's defaults).
 * Throws when the state holds no partnership.
 */
export function partnershipView(
  state: PartnershipState,
  strategy: StrategyState | Thresholds | null | undefined,
  now: string,
  meta: PartnershipViewMeta = {},
): PartnershipView {
  if (!state.exists || state.profile === null || state.phase === null || state.partnershipId === null) {
    throw new Error('partnershipView: the state holds no partnership');
  }
  const profile = state.profile;
  const thresholds = isStrategy(strategy) ? thresholdsOf(strategy) : { ...thresholdsOf(undefined), ...(strategy ?? {}) };
  const themeName = isStrategy(strategy) ? (strategy.themes.find((t) => t.themeId === profile.themeId)?.name ?? null) : null;

  const coverage = interestCoverageOf(state);
  const h = healthOf(state);
  const trend = supportTrend(state, thresholds.decliningDrop);
  const health = PERSPECTIVES.map((perspective) => {
    const deltas = trend.assessors.map((a) => a.deltas[perspective]);
    return {
      perspective,
      health: h[perspective].health === null ? null : round(h[perspective].health),
      spread: h[perspective].spread,
      source: h[perspective].source,
      trend: deltas.length === 0 ? null : round(deltas.reduce((s, d) => s + d, 0) / deltas.length),
    };
  });
  const known = health.map((x) => x.health).filter((x): x is number => x !== null);
  const balance = contributionBalance(state);
  const imbalance = imbalanceOf(state, thresholds.imbalanceMoneyShare);
  const strength = ambitionStrengthOf(state, now, thresholds.noDoingDays);

  const open = state.escalations
    .filter((e) => e.status === 'OPEN')
    .map((e) => ({
      escalationId: e.escalationId,
      trigger: e.trigger,
      body: e.body,
      level: e.level,
      subject: e.subject,
      raisedAt: e.raisedAt,
      dueAt: e.dueAt,
      overdue: e.overdue || isBefore(e.dueAt, now),
    }))
    .sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || toMillis(a.dueAt) - toMillis(b.dueAt) || a.escalationId.localeCompare(b.escalationId));
  const earliestOpenDueAt = open.reduce<string | null>((min, e) => (min === null || isBefore(e.dueAt, min) ? e.dueAt : min), null);

  const decision = state.decisions.reduce<(typeof state.decisions)[number] | null>(
    (best, d) => (best === null || toMillis(d.at) >= toMillis(best.at) ? d : best),
    null,
  );

  const signals: SignalView[] = signalsOf(state, now, thresholds).map((s) => ({ code: s.code, detail: s.detail, byDesign: s.byDesign ?? null }));

  const phaseSince = state.phaseHistory.at(-1)?.at ?? state.proposedAt ?? now;
  const active = state.phase !== 'ENDED';
  const doingSince = latest(state.lastDoingAt, state.firstExecutedAt);
  const evaluatedSince = latest(state.lastEvaluatedAt, state.firstExecutedAt);
  const signalDueAt: Record<TimeDrivenSignal, string | null> = {
    STAGNATION: active && state.lastProgressAt !== null ? addDays(state.lastProgressAt, thresholds.stagnationDays) : null,
    NO_DOING: state.phase === 'EXECUTE' && doingSince !== null ? addDays(doingSince, thresholds.noDoingDays) : null,
    NOT_EVALUATED: state.phase === 'EXECUTE' && evaluatedSince !== null ? addMonths(evaluatedSince, thresholds.evaluationMonths) : null,
  };

  return {
    id: state.partnershipId,
    name: profile.name,
    description: profile.description,
    themeId: profile.themeId,
    themeName,
    origin: profile.origin.kind,
    imposedBy: profile.origin.kind === 'IMPOSED' ? profile.origin.imposedBy : null,
    quadrant: { relation: profile.quadrant.relation, resources: profile.quadrant.resources },
    purposeType: profile.purposeType,
    motives: [...profile.motives],
    owningDepartmentId: profile.owningDepartmentId,
    servesClients: state.servesClients,
    phase: state.phase,
    phaseSince,
    daysInPhase: Math.max(0, Math.floor((toMillis(now) - toMillis(phaseSince)) / DAY_MS)),
    legalForm: state.legalForm,
    parties: state.parties.map((p) => ({
      organisationId: p.organisationId,
      delegate: { personId: p.delegate.personId, name: p.delegate.name },
      ambitionAtTable: p.ambitionAtTable,
      active: p.active,
      admittedAt: p.admittedAt,
      withdrawnAt: p.withdrawnAt,
    })),
    partyOrganisationIds: state.parties.filter((p) => p.active).map((p) => p.organisationId),
    networkRoles: state.networkRoles.map((r) => ({
      role: r.role,
      person: { personId: r.person.personId, name: r.person.name },
      organisationId: r.organisationId,
      at: r.at,
    })),
    interestCoverage: {
      parties: coverage.parties.map((p) => ({ ...p })),
      collective: coverage.collective,
      holds: coverage.holds,
    },
    ambitionStrength: {
      promise: round(strength.promise),
      commitment: round(strength.commitment),
      doing: round(strength.doing),
      strength: round(strength.strength),
    },
    health,
    healthMin: known.length === 0 ? null : Math.min(...known),
    declining: trend.declining,
    contributions: {
      parties: balance.parties.map((p) => ({ ...p, moneyShare: round(p.moneyShare) })),
      moneyBroughtTotal: round(balance.moneyBroughtTotal),
      moneyTakenTotal: round(balance.moneyTakenTotal),
      balance: round(balance.moneyBroughtTotal - balance.moneyTakenTotal),
      imbalance: { imbalanced: imbalance.imbalanced, byDesign: imbalance.byDesign, reasons: imbalance.reasons.map((r) => ({ ...r })) },
    },
    openEscalations: open,
    openEscalationCount: open.length,
    openEscalationBodies: [...new Set(open.map((e) => e.body))].sort(),
    earliestOpenDueAt,
    overdueEscalationCount: open.filter((e) => e.overdue).length,
    lastDecision:
      decision === null
        ? null
        : {
            decisionId: decision.decisionId,
            body: decision.body,
            subject: decision.subject,
            outcome: decision.outcome,
            rationale: decision.rationale,
            decidedBy: decision.decidedBy,
            at: decision.at,
            unmetConditions: decision.conditions.filter((c) => !c.met).length,
          },
    signals,
    signalCodes: signals.map((s) => s.code),
    signalDueAt,
    lastActivityAt: meta.lastActivityAt ?? latestKnownTime(state),
    endedAt: state.endedAt,
    revision: state.revision,
    position: meta.position ?? null,
    asOf: now,
  };
}

/**
 * Finishes a stored view at a later moment `now` (a query's clock): days in phase, the
 * time-driven signals whose deadline passed, and overdue escalations. Never moves back in time:
 * a `now` before the view's `asOf` returns the view as it is.
 */
export function viewAt(view: PartnershipView, now: string): PartnershipView {
  if (!isBefore(view.asOf, now)) return view;
  const due = TIME_DRIVEN_SIGNALS.filter((code) => {
    const at = view.signalDueAt[code];
    return at !== null && !isBefore(now, at) && !view.signalCodes.includes(code);
  });
  const signals = [
    ...view.signals,
    ...due.map((code) => ({ code, detail: `${code.toLowerCase().replace('_', ' ')} since ${view.signalDueAt[code]}`, byDesign: null })),
  ];
  const openEscalations = view.openEscalations.map((e) => (e.overdue || !isBefore(e.dueAt, now) ? e : { ...e, overdue: true }));
  return {
    ...view,
    daysInPhase: Math.max(0, Math.floor((toMillis(now) - toMillis(view.phaseSince)) / DAY_MS)),
    signals,
    signalCodes: signals.map((s) => s.code),
    openEscalations,
    overdueEscalationCount: openEscalations.filter((e) => e.overdue).length,
  };
}

/** The latest business time the state records (fallback for lastActivityAt). */
function latestKnownTime(state: PartnershipState): string | null {
  const times: (string | null)[] = [
    state.proposedAt,
    state.lastProgressAt,
    state.endedAt,
    ...state.parties.flatMap((p) => [p.admittedAt, p.withdrawnAt]),
    ...state.interests.flatMap((i) => [i.declaredAt, i.revisedAt, i.closedAt]),
    ...state.escalations.flatMap((e) => [e.raisedAt, e.resolvedAt]),
    ...state.assessments.map((a) => a.at),
    ...state.networkRoles.map((r) => r.at),
    ...state.requests.map((r) => r.at),
    ...state.valuesAtRisk.map((v) => v.at),
    state.scope?.changedAt ?? null,
    state.governance?.definedAt ?? null,
    state.ambition?.formulatedAt ?? null,
  ];
  return times.reduce<string | null>((max, t) => latest(max, t), null);
}
