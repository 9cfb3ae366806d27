import fc from 'fast-check';
import { DomainError, type DomainCommand, type PartnershipCommand } from '@ppl/domain';
import type { Document } from '@ppl/read-model';
import { project, type Projected } from '../testing/project';
import { admit, day, defineStrategy, HOME, OCMW, propose, registerOrganisations, scores, VDAB } from '../testing/scenario';
import { LedgerHistory } from '../testing/ledger-history';
import { DECISIONS, ESCALATIONS, PORTFOLIO, PORTFOLIO_META, PORTFOLIO_STATE, portfolioProjection } from './portfolio.projection';

const PARTNERSHIPS = ['p1', 'p2', 'p3'];
const ORGS = [HOME, OCMW, VDAB];
const pid = fc.constantFrom(...PARTNERSHIPS);
const org = fc.constantFrom(...ORGS);
const key = fc.constantFrom('a', 'b', 'c');
const body = fc.constantFrom('BOARD' as const, 'STAFF' as const, 'EXECUTIVE' as const);
const trigger = fc.constantFrom('PARTY_ADMITTED' as const, 'PHASE_ENTERED' as const, 'LEGAL_FORM_CHANGED' as const);

/** Commands over three partnerships and the strategy; those the domain refuses record nothing. */
const command: fc.Arbitrary<DomainCommand> = fc.oneof(
  pid.map((p) => propose(p, { name: `Partnership ${p}` })),
  fc.record({ p: pid, o: org }).map(({ p, o }) => admit(p, o, `del-${o}`)),
  fc.record({ p: pid, o: org }).map(({ p, o }): PartnershipCommand => ({ type: 'WithdrawParty', partnershipId: p, organisationId: o, reason: 'r' })),
  fc.record({ p: pid, i: key, o: org }).map(({ p, i, o }): PartnershipCommand => ({ type: 'DeclareInterest', partnershipId: p, interestId: `i-${i}-${o}`, organisationId: o, kind: 'ORGANISATIONAL', description: 'd' })),
  fc.record({ p: pid, i: key, o: org, amount: fc.integer({ min: 0, max: 100 }) }).map(
    ({ p, i, o, amount }): PartnershipCommand => ({ type: 'PledgeContribution', partnershipId: p, pledgeId: `pl-${i}-${o}`, organisationId: o, direction: 'BRING', kind: 'MONEY', description: 'b', amount }),
  ),
  fc.record({ p: pid, i: key, o: org, s: fc.integer({ min: 1, max: 5 }) }).map(({ p, i, o, s }): PartnershipCommand => ({ type: 'RecordAssessment', partnershipId: p, assessmentId: `a-${i}-${s}`, by: o, scores: scores(s) })),
  fc.record({ p: pid, r: key, b: body, t: trigger, o: org }).map(({ p, r, b, t, o }): PartnershipCommand => ({
    type: 'RequestApproval',
    partnershipId: p,
    requestId: `r-${r}`,
    body: b,
    trigger: t,
    subject: 's',
    change: t === 'PHASE_ENTERED' ? { phase: 'SHARE' } : t === 'LEGAL_FORM_CHANGED' ? { legalForm: 'COVENANT' } : { organisationId: o },
  })),
  fc.record({ p: pid, d: key, r: key, b: body, outcome: fc.constantFrom('APPROVED' as const, 'REJECTED' as const, 'CONDITIONAL' as const) }).map(
    ({ p, d, r, b, outcome }): PartnershipCommand => ({
      type: 'RecordDecision',
      partnershipId: p,
      decisionId: `d-${d}`,
      requestId: `r-${r}`,
      body: b,
      outcome,
      rationale: 'r',
      ...(outcome === 'CONDITIONAL' ? { conditions: [{ conditionId: 'c1', description: 'first' }] } : {}),
    }),
  ),
  fc.record({ p: pid, d: key }).map(({ p, d }): PartnershipCommand => ({ type: 'MarkConditionMet', partnershipId: p, decisionId: `d-${d}`, conditionId: 'c1' })),
  fc.record({ p: pid, r: key }).map(({ p, r }): PartnershipCommand => ({ type: 'AcknowledgeEscalation', partnershipId: p, escalationId: `request:r-${r}` })),
  fc.record({ p: pid, to: fc.constantFrom('DESIGN' as const, 'EXECUTE' as const, 'EXPLORE' as const) }).map(({ p, to }): PartnershipCommand => ({ type: 'AdvancePhase', partnershipId: p, toPhase: to, justification: 'j' })),
  pid.map((p): PartnershipCommand => ({ type: 'ReviewPartnership', partnershipId: p })),
  pid.map((p): PartnershipCommand => ({ type: 'EndPartnership', partnershipId: p, reason: 'over' })),
  fc.record({ t: trigger, b: body }).map(({ t, b }): DomainCommand => ({
    type: 'SetEscalationRule',
    strategyId: 'home',
    rule: { ruleId: `rule-${t}`, trigger: t, body: b, level: 'MANDATORY', deadlineDays: 10 },
  })),
);

function history(commands: readonly DomainCommand[]): LedgerHistory {
  const ledger = new LedgerHistory();
  ledger.decide(defineStrategy, { at: day(0) });
  for (const c of registerOrganisations) ledger.decide(c, { at: day(0) });
  commands.forEach((c, i) => {
    try {
      ledger.decide(c, { at: day(1 + i) });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
    }
  });
  return ledger;
}

async function documents(projected: Projected): Promise<Record<string, Document[]>> {
  const all: Record<string, Document[]> = {};
  for (const collection of [PORTFOLIO, PORTFOLIO_STATE, PORTFOLIO_META, ESCALATIONS, DECISIONS]) {
    all[collection] = (await projected.find(collection, { first: 1000 })).items;
  }
  return all;
}

describe('portfolio projection, applied in batches', () => {
  it('leaves exactly the documents that applying event by event leaves, whatever the batch boundaries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 5 }),
        async (commands, groups) => {
          const events = history(commands).events;
          const oneByOne = await project(portfolioProjection, events);
          const batched = await project(portfolioProjection, events, { groups });
          try {
            expect(await documents(batched)).toEqual(await documents(oneByOne));
          } finally {
            await oneByOne.close();
            await batched.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('folded page after page as a rebuild does, committed at any boundaries, leaves exactly the documents of event by event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { minLength: 1, maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 25 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
        async (commands, groups, commitAfter) => {
          const events = history(commands).events;
          const oneByOne = await project(portfolioProjection, events);
          const replayed = await project(portfolioProjection, events, { groups, commitAfter });
          try {
            expect(await documents(replayed)).toEqual(await documents(oneByOne));
          } finally {
            await oneByOne.close();
            await replayed.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
