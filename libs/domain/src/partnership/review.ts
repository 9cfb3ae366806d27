import type { DecisionContext } from '../shared/decision-context';
import { addDays, addMonths, compareTimes, daysBetween, isBefore, latest } from '../shared/time';
import type { EscalationRule, Trigger } from '../strategy/escalation-rule';
import { health } from '../metrics/health';
import { thresholdsOf } from '../metrics/thresholds';
import type { PartnershipCommandOf } from './partnership.commands';
import type { PartnershipEvent } from './partnership.events';
import type { PartnershipState } from './partnership.state';
import { effectiveRules } from './escalation/effective-rules';
import { PERSPECTIVES } from './vocabulary';

/**
 * Rule 8 — the time-driven triggers, evaluated at the business time a scheduler sends:
 * stagnation, health below threshold, overdue escalations, overdue evaluation. Every id is
 * derived from what made it due (the last progress, the latest assessment, the escalation,
 * the last evaluation), so each due escalation is raised once and re-sending the same review
 * records nothing new. Time-driven escalations never refuse anything: they are EXPECTED.
 *
 * Rule 7's "goals with progress reported in the last 90 days" slides with time too: when a goal's
 * latest progress has become older than the window (`noDoingDays`), the review records it once
 * (GoalProgressLapsed), so what is derived from the record — the portfolio's ambition strength,
 * and its ordering — catches up with the clock without anyone reporting anything.
 */
export function reviewPartnership(_command: PartnershipCommandOf<'ReviewPartnership'>, state: PartnershipState, context: DecisionContext): PartnershipEvent[] {
  const now = context.businessTime;
  const thresholds = thresholdsOf(context.strategy);
  const known = new Set(state.escalations.map((e) => e.escalationId));
  const events: PartnershipEvent[] = [];

  for (const e of state.escalations) {
    if (e.status === 'OPEN' && !e.overdue && isBefore(e.dueAt, now)) events.push({ type: 'EscalationOverdue', data: { escalationId: e.escalationId, dueAt: e.dueAt, at: now } });
  }

  const raise = (rule: EscalationRule, cause: string, subject: string) => {
    const escalationId = `${rule.trigger}:${rule.body}:${cause}`;
    if (known.has(escalationId)) return;
    known.add(escalationId);
    events.push({
      type: 'EscalationRaised',
      data: { escalationId, trigger: rule.trigger, body: rule.body, level: 'EXPECTED', subject, ruleId: rule.ruleId, requestId: null, dueAt: addDays(now, rule.deadlineDays), at: now },
    });
  };
  const rules = (trigger: Trigger) => effectiveRules(context.strategy).filter((r) => r.trigger === trigger);

  for (const rule of rules('STAGNATION')) {
    const days = rule.params?.days ?? thresholds.stagnationDays;
    if (state.lastProgressAt !== null && daysBetween(state.lastProgressAt, now) >= days) {
      raise(rule, state.lastProgressAt, `no progress for ${days} days (since ${state.lastProgressAt})`);
    }
  }

  const latestAssessment = [...state.assessments].sort((a, b) => compareTimes(a.at, b.at)).at(-1);
  if (latestAssessment) {
    const h = health(state);
    for (const rule of rules('HEALTH_BELOW')) {
      const threshold = rule.params?.health ?? thresholds.healthBelow;
      const low = PERSPECTIVES.filter((p) => h[p].health !== null && (h[p].health ?? 0) < threshold);
      if (low.length > 0) raise(rule, latestAssessment.assessmentId, `health below ${threshold}: ${low.join(', ')}`);
    }
  }

  for (const goal of state.ambition?.goals ?? []) {
    const reports = state.goalProgress.filter((g) => g.goalId === goal.goalId);
    const last = reports.reduce<(typeof reports)[number] | undefined>((a, b) => (a === undefined || compareTimes(b.at, a.at) >= 0 ? b : a), undefined);
    if (last && last.lapsedAt === undefined && daysBetween(last.at, now) > thresholds.noDoingDays) {
      events.push({ type: 'GoalProgressLapsed', data: { goalId: goal.goalId, reportedAt: last.at, at: now } });
    }
  }

  if (state.phase === 'EXECUTE') {
    const since = latest(state.lastEvaluatedAt, state.firstExecutedAt);
    if (since !== null && !isBefore(now, addMonths(since, thresholds.evaluationMonths))) {
      for (const rule of rules('EVALUATION_OVERDUE')) raise(rule, since, `no evaluation for ${thresholds.evaluationMonths} months (since ${since})`);
    }
  }
  return events;
}
