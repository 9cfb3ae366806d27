import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '../../libs/event-store/src';
import { rawReadAll } from './raw-ceiling';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A temporary directory removed when `use` settles. */
export async function withTempDir<T>(use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'ppl-bench-'));
  try {
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds spent in `work` (high-resolution). */
export async function timed(work: () => Promise<void> | void): Promise<number> {
  const started = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** A random-looking deterministic id, as the domain derives from command ids (UUID v5 shape). */
export function deterministicId(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** An event of realistic size (~400 bytes of JSON with its metadata). */
export function sampleEvent(seed: string, n: number): NewEvent {
  return {
    id: deterministicId(`${seed}:${n}`),
    type: n % 3 === 0 ? 'InterestDeclared' : n % 3 === 1 ? 'PhaseAdvanced' : 'ContributionRecorded',
    schemaVersion: 1,
    data: {
      partnershipId: deterministicId(`p:${n % 500}`),
      phase: 'negotiation',
      amount: { value: 1000 + n, currency: 'EUR' },
      note: `event ${n} of the benchmark`,
      tags: ['bench', 'sample'],
    },
    metadata: {
      commandId: deterministicId(`c:${seed}:${n}`),
      correlationId: deterministicId(`k:${seed}:${n}`),
      actor: { id: 'user-42', role: 'board-member', organisationId: 'org-7' },
      businessTime: '2026-03-01T12:00:00.000Z',
    },
  };
}

export function rate(count: number, seconds: number): number {
  return Math.round(count / seconds);
}

export function fmt(perSecond: number): string {
  return `${perSecond.toLocaleString('en-US')}/s`;
}

export function ratio(ours: number, ceiling: number): number {
  return Math.round((ours / ceiling) * 1000) / 1000;
}

export function intArg(args: readonly string[], name: string, fallback: number): number {
  const prefix = `--${name}=`;
  const found = args.find((arg) => arg.startsWith(prefix));
  return found ? Number(found.slice(prefix.length)) : fallback;
}

/** Fills a store with `count` sample events over 500 streams (100-event appends, durability normal). */
export async function populate(path: string, count: number): Promise<void> {
  // Imported here so that bench-support stays free of the adapter for benches that do not need it.
  const { SqliteEventStore } = await import('../../libs/event-store/src/sqlite/sqlite-event-store');
  const store = new SqliteEventStore({ path, durability: 'normal' });
  const perAppend = 100;
  for (let i = 0; i < count; i += perAppend) {
    const events = Array.from({ length: Math.min(perAppend, count - i) }, (_, k) =>
      sampleEvent('populate', i + k),
    );
    await store.append(`partnership-${(i / perAppend) % 500}`, events);
  }
  await store.close();
}

/**
 * Measures `ours` and the raw read-all ceiling of the same file `rounds` times, alternating
 * which goes first (so neither always gets the warmer cache), and returns the medians (events/s)
 * and their ratio.
 */
export async function versusReadAllCeiling(
  path: string,
  page: number,
  rounds: number,
  ours: () => Promise<number>,
): Promise<{ ours: number; ceiling: number; ratio: number }> {
  const oursRates: number[] = [];
  const ceilingRates: number[] = [];
  const measureOurs = async () => {
    let count = 0;
    const s = await timed(async () => {
      count = await ours();
    });
    oursRates.push(rate(count, s));
  };
  const measureCeiling = async () => {
    let count = 0;
    const s = await timed(() => {
      count = rawReadAll(path, page, () => undefined);
    });
    ceilingRates.push(rate(count, s));
  };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      await measureOurs();
      await measureCeiling();
    } else {
      await measureCeiling();
      await measureOurs();
    }
  }
  return {
    ours: median(oursRates),
    ceiling: median(ceilingRates),
    ratio: ratio(median(oursRates), median(ceilingRates)),
  };
}

/** Reads the whole store at `path` through the event store's own `readAll`, in pages of `page` events; the number of events read. */
export async function readAllThroughStore(path: string, page: number): Promise<number> {
  const { SqliteEventStore } = await import('../../libs/event-store/src/sqlite/sqlite-event-store');
  const store = new SqliteEventStore({ path, durability: 'normal' });
  try {
    let count = 0;
    for (let after: number | undefined; ; ) {
      const batch = await store.readAll({ after, maxCount: page });
      if (batch.length === 0) return count;
      count += batch.length;
      after = batch[batch.length - 1].position;
    }
  } finally {
    await store.close();
  }
}
