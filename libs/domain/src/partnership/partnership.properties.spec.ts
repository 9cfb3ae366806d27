import fc from 'fast-check';
import { DomainError } from '../shared/domain-error';
import { addDays } from '../shared/time';
import { eventSchemas } from '../events/event-schemas';
import { ambitionStrength } from '../metrics/ambition-strength';
import { health } from '../metrics/health';
import { contributionBalance } from '../metrics/contribution-balance';
import { DEFAULT_THRESHOLDS } from '../strategy/thresholds';
import type { EscalationRule } from '../strategy/escalation-rule';
import type { PartnershipCommand } from './partnership.commands';
import type { PartnershipEvent } from './partnership.events';
import { foldPartnership, partnershipDecider } from './partnership.decider';
import { WORKING_PHASES, phaseIndex, type Phase } from './vocabulary';
import { HOME, OCMW, P, T0, VDAB, assess, context, declare, pledge, propose, strategyWith } from '../testing/fixtures';

const ORGS = [HOME, OCMW, VDAB, 'org-union'];
const org = fc.constantFrom(...ORGS);
const id = fc.constantFrom('a', 'b', 'c', 'd');
const phase = fc.constantFrom(...WORKING_PHASES);
const decisionIds = fc.array(fc.constantFrom('d-a', 'd-b', 'd-c'), { maxLength: 2 });
const body = fc.constantFrom('BOARD' as const, 'STAFF' as const, 'EXECUTIVE' as const);
const trigger = fc.constantFrom('PARTY_ADMITTED' as const, 'PHASE_ENTERED' as const, 'LEGAL_FORM_CHANGED' as const, 'PARTY_WITHDRAWN' as const);

const command: fc.Arbitrary<PartnershipCommand> = fc.oneof(
  fc.record({ o: org, approvals: decisionIds }).map(({ o, approvals }) => ({ type: 'AdmitParty', partnershipId: P, organisationId: o, delegate: { personId: `del-${o}`, name: o }, approvals }) as PartnershipCommand),
  fc.record({ o: org, approvals: decisionIds }).map(({ o, approvals }) => ({ type: 'WithdrawParty', partnershipId: P, organisationId: o, reason: 'r', approvals }) as PartnershipCommand),
  fc.record({ i: id, o: org, k: fc.constantFrom('COLLECTIVE' as const, 'ORGANISATIONAL' as const, 'INDIVIDUAL' as const) }).map(({ i, o, k }) => declare(`${i}-${o}-${k}`, o, k)),
  fc.record({ to: phase, approvals: decisionIds, justify: fc.boolean() }).map(({ to, approvals, justify }) => ({ type: 'AdvancePhase', partnershipId: P, toPhase: to, approvals, ...(justify ? { justification: 'j' } : {}) }) as PartnershipCommand),
  phase.map((to) => ({ type: 'RevertPhase', partnershipId: P, toPhase: to, reason: 'rework' }) as PartnershipCommand),
  // The change a request names fits its trigger (or, now and then, does not: refused).
  fc.record({ r: id, b: body, t: trigger, o: org, to: phase, form: fc.constantFrom('COVENANT' as const, 'JOINT_VENTURE' as const, 'MERGER' as const), fits: fc.boolean() }).map(
    ({ r, b, t, o, to, form, fits }) => {
      const change = t === 'PHASE_ENTERED' ? { phase: to } : t === 'LEGAL_FORM_CHANGED' ? { legalForm: form } : { organisationId: o };
      return { type: 'RequestApproval', partnershipId: P, requestId: `req-${r}`, body: b, trigger: t, subject: 's', ...(fits ? { change } : {}) } as PartnershipCommand;
    },
  ),
  fc.record({ d: fc.constantFrom('d-a', 'd-b', 'd-c'), r: id, b: body, outcome: fc.constantFrom('APPROVED' as const, 'REJECTED' as const, 'NOTED' as const) }).map(
    ({ d, r, b, outcome }) => ({ type: 'RecordDecision', partnershipId: P, decisionId: d, requestId: `req-${r}`, body: b, outcome, rationale: 'r' }) as PartnershipCommand,
  ),
  fc.record({ form: fc.constantFrom('NONE' as const, 'COVENANT' as const, 'JOINT_VENTURE' as const, 'MERGER' as const), approvals: decisionIds }).map(
    ({ form, approvals }) => ({ type: 'DefineGovernance', partnershipId: P, legalForm: form, decisionRights: 'd', taskAllocation: 't', approvals }) as PartnershipCommand,
  ),
  fc.record({ i: id, o: org, m: fc.boolean(), amount: fc.integer({ min: 0, max: 100 }) }).map(({ i, o, m, amount }) => pledge(`pl-${i}-${o}`, o, m ? { kind: 'MONEY', amount } : {})),
  fc.record({ i: id, o: fc.constantFrom(...ORGS, 'JOINT'), s: fc.integer({ min: 1, max: 5 }) }).map(({ i, o, s }) => assess(`as-${i}-${o}-${s}`, o, s)),
  fc.constant<PartnershipCommand>({ type: 'ReviewPartnership', partnershipId: P }),
  fc.constant<PartnershipCommand>({ type: 'EndPartnership', partnershipId: P, reason: 'over' }),
);

