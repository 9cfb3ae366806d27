/*
 * One contract for both AuditTimeline adapters: the same events in (recorded by a real SQLite
 * store) give the same pages, in the same order, with the same totalCount, hasNextPage and
 * cursors, whether the event store answers (SqliteAuditTimeline) or the read model fed by the
 * `auditTimeline` projection (ReadModelAuditTimeline). Both are also checked against the
 * documents `timelineDoc` makes of the events, filtered by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type NewEvent, type RecordedEvent } from '@ppl/event-store';
import {
  auditTimelineProjection,
  InvalidTimelineQueryError,
  ReadModelAuditTimeline,
  timelineCursor,
  timelineDoc,
  type AuditTimeline,
  type TimelineDoc,
  type TimelineFilter,
} from '@ppl/projections';
import { admit, baseHistory, day, propose, VDAB } from '../../../projections/src/testing/scenario';
import { project, type Projected } from '../../../projections/src/testing/project';
import { SqliteAuditTimeline } from './sqlite-audit-timeline';

const root = mkdtempSync(join(tmpdir(), 'ppl-audit-timeline-'));
const START = Date.parse('2026-03-01T08:00:00.000Z');
let clock = START;
/** Recording times: a minute apart, but every fifth event shares its predecessor's millisecond. */
const minute = (n: number): string => new Date(START + n * 60_000).toISOString();

let store: SqliteEventStore;
let events: RecordedEvent[];
let projected: Projected;
let adapters: { name: string; timeline: AuditTimeline }[];
let inStore: SqliteAuditTimeline;

const foreign = (type: string, data: unknown, metadata: NewEvent['metadata']): NewEvent => ({ id: randomUUID(), type, schemaVersion: 3, data, metadata });

beforeAll(async () => {
  let appended = 0;
  store = new SqliteEventStore({
    path: join(root, 'events.sqlite'),
    durability: 'normal',
    now: () => {
      const at = new Date(clock);
      appended += 1;
      if (appended % 5 !== 0) clock += 60_000;
      return at;
    },
  });
  const ledger = baseHistory();
  ledger.decide(admit('p1', 'org-union', 'u'), { at: day(3), actor: 'manager-2' });
  ledger.decide(propose('p2'), { at: day(4), actor: 'manager-2' });
  ledger.decide(admit('p2', VDAB, 'victor'), { at: day(5), actor: 'board-1' });
  ledger.decide(propose('p3'), { at: day(6) });
  for (const e of ledger.events) {
    await store.append(e.streamId, [{ id: e.id, type: e.type, schemaVersion: e.schemaVersion, data: e.data, metadata: e.metadata }]);
  }
  // Events no decider writes: no actor, no business time (then data.at, when it is a string).
  await store.append('foreign-1', [
    foreign('SomethingElse', { at: '2024-12-31T00:00:00.000Z' }, {}),
    foreign('SomethingElse', { at: { nested: true } }, { actor: { id: 'importer', role: 'SYSTEM', organisationId: 'org-x' }, commandId: 'c-1', correlationId: 'k-1' }),
    foreign('SomethingElse', { at: 5 }, { actor: { id: 'importer' }, businessTime: '2025-05-05T05:05:05.000Z' }),
    foreign('Unknown', [], { actor: { id: 'manager-2', role: 'MANAGER' } }),
  ]);
  events = await store.readAll({ maxCount: 10_000 });
  projected = await project(auditTimelineProjection, events, { groups: [4, 1, 7] });
  inStore = new SqliteAuditTimeline(store.path);
  adapters = [
    { name: 'event store', timeline: inStore },
    { name: 'read model', timeline: new ReadModelAuditTimeline(projected) },
  ];
});

