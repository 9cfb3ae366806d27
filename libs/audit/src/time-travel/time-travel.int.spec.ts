import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartnershipCommand } from '@ppl/domain';
import { SqliteEventStore, type RecordedEvent } from '@ppl/event-store';
import { EmbeddedReadModelStore } from '@ppl/read-model';
import {
  HOME,
  OCMW,
  P,
  VDAB,
  assess,
  day,
  pledge,
  readyToExecute,
} from '../../../domain/src/testing/fixtures';
import { HOME_STRATEGY_STREAM, businessTimeOf, partnershipStreamOf } from '../recorded';
import { LedgerBuilder } from '../testing/ledger-builder';
import { replayIntoStore } from '../testing/replay-into-store';
import { partnershipAsOf, type AsOfCut } from './partnership-as-of';
import {
  ReadModelSnapshotStore,
  decodeFold,
  encodeFold,
  type PartnershipSnapshot,
  type SnapshotStore,
} from './snapshots';
import { TimeTravel } from './time-travel';

/**
 * Time travel with snapshots answers exactly what folding the whole stream answers: at every
 * revision and every recorded moment of a long stream, and when a snapshot was tampered with or
 * the event it was taken at was rewritten.
 */
const EVERY = 7;
const root = mkdtempSync(join(tmpdir(), 'ppl-time-travel-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A partnership's long life: to DESIGN, then assessments and pledges, some back-dated, with a strategy change half-way. */
function longLedger(): LedgerBuilder {
  const ledger = new LedgerBuilder();
  ledger.defineStrategy();
  readyToExecute.forEach((command, i) => ledger.partnership(command, day(i)));
  const by = [HOME, OCMW, VDAB, 'JOINT'];
  for (let i = 0; i < 110; i++) {
    // Every fifth one back-dated: the latest business time is not the last event's.
    const at = i % 5 === 4 ? day(i - 40) : day(30 + i * 3);
    const command: PartnershipCommand =
      i % 6 === 5
        ? pledge(`pl-${i}`, by[i % 3] as string, { amount: i })
        : assess(`a-${i}`, by[i % 4] as string, 1 + (i % 5), { RELATION: 1 + ((i * 7) % 5) });
    ledger.partnership(command, at);
    if (i === 55)
      ledger.strategy({
        type: 'SetEscalationRule',
        rule: {
          ruleId: 'pledge-board',
          trigger: 'PHASE_ENTERED',
          params: { phase: 'EXECUTE' },
          body: 'BOARD',
          level: 'MANDATORY',
          deadlineDays: 14,
        },
      } as never);
  }
  return ledger;
}

interface Fixture {
  readonly dir: string;
  readonly eventsFile: string;
  readonly stream: RecordedEvent[];
  readonly strategy: RecordedEvent[];
}

async function recordedLedger(): Promise<Fixture> {
  const dir = join(root, `case-${++n}`);
  const eventsFile = join(dir, 'events.sqlite');
  let clock = Date.parse('2026-03-01T08:00:00.000Z');
  // A minute between appends, so every command has its own recorded time.
  const store = new SqliteEventStore({
    path: eventsFile,
    durability: 'normal',
    now: () => new Date((clock += 60_000)),
  });
  await replayIntoStore(store, longLedger().events);
  const stream = await store.readStream(partnershipStreamOf(P));
  const strategy = await store.readStream(HOME_STRATEGY_STREAM);
  await store.close();
  return { dir, eventsFile, stream, strategy };
}

async function withTimeTravel<T>(
  fixture: Fixture,
  run: (timeTravel: TimeTravel, snapshots: SnapshotStore, store: SqliteEventStore) => Promise<T>,
): Promise<T> {
  const store = new SqliteEventStore({ path: fixture.eventsFile, durability: 'normal' });
  const readModel = EmbeddedReadModelStore.open({ dataDir: fixture.dir });
  const snapshots = new ReadModelSnapshotStore(readModel);
  try {
    return await run(new TimeTravel(store, { snapshots, every: EVERY }), snapshots, store);
  } finally {
    await readModel.close();
    await store.close();
  }
}

/** What folding the whole stream answers, read afresh from the store. */
async function fullFold(fixture: Fixture, cut: AsOfCut) {
  const store = new SqliteEventStore({ path: fixture.eventsFile, durability: 'normal' });
  try {
    return await new TimeTravel(store).partnershipAsOf(P, cut);
  } finally {
    await store.close();
  }
}

function tamper(file: string, sql: string, ...params: unknown[]): void {
  const db = new Database(file);
  db.prepare(sql).run(...params);
  db.close();
}

describe('time travel with snapshots', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await recordedLedger();
  });

  it('answers at every revision and every recorded moment exactly as a full fold does', async () => {
    const { stream, strategy } = fixture;
    expect(stream.length).toBeGreaterThan(10 * EVERY);
    await withTimeTravel(fixture, async (timeTravel) => {
      // The first answer at the last revision writes the snapshots behind it.
      await timeTravel.partnershipAsOf(P, { atRevision: stream.length - 1 });
      await timeTravel.idle();
      expect(timeTravel.counts.written).toBe(Math.floor(stream.length / EVERY));

      for (const event of stream) {
        const cut = { atRevision: event.revision };
        const expected = partnershipAsOf(stream, strategy, cut);
        expect(await timeTravel.partnershipAsOf(P, cut)).toEqual(expected);
      }
      const moments = stream.flatMap((e) => [
        new Date(Date.parse(e.recordedAt) - 1).toISOString(),
        e.recordedAt,
      ]);
      for (const asOf of moments) {
        const expected = partnershipAsOf(stream, strategy, { asOf });
        expect(await timeTravel.partnershipAsOf(P, { asOf })).toEqual(expected);
        const both = { asOf, atRevision: 3 * EVERY + 2 };
        expect(await timeTravel.partnershipAsOf(P, both)).toEqual(
          partnershipAsOf(stream, strategy, both),
        );
      }
      // Snapshots were actually used, none refused.
      expect(timeTravel.counts.used).toBeGreaterThan(stream.length);
      expect(timeTravel.counts.rejected).toBe(0);
    });
  });

  it('by business time: the history up to the first event dated later, whatever was back-dated behind it', async () => {
    const { stream, strategy } = fixture;
    await withTimeTravel(fixture, async (timeTravel) => {
      const dates = [...new Set(stream.map((e) => businessTimeOf(e)))].sort();
      const before = new Date(Date.parse(dates[0] as string) - 1).toISOString();
      expect(await timeTravel.partnershipAsOf(P, { businessAsOf: before })).toBeNull();
      let answered = 0;
      for (const date of [...dates.slice(0, 30), ...dates.slice(-3)]) {
        const later = stream.findIndex((e) => Date.parse(businessTimeOf(e)) > Date.parse(date));
        const lastIncluded = (later < 0 ? stream.length : later) - 1;
        const found = await timeTravel.partnershipAsOf(P, { businessAsOf: date });
        if (lastIncluded < 0) {
          // Dated before the partnership was proposed (an event back-dated that far): nothing yet.
          expect(found).toBeNull();
          continue;
        }
        // A prefix of the stream in revision order: the state time travel to that revision gives,
        // seen on that date (the strategy dated by then, the view finished at the date).
        expect(found?.revision).toBe(lastIncluded);
        const atRevision = await timeTravel.partnershipAsOf(P, { atRevision: lastIncluded });
        expect(found?.state).toEqual(atRevision?.state);
        expect(found?.position).toBe(atRevision?.position);
        expect(found).toEqual(partnershipAsOf(stream, strategy, { businessAsOf: date }));
        answered++;
      }
      expect(answered).toBeGreaterThan(5);
      // A back-dated event stops nothing: the prefix only ends at an event dated after the cut.
      const backDated = stream.findIndex((e, i) => i > 0 && Date.parse(businessTimeOf(e)) < Date.parse(businessTimeOf(stream[i - 1] as RecordedEvent)));
      expect(backDated).toBeGreaterThan(0);
    });
  });

  it('discards a tampered snapshot and answers as a full fold, then replaces it', async () => {
    const own = await recordedLedger();
    const revision = 4 * EVERY - 1;
    const cut = { atRevision: revision + 3 };
    await withTimeTravel(own, async (timeTravel, snapshots) => {
      await timeTravel.partnershipAsOf(P, { atRevision: own.stream.length - 1 });
      await timeTravel.idle();
      const genuine = (await snapshots.latest(partnershipStreamOf(P), {
        maxRevision: revision,
      })) as PartnershipSnapshot;
      expect(genuine.revision).toBe(revision);
      const fold = decodeFold(genuine.content) as {
        state: { phase: string; assessments: unknown[] };
      };
      fold.state.assessments = [];
      fold.state.phase = 'EXECUTE';
      await snapshots.save({ ...genuine, content: encodeFold(fold) });

      const answer = await timeTravel.partnershipAsOf(P, cut);
      expect(answer).toEqual(partnershipAsOf(own.stream, own.strategy, cut));
      expect(answer?.state.phase).toBe('DESIGN');
      expect(timeTravel.counts.rejected).toBe(1);

      // Its re-hashed twin is refused too: the content hash covers every field.
      await timeTravel.idle();
      const replaced = await snapshots.latest(partnershipStreamOf(P), { maxRevision: revision });
      expect(replaced).toEqual(genuine);
      await snapshots.save({ ...genuine, revision: revision + 1 });
      expect(await timeTravel.partnershipAsOf(P, cut)).toEqual(
        partnershipAsOf(own.stream, own.strategy, cut),
      );
      expect(timeTravel.counts.rejected).toBe(2);
      // ... and removed: the genuine one below it serves again.
      await timeTravel.idle();
      expect(await snapshots.latest(partnershipStreamOf(P), { maxRevision: revision + 1 })).toEqual(
        genuine,
      );
      expect(await timeTravel.partnershipAsOf(P, cut)).toEqual(
        partnershipAsOf(own.stream, own.strategy, cut),
      );
      expect(timeTravel.counts).toMatchObject({ rejected: 2, used: 1 });
    });
  });

  it('discards a snapshot whose event was rewritten in the store and answers as a full fold', async () => {
    const own = await recordedLedger();
    const target = own.stream.find(
      (e) =>
        e.revision > 3 * EVERY && (e.revision + 1) % EVERY === 0 && e.type === 'AssessmentRecorded',
    ) as RecordedEvent;
    const revision = target.revision;
    await withTimeTravel(own, async (timeTravel) => {
      await timeTravel.partnershipAsOf(P, { atRevision: own.stream.length - 1 });
      await timeTravel.idle();
    });
    tamper(
      own.eventsFile,
      `UPDATE events SET data = json_set(data, '$.scores.AMBITION.score', 5, '$.at', '2025-12-01T09:00:00.000Z'), hash = ? WHERE position = ?`,
      'f'.repeat(64),
      target.position,
    );
    const cut = { atRevision: revision + 1 };
    const rewritten = await fullFold(own, cut);
    expect(rewritten).not.toEqual(partnershipAsOf(own.stream, own.strategy, cut));
    await withTimeTravel(own, async (timeTravel) => {
      expect(await timeTravel.partnershipAsOf(P, cut)).toEqual(rewritten);
      expect(timeTravel.counts).toMatchObject({ used: 0, rejected: 1 });
    });
  });

  it('answers as a full fold when the snapshot store fails, and logs it', async () => {
    const own = await recordedLedger();
    const failing: SnapshotStore = {
      latest: () => Promise.reject(new Error('read model down')),
      save: () => Promise.reject(new Error('read model down')),
      discard: () => Promise.reject(new Error('read model down')),
    };
    const warnings: string[] = [];
    const store = new SqliteEventStore({ path: own.eventsFile, durability: 'normal' });
    try {
      const timeTravel = new TimeTravel(store, {
        snapshots: failing,
        every: EVERY,
        logger: { warn: (message) => warnings.push(message) },
      });
      const cut = { atRevision: 30 };
      expect(await timeTravel.partnershipAsOf(P, cut)).toEqual(
        partnershipAsOf(own.stream, own.strategy, cut),
      );
      await timeTravel.idle();
      expect(timeTravel.counts).toMatchObject({ lookup_failed: 1, write_failed: 4, written: 0 });
      expect(warnings).toContain('time travel: a snapshot could not be written');
    } finally {
      await store.close();
    }
  });

  it('answers as a full fold when the snapshot store does not answer', async () => {
    const own = await recordedLedger();
    const silent: SnapshotStore = {
      latest: () => new Promise<never>(() => undefined),
      save: () => Promise.resolve(),
      discard: () => Promise.resolve(),
    };
    const store = new SqliteEventStore({ path: own.eventsFile, durability: 'normal' });
    try {
      const timeTravel = new TimeTravel(store, {
        snapshots: silent,
        every: EVERY,
        lookupTimeoutMs: 50,
      });
      const cut = { atRevision: 40 };
      expect(await timeTravel.partnershipAsOf(P, cut)).toEqual(
        partnershipAsOf(own.stream, own.strategy, cut),
      );
      expect(timeTravel.counts.lookup_failed).toBe(1);
      await timeTravel.idle();
    } finally {
      await store.close();
    }
  });
});