const rules: EscalationRule[] = [
  { ruleId: 'm-admit', trigger: 'PARTY_ADMITTED', body: 'BOARD', level: 'MANDATORY', deadlineDays: 10 },
  { ruleId: 'i-withdraw', trigger: 'PARTY_WITHDRAWN', body: 'STAFF', level: 'INFORM', deadlineDays: 10 },
  { ruleId: 'm-execute', trigger: 'PHASE_ENTERED', params: { phase: 'EXECUTE' }, body: 'BOARD', level: 'MANDATORY', deadlineDays: 10 },
];
const ctx = context({ strategy: strategyWith(rules, 'COVENANT') });

interface Run {
  events: PartnershipEvent[];
  phases: (Phase | null)[];
}

/** Sends every command in turn; refused ones (DomainError) record nothing, as in the real handler. */
function run(commands: PartnershipCommand[]): Run {
  const events: PartnershipEvent[] = [];
  const phases: (Phase | null)[] = [];
  let state = foldPartnership(partnershipDecider.decide(propose(), partnershipDecider.initialState, ctx));
  events.push(...partnershipDecider.decide(propose(), partnershipDecider.initialState, ctx));
  commands.forEach((c, i) => {
    try {
      const decided = partnershipDecider.decide(c, state, { ...ctx, businessTime: addDays(T0, i * 7) });
      events.push(...decided);
      state = decided.reduce(partnershipDecider.evolve, state);
      phases.push(state.phase);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  });
  return { events, phases };
}

const sequences = fc.array(command, { minLength: 1, maxLength: 40 });
/** 200 random sequences per property; PROPERTY_RUNS soaks, PROPERTY_SEED replays a failure's seed. */
const runs = {
  numRuns: Number(process.env.PROPERTY_RUNS ?? 200),
  ...(process.env.PROPERTY_SEED ? { seed: Number(process.env.PROPERTY_SEED) } : {}),
};

describe('properties of the partnership decider', () => {
  it('the phase only moves along allowed transitions: one step forward through a met gate, a recorded skip, back, or to ENDED', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const { events } = run(commands);
        let current: Phase = 'EXPLORE';
        for (const e of events) {
          if (e.type === 'PhaseAdvanced') expect(phaseIndex(e.data.to) - phaseIndex(e.data.from)).toBe(1);
          if (e.type === 'PhasesSkipped') expect(phaseIndex(e.data.to) - phaseIndex(e.data.from)).toBeGreaterThan(1);
          if (e.type === 'PhaseReverted') expect(phaseIndex(e.data.to)).toBeLessThan(phaseIndex(e.data.from));
          if (e.type === 'PhaseAdvanced' || e.type === 'PhasesSkipped' || e.type === 'PhaseReverted') {
            expect(e.data.from).toBe(current);
            current = e.data.to;
          }
          if (e.type === 'PartnershipEnded') current = 'ENDED';
        }
        // Rule 5: after the ending only the escalations still open are closed (acknowledged, or
        // answered by a decision on their request); nothing else is recorded.
        const ended = events.findIndex((e) => e.type === 'PartnershipEnded');
        if (ended >= 0) {
          let state = foldPartnership(events.slice(0, ended + 1));
          for (const e of events.slice(ended + 1)) {
            const open = state.escalations.filter((x) => x.status === 'OPEN');
            if (e.type === 'DecisionRecorded') expect(open.map((x) => x.requestId)).toContain(e.data.requestId);
            else if (e.type === 'EscalationAcknowledged') expect(open.map((x) => x.escalationId)).toContain(e.data.escalationId);
            else expect(e.type).toBe('EscalationRaised');
            state = partnershipDecider.evolve(state, e);
          }
        }
      }),
      runs,
    );
  });

  it('replaying the recorded events reproduces the same state, and every event matches its schema', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const { events } = run(commands);
        const once = foldPartnership(events);
        const replayed = foldPartnership(JSON.parse(JSON.stringify(events)) as PartnershipEvent[]);
        expect(replayed).toEqual(once);
        expect(JSON.parse(JSON.stringify(once))).toEqual(once); // plain JSON
        for (const e of events) expect(eventSchemas[e.type].data.safeParse(e.data).success).toBe(true);
      }),
      runs,
    );
  });

  it('no MANDATORY escalation is ever bypassed: each guarded change cites a fresh approving decision of the right body and trigger', () => {
    fc.assert(
      fc.property(sequences, (commands) => {
        const { events } = run(commands);
        const used = new Set<string>();
        let state = foldPartnership([]);
        for (const e of events) {
          const needs =
            e.type === 'PartyAdmitted'
              ? { body: 'BOARD', trigger: 'PARTY_ADMITTED' }
              : (e.type === 'PhaseAdvanced' || e.type === 'PhasesSkipped') && e.data.to === 'EXECUTE'
                ? { body: 'BOARD', trigger: 'PHASE_ENTERED' }
                : e.type === 'GovernanceDefined' && ['JOINT_VENTURE', 'MERGER'].includes(e.data.legalForm) && e.data.legalForm !== e.data.previousLegalForm
                  ? { body: 'BOARD', trigger: 'LEGAL_FORM_CHANGED' }
                  : null;
          if (needs) {
            const cited = 'authorisedBy' in e.data ? e.data.authorisedBy : [];
            const ok = cited.some((d) => {
              const decision = state.decisions.find((x) => x.decisionId === d);
              const request = state.requests.find((r) => r.requestId === decision?.requestId);
              return decision && !used.has(d) && decision.body === needs.body && request?.trigger === needs.trigger && ['APPROVED', 'CONDITIONAL'].includes(decision.outcome);
            });
            expect(ok).toBe(true);
            cited.forEach((d) => used.add(d));
          }
          state = partnershipDecider.evolve(state, e);
        }
      }),
      runs,
    );
  });

  it('metrics stay within their ranges', () => {
    fc.assert(
      fc.property(sequences, fc.integer({ min: 0, max: 800 }), (commands, days) => {
        const state = foldPartnership(run(commands).events);
        const now = addDays(T0, days);
        const s = ambitionStrength(state, now, DEFAULT_THRESHOLDS.noDoingDays);
        for (const x of [s.promise, s.commitment, s.doing, s.strength]) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
        }
        for (const h of Object.values(health(state))) {
          if (h.health !== null) expect(h.health >= 1 && h.health <= 5).toBe(true);
          if (h.spread !== null) expect(h.spread >= 0 && h.spread <= 4).toBe(true);
        }
        const shares = contributionBalance(state).parties.map((p) => p.moneyShare);
        for (const share of shares) expect(share >= 0 && share <= 1).toBe(true);
        const total = shares.reduce((a, b) => a + b, 0);
        expect(total === 0 || Math.abs(total - 1) < 1e-9).toBe(true);
      }),
      runs,
    );
  });
});