afterAll(async () => {
  inStore.close();
  await projected.close();
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

/** What every adapter must answer: the events' documents, filtered by hand, by position. */
function expected(filter: TimelineFilter): TimelineDoc[] {
  return events
    .map(timelineDoc)
    .filter(
      (d) =>
        (!filter.streamId || d.streamId === filter.streamId) &&
        (!filter.actorId || d.actorId === filter.actorId) &&
        (!filter.types?.length || filter.types.includes(d.type)) &&
        (!filter.from || d.recordedAt >= filter.from) &&
        (!filter.to || d.recordedAt <= filter.to),
    );
}

/** Walks every page of `size` from the start; returns the pages as answered. */
async function walk(timeline: AuditTimeline, filter: TimelineFilter, size: number) {
  const pages = [];
  let after: string | null = null;
  for (let guard = 0; guard < 1000; guard++) {
    const page = await timeline.search({ filter, first: size, after });
    pages.push(page);
    if (!page.hasNextPage) return pages;
    after = page.endCursor;
  }
  throw new Error('the cursor walk does not end');
}

const FILTERS: Record<string, TimelineFilter> = {
  'no filter': {},
  'a stream': { streamId: 'partnership-p1' },
  'a stream without events': { streamId: 'partnership-none' },
  'an actor': { actorId: 'manager-2' },
  'an actor of foreign events only': { actorId: 'importer' },
  'types': { types: ['PartyAdmitted', 'OrganizationRegistered', 'SomethingElse'] },
  'an empty type list (no filter)': { types: [] },
  'from (inclusive, on a shared millisecond)': { from: minute(4) },
  'to (inclusive, on a shared millisecond)': { to: minute(8) },
  'from and to (both shared)': { from: minute(4), to: minute(8) },
  'stream and types': { streamId: 'partnership-p2', types: ['PartyAdmitted'] },
  'actor, types, from and to': { actorId: 'manager-2', types: ['PartyAdmitted', 'Unknown', 'PartnershipProposed'], from: minute(1), to: minute(60) },
};

describe('AuditTimeline contract: the event store and the read model answer alike', () => {
  it('the history has what the filters need', () => {
    expect(events.length).toBeGreaterThanOrEqual(15);
    // Bounds fall on recording times that several events share.
    for (const bound of [minute(4), minute(8)]) expect(events.filter((e) => e.recordedAt === bound).length).toBeGreaterThan(1);
  });

  for (const [name, filter] of Object.entries(FILTERS)) {
    it(`${name}: same pages, order, totalCount and cursors, page by page`, async () => {
      const want = expected(filter);
      for (const size of [1, 3, 500]) {
        const [a, b] = await Promise.all(adapters.map(({ timeline }) => walk(timeline, filter, size)));
        expect(b).toEqual(a);
        expect(a.flatMap((p) => p.items)).toEqual(want);
        for (const [index, page] of a.entries()) {
          expect(page.totalCount).toBe(want.length);
          expect(page.endCursor).toBe(page.items.length > 0 ? timelineCursor(page.items[page.items.length - 1].position) : null);
          expect(page.cursors).toEqual(page.items.map((d) => timelineCursor(d.position)));
          expect(page.hasPreviousPage).toBe(index > 0);
        }
      }
    });

    it(`${name}: after any event's cursor, both continue right after it and say whether a match precedes it`, async () => {
      const want = expected(filter);
      for (const event of expected({})) {
        const answers = await Promise.all(
          adapters.map(({ timeline }) => timeline.search({ filter, first: 2, after: timelineCursor(event.position) })),
        );
        expect(answers[1]).toEqual(answers[0]);
        expect(answers[0].items).toEqual(want.filter((d) => d.position > event.position).slice(0, 2));
        expect(answers[0].hasPreviousPage).toBe(want.some((d) => d.position <= event.position));
        // Backward from the same cursor: the matches before it, the last two, in order.
        const back = await Promise.all(
          adapters.map(({ timeline }) => timeline.search({ filter, first: 2, backward: true, before: timelineCursor(event.position) })),
        );
        expect(back[1]).toEqual(back[0]);
        const earlier = want.filter((d) => d.position < event.position);
        expect(back[0].items).toEqual(earlier.slice(Math.max(0, earlier.length - 2)));
        expect(back[0].hasPreviousPage).toBe(earlier.length > 2);
        expect(back[0].hasNextPage).toBe(want.some((d) => d.position >= event.position));
      }
    });

    it(`${name}: paging backward from the end gives the same events, page by page, on both`, async () => {
      const want = expected(filter);
      for (const size of [1, 3, 500]) {
        const walks = await Promise.all(
          adapters.map(async ({ timeline }) => {
            const pages = [];
            let before: string | null = null;
            for (let guard = 0; guard < 1000; guard++) {
              const page: Awaited<ReturnType<AuditTimeline['search']>> = await timeline.search({ filter, first: size, backward: true, before });
              pages.unshift(page);
              expect(page.hasNextPage).toBe(before !== null);
              if (!page.hasPreviousPage) return pages;
              before = page.startCursor;
            }
            throw new Error('the backward walk does not end');
          }),
        );
        expect(walks[1]).toEqual(walks[0]);
        expect(walks[0].flatMap((p) => p.items)).toEqual(want);
      }
    });
  }

  it('documents carry the actor, ids and business time as the projection makes them', async () => {
    const page = await inStore.search({ filter: { streamId: 'foreign-1' }, first: 10 });
    expect(page.items.map((d) => [d.actorId, d.actorRole, d.actorOrganisationId, d.commandId, d.correlationId, d.businessTime, d.schemaVersion])).toEqual([
      [null, null, null, null, null, '2024-12-31T00:00:00.000Z', 3],
      ['importer', 'SYSTEM', 'org-x', 'c-1', 'k-1', null, 3],
      ['importer', null, null, null, null, '2025-05-05T05:05:05.000Z', 3],
      ['manager-2', 'MANAGER', null, null, null, null, 3],
    ]);
    const admitted = await inStore.search({ filter: { actorId: 'board-1' }, first: 10 });
    expect(admitted.items).toEqual([expect.objectContaining({ streamId: 'partnership-p2', type: 'PartyAdmitted', revision: 1, businessTime: day(5), eventId: events.find((e) => e.metadata.actor?.id === 'board-1')?.id })]);
  });

  it('first: 0 gives the count only, on both', async () => {
    const answers = await Promise.all(adapters.map(({ timeline }) => timeline.search({ filter: { actorId: 'manager-2' }, first: 0 })));
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ items: [], totalCount: expected({ actorId: 'manager-2' }).length, endCursor: null });
  });

  it('a cursor of one adapter walks on in the other (the same strings)', async () => {
    const [storeAdapter, readModelAdapter] = adapters.map((a) => a.timeline);
    const first = await storeAdapter.search({ filter: { types: ['PartyAdmitted'] }, first: 2 });
    const rest = await readModelAdapter.search({ filter: { types: ['PartyAdmitted'] }, first: 500, after: first.endCursor });
    expect([...first.items, ...rest.items]).toEqual(expected({ types: ['PartyAdmitted'] }));
  });

  it('refuses a cursor that is not one of the timeline, and more than 100 types, with a typed error, on both', async () => {
    const otherSort = Buffer.from(JSON.stringify({ s: 'name:asc', v: ['x'], i: 'x' })).toString('base64url');
    for (const { timeline } of adapters) {
      for (const after of ['garbage', otherSort]) {
        await expect(timeline.search({ filter: {}, first: 5, after })).rejects.toMatchObject({ code: 'AUDIT_TIMELINE_INVALID_QUERY', path: 'after' });
      }
      const types = Array.from({ length: 101 }, (_, i) => `T${i}`);
      await expect(timeline.search({ filter: { types }, first: 5 })).rejects.toBeInstanceOf(InvalidTimelineQueryError);
    }
  });
});

describe('read your writes', () => {
  it('the event store answers a position at once: the event appended is in the answer', async () => {
    const result = await store.append('foreign-2', [foreign('LateArrival', {}, { actor: { id: 'late' } })]);
    const page = await inStore.search({ filter: { actorId: 'late' }, first: 5 }, result.position);
    expect(page.items.map((d) => d.position)).toEqual([result.position]);
  });

  it('the read model waits for its projection to reach the position before it reads', async () => {
    const late = (await store.readAll({ after: events[events.length - 1].position, maxCount: 10 })).filter((e) => e.type === 'LateArrival');
    const reached: number[] = [];
    const timeline = new ReadModelAuditTimeline(projected, async (position) => {
      reached.push(position);
      await projected.feed(late);
    });
    const page = await timeline.search({ filter: { actorId: 'late' }, first: 5 }, late[0].position);
    expect(reached).toEqual([late[0].position]);
    expect(page.items.map((d) => d.position)).toEqual([late[0].position]);
  });
});
