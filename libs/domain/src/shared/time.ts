/**
 * Calendar arithmetic on ISO-8601 strings. The domain never reads the wall clock (rule 8):
 * every "now" is an argument.
 */
const DAY_MS = 86_400_000;

export function toMillis(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO-8601 time: ${iso}`);
  return ms;
}

export function addDays(iso: string, days: number): string {
  return new Date(toMillis(iso) + days * DAY_MS).toISOString();
}

export function addMonths(iso: string, months: number): string {
  const date = new Date(toMillis(iso));
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.toISOString();
}

/** Whole and fractional days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return (toMillis(to) - toMillis(from)) / DAY_MS;
}

/**
 * Is this the form `toISOString` gives (`2026-01-31T09:00:00.000Z`: UTC, milliseconds, a
 * four-digit year) naming a real calendar time? Two such strings order as the times they name,
 * so they are compared as strings: nearly every stored time has this form (the gateway and the
 * scheduler write it), and parsing both sides of every comparison was a measurable part of
 * folding a stream. Anything else (an offset, a day past the month's end, which Date.parse
 * rolls over) is parsed.
 */
function isCanonicalUtc(iso: string): boolean {
  if (iso.length !== 24) return false;
  for (let i = 0; i < 24; i++) {
    const c = iso.charCodeAt(i);
    const expected = CANONICAL_SHAPE.charCodeAt(i);
    if (expected === DIGIT ? c < 48 || c > 57 : c !== expected) return false;
  }
  const two = (at: number): number => (iso.charCodeAt(at) - 48) * 10 + iso.charCodeAt(at + 1) - 48;
  const month = two(5);
  const day = two(8);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(two(0) * 100 + two(2), month) && two(11) <= 23 && two(14) <= 59 && two(17) <= 59;
}

const CANONICAL_SHAPE = 'dddd-dd-ddTdd:dd:dd.dddZ';
const DIGIT = 100; // 'd'

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * −1, 0 or 1 as `a` is earlier than, the same time as, or later than `b`. Throws RangeError
 * when either is not an ISO-8601 time (see toMillis).
 */
export function compareTimes(a: string, b: string): -1 | 0 | 1 {
  if (isCanonicalUtc(a) && isCanonicalUtc(b)) return a < b ? -1 : a > b ? 1 : 0;
  const diff = toMillis(a) - toMillis(b);
  return diff < 0 ? -1 : diff > 0 ? 1 : 0;
}

export function isBefore(a: string, b: string): boolean {
  return compareTimes(a, b) < 0;
}

/** The later of two times; null stands for "never". Of two strings for the same instant, `a`. */
export function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareTimes(a, b) >= 0 ? a : b;
}
