import fc from 'fast-check';
import { compareTimes, isBefore, latest, toMillis } from './time';

/** What the comparison meant before it compared canonical strings as strings: their instants. */
const byInstant = (a: string, b: string): number => Math.sign(toMillis(a) - toMillis(b));

const instant = fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });
const canonical = instant.map((d) => d.toISOString());
/** The same instants written with an offset, or without milliseconds. */
const withOffset = fc.tuple(instant, fc.integer({ min: -14 * 60, max: 14 * 60 })).map(([d, minutes]) => {
  const local = new Date(d.getTime() + minutes * 60_000).toISOString().slice(0, 19);
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
});
const anyTime = fc.oneof(canonical, withOffset, canonical.map((s) => `${s.slice(0, 19)}Z`));

describe('comparing business times', () => {
  it('orders canonical UTC strings by the instants they name', () => {
    fc.assert(fc.property(canonical, canonical, (a, b) => compareTimes(a, b) === byInstant(a, b)), { numRuns: 2000 });
  });

  it('orders mixed forms (offsets, no milliseconds) by their instants', () => {
    fc.assert(fc.property(anyTime, anyTime, (a, b) => compareTimes(a, b) === byInstant(a, b)), { numRuns: 2000 });
  });

  it('keeps the later of two times, the first of two equal instants, and null as never', () => {
    fc.assert(
      fc.property(anyTime, anyTime, (a, b) => {
        const expected = byInstant(a, b) >= 0 ? a : b;
        return latest(a, b) === expected && isBefore(a, b) === byInstant(a, b) < 0;
      }),
    );
    expect(latest(null, '2026-01-01T00:00:00.000Z')).toBe('2026-01-01T00:00:00.000Z');
    expect(latest('2026-01-01T00:00:00.000Z', null)).toBe('2026-01-01T00:00:00.000Z');
    expect(latest(null, null)).toBeNull();
  });

  it('compares a canonical-looking string that names no calendar day as Date.parse reads it', () => {
    // Date.parse rolls 30 February over to 2 March: compared as strings it would sort before 1 March.
    expect(compareTimes('2026-02-30T00:00:00.000Z', '2026-03-01T00:00:00.000Z')).toBe(1);
    expect(latest('2026-02-30T00:00:00.000Z', '2026-03-01T00:00:00.000Z')).toBe('2026-02-30T00:00:00.000Z');
    // A leap day is a real day.
    expect(compareTimes('2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z')).toBe(-1);
  });

  it('refuses what is not a time', () => {
    expect(() => compareTimes('2026-13-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')).toThrow(RangeError);
    expect(() => latest('yesterday', '2026-01-01T00:00:00.000Z')).toThrow(RangeError);
  });
});
