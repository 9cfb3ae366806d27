import type { ComplianceVerdict, EscalationComplianceEntry } from '@ppl/audit';
import { connectionOf, pageWindow, type Connection, type PageArgs } from '../read-side/connection';
import { ReadSideInputError } from '../read-side/read-side.errors';

/**
 * `EscalationComplianceReport.entries` as a Relay connection: in the order of the record (the
 * position of the event that raised the escalation, or of the change that set it off), then by
 * a key of the entry, so that a cursor — that key — keeps its place when the next report (more
 * events) has entries before or after it. Optionally only some verdicts (`BREACH`, ...).
 */
type Key = [position: number, partnershipId: string, escalationId: string, body: string, trigger: string, changeAt: number];

const keyOf = (e: EscalationComplianceEntry): Key => [
  e.raised?.position ?? e.triggerEvent?.position ?? 0,
  e.partnershipId,
  e.escalationId ?? '',
  e.body ?? '',
  e.trigger ?? '',
  e.triggerEvent?.position ?? -1,
];

function compare(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as string | number;
    const y = b[i] as string | number;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const encode = (key: Key): string => Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');

function decode(cursor: string, path: string): Key {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(key) &&
      key.length === 6 &&
      Number.isSafeInteger(key[0]) &&
      [1, 2, 3, 4].every((i) => typeof key[i] === 'string') &&
      Number.isSafeInteger(key[5])
    )
      return key as Key;
  } catch {
    // not a cursor
  }
  throw new ReadSideInputError(`${path} is not a cursor of escalationCompliance entries`, [{ path, message: 'not a cursor of this list' }]);
}

export function complianceEntries(
  entries: readonly EscalationComplianceEntry[],
  args: PageArgs & { verdict?: readonly ComplianceVerdict[] | null },
): Connection<EscalationComplianceEntry> {
  const window = pageWindow(args);
  const keyed = entries
    .filter((e) => !args.verdict || args.verdict.length === 0 || args.verdict.includes(e.verdict))
    .map((entry) => ({ entry, key: keyOf(entry) }))
    .sort((a, b) => compare(a.key, b.key));
  const cursor = window.cursor === null ? null : decode(window.cursor, window.backward ? 'before' : 'after');
  let from: number;
  let to: number;
  if (!window.backward) {
    from = cursor === null ? 0 : keyed.findIndex((k) => compare(k.key, cursor) > 0);
    if (from < 0) from = keyed.length;
    to = Math.min(keyed.length, from + window.size);
  } else {
    to = cursor === null ? keyed.length : keyed.findIndex((k) => compare(k.key, cursor) >= 0);
    if (to < 0) to = keyed.length;
    from = Math.max(0, to - window.size);
  }
  const page = keyed.slice(from, to);
  const cursors = page.map((k) => encode(k.key));
  return connectionOf(
    page.map((k) => k.entry),
    {
      cursors,
      startCursor: cursors[0] ?? null,
      endCursor: cursors.at(-1) ?? null,
      hasNextPage: to < keyed.length,
      hasPreviousPage: from > 0,
      totalCount: keyed.length,
    },
  );
}
