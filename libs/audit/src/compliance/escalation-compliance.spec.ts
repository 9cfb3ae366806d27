import type { PartnershipCommand } from '@ppl/domain';
import { P, advance, readyToExecute } from '../../../domain/src/testing/fixtures';
import { LedgerBuilder } from '../testing/ledger-builder';
import { escalationCompliance } from './escalation-compliance';

const NOW = '2025-03-01T00:00:00.000Z';

/** A strategy whose EXECUTE needs the BOARD (MANDATORY) and whose scope changes are EXPECTED for the EXECUTIVE. */
function ledgerReadyToExecute(): LedgerBuilder {
  const ledger = new LedgerBuilder();
  ledger.strategy({
    type: 'DefineStrategy',
    themes: [{ themeId: 'work', name: 'Work', criteria: [] }],
    nonNegotiableValues: ['client first'],
    highestLegalFormWithoutBoardDecision: 'COVENANT',
  } as never);
  ledger.strategy({
    type: 'SetEscalationRule',
    rule: {
      ruleId: 'execute-board',
      trigger: 'PHASE_ENTERED',
      params: { phase: 'EXECUTE' },
      body: 'BOARD',
      level: 'MANDATORY',
      deadlineDays: 14,
    },
  } as never);
  ledger.strategy({
    type: 'SetEscalationRule',
    rule: {
      ruleId: 'scope-exec',
      trigger: 'SCOPE_CHANGED',
      body: 'EXECUTIVE',
      level: 'EXPECTED',
      deadlineDays: 7,
    },
  } as never);
  for (const command of readyToExecute) ledger.partnership(command);
  return ledger;
}

const requestExecute: PartnershipCommand = {
  type: 'RequestApproval',
  partnershipId: P,
  requestId: 'req-exec',
  body: 'BOARD',
  trigger: 'PHASE_ENTERED',
  subject: 'start executing',
  change: { phase: 'EXECUTE' },
};
const decide = (
  outcome: 'APPROVED' | 'CONDITIONAL' | 'REJECTED',
  body: 'BOARD' | 'EXECUTIVE' = 'BOARD',
): PartnershipCommand => ({
  type: 'RecordDecision',
  partnershipId: P,
  decisionId: 'dec-exec',
  requestId: 'req-exec',
  body,
  outcome,
  rationale: 'considered',
  ...(outcome === 'CONDITIONAL'
    ? { conditions: [{ conditionId: 'c-dsa', description: 'data-sharing agreement signed' }] }
    : {}),
});

