import { propose } from '../../../domain/src/testing/fixtures';
import { LedgerBuilder } from '../testing/ledger-builder';
import { partnershipAsOf } from './partnership-as-of';
import { HOME_STRATEGY_STREAM } from '../recorded';
import { escalationCompliance } from '../compliance/escalation-compliance';

/** Time travel to a moment: the partnership as a board member would have seen it on that day. */
describe('partnership as of a moment', () => {
  const ledger = new LedgerBuilder();
  ledger.defineStrategy({}, '2025-01-01T09:00:00.000Z');
  ledger.partnership(propose(), '2025-01-10T09:00:00.000Z');
  // Recorded after the partnership's last event, dated 1 March: stagnation after 30 days from then on.
  ledger.defineStrategy({ thresholds: { stagnationDays: 30 } }, '2025-03-01T09:00:00.000Z');
  const stream = ledger.events.filter((e) => e.streamId.startsWith('partnership-'));
  const strategy = ledger.events.filter((e) => e.streamId === HOME_STRATEGY_STREAM);
  const proposed = stream[0];

  it('finishes the view at the moment: days in phase, time-driven signals', () => {
    const onTheDay = partnershipAsOf(stream, strategy, { businessAsOf: '2025-01-10T09:00:00.000Z' });
    expect(onTheDay?.view.daysInPhase).toBe(0);
    const later = partnershipAsOf(stream, strategy, { businessAsOf: '2025-06-10T09:00:00.000Z' });
    expect(later?.revision).toBe(onTheDay?.revision);
    expect(later?.view.daysInPhase).toBe(151);
    expect(later?.view.signalCodes).toContain('STAGNATION');
  });

  it('applies the strategy of the moment, also when it changed after the partnership’s last event', () => {
    const before = partnershipAsOf(stream, strategy, { businessAsOf: '2025-02-20T09:00:00.000Z' });
    expect(before?.strategy.thresholds.stagnationDays).toBe(90);
    expect(before?.view.signalCodes).not.toContain('STAGNATION');
    const after = partnershipAsOf(stream, strategy, { businessAsOf: '2025-03-20T09:00:00.000Z' });
    expect(after?.strategy.thresholds.stagnationDays).toBe(30);
    expect(after?.view.signalCodes).toContain('STAGNATION');
    // By recorded time: the threshold counts once the store had recorded it.
    const recorded = strategy[strategy.length - 1];
    expect(partnershipAsOf(stream, strategy, { asOf: recorded.recordedAt })?.strategy.thresholds.stagnationDays).toBe(30);
    expect(partnershipAsOf(stream, strategy, { asOf: new Date(Date.parse(recorded.recordedAt) - 1).toISOString() })?.strategy.thresholds.stagnationDays).toBe(90);
  });

  it('at a revision: the view as the projection stored it after that event, the strategy of its position', () => {
    const atRevision = partnershipAsOf(stream, strategy, { atRevision: proposed.revision });
    expect(atRevision?.view.daysInPhase).toBe(0);
    expect(atRevision?.strategy.thresholds.stagnationDays).toBe(90);
  });
});

describe('an event of a type this version does not know (written by a newer one)', () => {
  it('is passed over by time travel and the compliance report, as the projections pass over it', () => {
    const ledger = new LedgerBuilder();
    ledger.defineStrategy();
    ledger.partnership(propose(), '2025-01-10T09:00:00.000Z');
    const known = ledger.events.filter((e) => e.streamId.startsWith('partnership-'));
    ledger.plant(known[0].streamId, 'PartnershipRenamedInAFutureVersion', { name: 'x', at: '2025-02-01T09:00:00.000Z' });
    ledger.plant(HOME_STRATEGY_STREAM, 'StrategyFeatureOfAFutureVersion', { at: '2025-02-01T09:00:00.000Z' });
    const stream = ledger.events.filter((e) => e.streamId.startsWith('partnership-'));
    const strategy = ledger.events.filter((e) => e.streamId === HOME_STRATEGY_STREAM);
    const withUnknown = partnershipAsOf(stream, strategy, { atRevision: 1 });
    const without = partnershipAsOf(known, strategy.slice(0, 1), { atRevision: 0 });
    expect(withUnknown?.revision).toBe(1);
    expect(withUnknown?.state).toEqual(without?.state);
    expect(withUnknown?.view.name).toBe(without?.view.name);
    expect(() => escalationCompliance(ledger.events, { now: '2025-03-01T00:00:00.000Z' })).not.toThrow();
  });
});
