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

export function isBefore(a: string, b: string): boolean {
  return toMillis(a) < toMillis(b);
}

/** The later of two times; null stands for "never". */
export function latest(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return toMillis(a) >= toMillis(b) ? a : b;
}
