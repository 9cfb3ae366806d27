import { foldPartnership, type PartnershipEvent } from '@ppl/domain';
import { partnershipView, viewAt, type PartnershipView } from '@ppl/projections';
import { baseHistory, day } from '../../../../libs/projections/src/testing/scenario';
import { CACHEABLE_QUERIES, viewStableUntil } from './response-validity';

const HOUR = 3_600_000;

/** The stored row of p1 as of day 2, with one open escalation due on day 20 at 17:30. */
function storedView(): PartnershipView {
  const ledger = baseHistory();
  const events = ledger.events.filter((e) => e.streamId === 'partnership-p1').map((e) => ({ type: e.type, data: e.data }) as PartnershipEvent);
  const view = partnershipView(foldPartnership(events), undefined, day(2));
  const dueAt = new Date(Date.parse(day(20)) + 8.5 * HOUR).toISOString();
  return {
    ...view,
    openEscalations: [{ escalationId: 'e1', trigger: 'PHASE_ENTERED', body: 'BOARD', level: 'MANDATORY', subject: 's', raisedAt: day(2), dueAt, overdue: false }] as PartnershipView['openEscalations'],
    openEscalationCount: 1,
  };
}

describe('how long a read-side answer holds at constant read model', () => {
  it('the view a query computes at `from` is the one it would compute at any moment before the instant given', () => {
    const view = storedView();
    const start = Date.parse(day(0)) - 5 * HOUR;
    // Every 7 h 13 min over 120 days: across day ticks, the escalation deadline, STAGNATION (day 90).
    for (let from = start; from < start + 120 * 24 * HOUR; from += 7 * HOUR + 13 * 60_000 + 17) {
      const until = viewStableUntil(view, from);
      expect(until).toBeGreaterThan(from);
      // Once in its phase, days in phase tick at least daily.
      if (from >= Date.parse(view.phaseSince)) expect(until).toBeLessThanOrEqual(from + 24 * HOUR);
      const answer = viewAt(view, new Date(from).toISOString());
      for (const t of [from + 1, Math.floor((from + until) / 2), until - 1]) {
        expect(viewAt(view, new Date(t).toISOString())).toEqual(answer);
      }
    }
  });

  it('stops at the escalation deadline and at the first day of a time-driven signal', () => {
    const view = storedView();
    const dueAt = Date.parse(view.openEscalations[0]!.dueAt);
    expect(viewStableUntil(view, dueAt - 1000)).toBe(dueAt);
    const stagnation = Date.parse(view.signalDueAt.STAGNATION ?? '');
    expect(viewAt(view, new Date(stagnation).toISOString()).signalCodes).toContain('STAGNATION');
    expect(viewStableUntil(view, stagnation - 1000)).toBeLessThanOrEqual(stagnation);
  });

  it('leaves uncached what the clock selects over the whole collection, and time travel', () => {
    const from = Date.now();
    expect(CACHEABLE_QUERIES.portfolio!({ filter: { hasOverdueEscalations: true } }, { nodes: [] }, from)).toBe(from);
    expect(CACHEABLE_QUERIES.portfolio!({ filter: { signal: 'STAGNATION' } }, { nodes: [] }, from)).toBe(from);
    expect(CACHEABLE_QUERIES.portfolio!({ filter: { signal: 'IMBALANCE' } }, { nodes: [] }, from)).toBe(Number.POSITIVE_INFINITY);
    expect(CACHEABLE_QUERIES.partnership!({ id: 'p1', asOf: new Date() }, storedView(), from)).toBe(from);
    expect(CACHEABLE_QUERIES.partnership!({ id: 'p1', atRevision: 2 }, storedView(), from)).toBe(from);
    expect(CACHEABLE_QUERIES.partnership!({ id: 'p1', businessAsOf: new Date() }, storedView(), from)).toBe(from);
    expect(CACHEABLE_QUERIES.partnership!({ id: 'p1' }, storedView(), from)).toBeGreaterThan(from);
  });
});
