import type { EscalationComplianceEntry } from '@ppl/audit';
import { ReadSideInputError } from '../read-side/read-side.errors';
import { complianceEntries } from './compliance-entries';

const entry = (position: number, escalationId: string | null, verdict: EscalationComplianceEntry['verdict'], body = 'BOARD'): EscalationComplianceEntry =>
  ({
    partnershipId: 'p1',
    escalationId,
    trigger: 'PHASE_ENTERED',
    body,
    level: 'MANDATORY',
    subject: null,
    raised: escalationId === null ? null : { position },
    request: null,
    triggerEvent: escalationId === null ? { position } : null,
    decision: null,
    acknowledgement: null,
    dueAt: null,
    markedOverdue: null,
    decidedBeforeChange: null,
    openConditions: [],
    verdict,
    reasons: [],
  }) as unknown as EscalationComplianceEntry;

describe('escalationCompliance entries, as a connection', () => {
  const entries = [entry(3, 'e3', 'COMPLIANT'), entry(5, null, 'BREACH', 'BOARD'), entry(5, null, 'BREACH', 'EXECUTIVE'), entry(8, 'e8', 'PENDING'), entry(9, 'e9', 'OVERDUE')];
  const ids = (c: ReturnType<typeof complianceEntries>) => c.nodes.map((e) => `${e.raised?.position ?? e.triggerEvent?.position}:${e.body}`);

  it('pages forward and backward in the order of the record, with exact flags and total', () => {
    const first = complianceEntries(entries, { first: 2 });
    expect(ids(first)).toEqual(['3:BOARD', '5:BOARD']);
    expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.totalCount).toBe(5);
    const second = complianceEntries(entries, { first: 2, after: first.pageInfo.endCursor });
    expect(ids(second)).toEqual(['5:EXECUTIVE', '8:BOARD']);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const back = complianceEntries(entries, { last: 2, before: second.pageInfo.startCursor });
    expect(ids(back)).toEqual(['3:BOARD', '5:BOARD']);
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    expect(ids(complianceEntries(entries, { last: 1 }))).toEqual(['9:BOARD']);
  });

  it('a cursor keeps its place in a later report with entries before and after it', () => {
    const cursor = complianceEntries(entries, { first: 2 }).pageInfo.endCursor;
    const later = [entry(1, 'e1', 'COMPLIANT'), ...entries, entry(12, 'e12', 'PENDING')];
    expect(ids(complianceEntries(later, { first: 10, after: cursor }))).toEqual(['5:EXECUTIVE', '8:BOARD', '9:BOARD', '12:BOARD']);
  });

  it('filters by verdict (totalCount counts the filtered list); refuses a foreign cursor', () => {
    const breaches = complianceEntries(entries, { verdict: ['BREACH', 'OVERDUE'] });
    expect(ids(breaches)).toEqual(['5:BOARD', '5:EXECUTIVE', '9:BOARD']);
    expect(breaches.totalCount).toBe(3);
    expect(() => complianceEntries(entries, { after: 'bm90LWEtY3Vyc29y' })).toThrow(ReadSideInputError);
  });
});