describe('escalation compliance', () => {
  it('request → CONDITIONAL decision → change citing it: CONDITIONS_OPEN with positions, COMPLIANT once the condition is met', () => {
    const ledger = ledgerReadyToExecute();
    ledger.partnership(requestExecute);
    const [decision] = ledger.partnership(decide('CONDITIONAL'));
    const [change] = ledger.partnership(advance('EXECUTE', { approvals: ['dec-exec'] }));
    let report = escalationCompliance(ledger.events, { now: NOW, partnershipId: P });
    const entry = report.entries.find((e) => e.escalationId === 'request:req-exec');
    expect(entry).toMatchObject({
      level: 'MANDATORY',
      body: 'BOARD',
      trigger: 'PHASE_ENTERED',
      verdict: 'CONDITIONS_OPEN',
      decidedBeforeChange: true,
      decision: { decisionId: 'dec-exec', outcome: 'CONDITIONAL', position: decision?.position },
      triggerEvent: {
        type: 'PhaseAdvanced',
        position: change?.position,
        authorisedBy: ['dec-exec'],
      },
      openConditions: [{ conditionId: 'c-dsa', met: false }],
    });
    expect(report.compliant).toBe(true);

    const [met] = ledger.partnership({
      type: 'MarkConditionMet',
      partnershipId: P,
      decisionId: 'dec-exec',
      conditionId: 'c-dsa',
    });
    report = escalationCompliance(ledger.events, { now: NOW, partnershipId: P });
    expect(report.entries.find((e) => e.escalationId === 'request:req-exec')).toMatchObject({
      verdict: 'COMPLIANT',
      openConditions: [],
      decision: {
        conditions: [{ conditionId: 'c-dsa', met: true, metAt: { position: met?.position } }],
      },
    });
  });

  it('a planted EXECUTE citing nothing is a BREACH of the MANDATORY rule', () => {
    const ledger = ledgerReadyToExecute();
    const planted = ledger.plant(`partnership-${P}`, 'PhaseAdvanced', {
      from: 'DESIGN',
      to: 'EXECUTE',
      authorisedBy: [],
      at: '2025-02-01T09:00:00.000Z',
    });
    const report = escalationCompliance(ledger.events, { now: NOW });
    expect(report.compliant).toBe(false);
    expect(report.entries.filter((e) => e.verdict === 'BREACH')).toEqual([
      expect.objectContaining({
        escalationId: null,
        body: 'BOARD',
        level: 'MANDATORY',
        trigger: 'PHASE_ENTERED',
        triggerEvent: expect.objectContaining({ position: planted.position }),
        reasons: expect.arrayContaining(['it cites no decision']),
      }),
    ]);
  });

  it('a planted EXECUTE citing a decision recorded later is a BREACH, however early that decision’s business time', () => {
    const ledger = ledgerReadyToExecute();
    ledger.partnership(requestExecute);
    const planted = ledger.plant(`partnership-${P}`, 'PhaseAdvanced', {
      from: 'DESIGN',
      to: 'EXECUTE',
      authorisedBy: ['dec-exec'],
      at: '2025-02-01T09:00:00.000Z',
    });
    // The decision claims a business time before the change; its position says otherwise.
    const [decision] = ledger.partnership(decide('APPROVED'), '2025-01-01T09:00:00.000Z');
    const report = escalationCompliance(ledger.events, { now: NOW });
    const entry = report.entries.find((e) => e.escalationId === 'request:req-exec');
    expect(entry).toMatchObject({
      verdict: 'BREACH',
      decidedBeforeChange: false,
      triggerEvent: { position: planted.position },
      decision: { position: decision?.position },
    });
    expect(entry?.reasons.join(' ')).toContain(
      `recorded at position ${decision?.position}, after the change at position ${planted.position}`,
    );
  });

  it('a change citing a missing, REJECTED, or other body’s decision is a BREACH', () => {
    for (const [setup, cited, expected] of [
      [[], ['dec-ghost'], 'dec-ghost: no such decision'],
      [[requestExecute, decide('REJECTED')], ['dec-exec'], 'dec-exec: outcome REJECTED'],
      [
        [
          { ...requestExecute, body: 'EXECUTIVE' } as PartnershipCommand,
          decide('APPROVED', 'EXECUTIVE'),
        ],
        ['dec-exec'],
        'dec-exec: not a BOARD decision',
      ],
      [
        // Rule 3: the decision authorises the one change it was requested for, not another phase.
        [{ ...requestExecute, change: { phase: 'DESIGN' } } as PartnershipCommand, decide('APPROVED')],
        ['dec-exec'],
        'dec-exec: authorises another change (requested for phase DESIGN)',
      ],
    ] as const) {
      const ledger = ledgerReadyToExecute();
      for (const command of setup) ledger.partnership(command);
      ledger.plant(`partnership-${P}`, 'PhaseAdvanced', {
        from: 'DESIGN',
        to: 'EXECUTE',
        authorisedBy: cited,
        at: '2025-02-01T09:00:00.000Z',
      });
      const report = escalationCompliance(ledger.events, { now: NOW });
      const breaches = report.entries.filter((e) => e.verdict === 'BREACH');
      expect(breaches).toHaveLength(1);
      expect(breaches[0]?.reasons.join(' ')).toContain(expected);
    }
  });

  it('a decision authorises one change: a second change citing it is a BREACH', () => {
    const ledger = ledgerReadyToExecute();
    ledger.partnership(requestExecute);
    ledger.partnership(decide('APPROVED'));
    ledger.partnership(advance('EXECUTE', { approvals: ['dec-exec'] }));
    ledger.partnership({
      type: 'RevertPhase',
      partnershipId: P,
      toPhase: 'DESIGN',
      reason: 'redo',
    });
    ledger.plant(`partnership-${P}`, 'PhaseAdvanced', {
      from: 'DESIGN',
      to: 'EXECUTE',
      authorisedBy: ['dec-exec'],
      at: '2025-02-01T09:00:00.000Z',
    });
    const report = escalationCompliance(ledger.events, { now: NOW });
    expect(report.entries.find((e) => e.escalationId === 'request:req-exec')?.verdict).toBe(
      'COMPLIANT',
    );
    const breach = report.entries.find((e) => e.verdict === 'BREACH');
    expect(breach?.reasons.join(' ')).toContain('dec-exec: already authorised PhaseAdvanced');
  });

  it('EXPECTED escalations: PENDING, then OVERDUE past the deadline, COMPLIANT when acknowledged', () => {
    const ledger = ledgerReadyToExecute();
    const events = ledger.partnership(
      { type: 'ChangeScope', partnershipId: P, included: ['more'], excluded: ['less'] },
      '2025-01-10T09:00:00.000Z',
    );
    const raised = events.find((e) => e.type === 'EscalationRaised');
    const escalationId = (raised?.data as { escalationId: string }).escalationId;
    const entry = () =>
      escalationCompliance(ledger.events, { now: '2025-01-12T00:00:00.000Z' }).entries.find(
        (e) => e.escalationId === escalationId,
      );
    expect(entry()).toMatchObject({
      level: 'EXPECTED',
      body: 'EXECUTIVE',
      verdict: 'PENDING',
      triggerEvent: { type: 'ScopeChanged', position: events[0]?.position },
    });
    expect(
      escalationCompliance(ledger.events, { now: '2025-02-01T00:00:00.000Z' }).entries.find(
        (e) => e.escalationId === escalationId,
      )?.verdict,
    ).toBe('OVERDUE');
    ledger.partnership(
      { type: 'AcknowledgeEscalation', partnershipId: P, escalationId },
      '2025-01-11T09:00:00.000Z',
    );
    expect(entry()?.verdict).toBe('COMPLIANT');
  });

  it('an open MANDATORY request is PENDING; a review marking it overdue makes it OVERDUE', () => {
    const ledger = ledgerReadyToExecute();
    ledger.partnership(requestExecute, '2025-01-06T09:00:00.000Z');
    expect(
      escalationCompliance(ledger.events, { now: '2025-01-07T00:00:00.000Z' }).entries.find(
        (e) => e.escalationId === 'request:req-exec',
      )?.verdict,
    ).toBe('PENDING');
    ledger.partnership({ type: 'ReviewPartnership', partnershipId: P }, '2025-03-01T09:00:00.000Z');
    const entry = escalationCompliance(ledger.events, {
      now: '2025-01-07T00:00:00.000Z',
    }).entries.find((e) => e.escalationId === 'request:req-exec');
    expect(entry?.verdict).toBe('OVERDUE');
    expect(entry?.markedOverdue).not.toBeNull();
  });
});
