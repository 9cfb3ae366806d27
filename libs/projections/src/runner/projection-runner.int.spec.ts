import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { defineCollection, patch, put, type Document, type ReadModelStore } from '@ppl/read-model';
import { counterProjection, type CounterDoc } from '../testing/counter.projection';
import {
  appendEvents,
  crashingReadModel,
  openStores,
  redeliveringEventStore,
  type Stores,
} from '../testing/fixtures';
import { ProjectionApplyError, ProjectionFailedError, ProjectionLaggingError, RebuildInterruptedError } from './errors';
import { defineProjection } from './projection';
import { ProjectionRunner, type RebuildProgress } from './projection-runner';

const count = async (
  readModel: ReadModelStore,
  id = 'all',
  collection = 'counters',
): Promise<number | undefined> => (await readModel.get<CounterDoc>(collection, id))?.count;

async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('ProjectionRunner (real SqliteEventStore + embedded read model)', () => {
  let stores: Stores;
  let runners: ProjectionRunner[];
  const runner = (...args: ConstructorParameters<typeof ProjectionRunner>): ProjectionRunner => {
    const created = new ProjectionRunner(...args);
    runners.push(created);
    return created;
  };

  beforeEach(() => {
    stores = openStores();
    runners = [];
  });

  afterEach(async () => {
    for (const r of runners) await r.stop();
    await stores.dispose();
  });

  it('catches up, then follows live events; each applied once, in batches', async () => {
    await appendEvents(stores.eventStore, 120, ['A', 'B']);
    const commit = jest.spyOn(stores.readModel, 'commit');
    const r = runner(stores.eventStore, stores.readModel, [counterProjection()], { batchSize: 25 });
    await r.start();
    await r.waitFor(await stores.eventStore.headPosition(), 5_000);
    expect(await count(stores.readModel)).toBe(120);
    expect(commit.mock.calls.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...commit.mock.calls.map(([, changes]) => changes.length))).toBeLessThanOrEqual(
      50,
    );

    const last = await appendEvents(stores.eventStore, 30, ['A']);
    await r.waitFor(last, 5_000);
    expect(await count(stores.readModel)).toBe(150);
    expect(await count(stores.readModel, 'type:A')).toBe(90);
    const doc = await stores.readModel.get<CounterDoc>('counters', 'all');
    expect(new Set(doc?.positions).size).toBe(150);

    await eventually(async () => (await r.status())[0].state === 'LIVE');
    const [status] = await r.status();
    expect(status).toMatchObject({
      name: 'counter',
      state: 'LIVE',
      position: last,
      head: last,
      lag: 0,
    });
    expect(status.eventsPerSecond).toBeGreaterThan(0);
    expect(await stores.readModel.getCheckpoint('counter')).toBe(last);
  });

  it.each(['before', 'after'] as const)(
    'a crash %s a commit, then a restart: every event applied exactly once',
    async (when) => {
      await appendEvents(stores.eventStore, 60);
      const crashing = crashingReadModel(stores.readModel, { commitNumber: 3, when });
      const first = runner(stores.eventStore, crashing, [counterProjection()], { batchSize: 10 });
      await first.start();
      await eventually(async () => (await first.status())[0].state === 'FAILED');
      const [failed] = await first.status();
      expect(failed.error?.message).toMatch(/simulated crash/);
      await first.stop();
      const committed = await count(stores.readModel);
      expect(committed).toBe(when === 'before' ? 20 : 30);
      expect(await stores.readModel.getCheckpoint('counter')).toBeGreaterThan(0);

      // "Process restart": a new runner over a reopened read model.
      const readModel = await stores.reopenReadModel();
      const second = runner(stores.eventStore, readModel, [counterProjection()], { batchSize: 10 });
      await second.start();
      await second.waitFor(await stores.eventStore.headPosition(), 5_000);
      expect(await count(readModel)).toBe(60);
      expect(new Set((await readModel.get<CounterDoc>('counters', 'all'))?.positions).size).toBe(
        60,
      );
    },
  );

  it('ignores events a subscription delivers again (at-least-once transports, replays from 0)', async () => {
    await appendEvents(stores.eventStore, 40);
    const first = runner(stores.eventStore, stores.readModel, [counterProjection()], {
      batchSize: 7,
    });
    await first.start();
    await first.waitFor(await stores.eventStore.headPosition());
    await first.stop();

    const last = await appendEvents(stores.eventStore, 10);
    const replaying = runner(
      redeliveringEventStore(stores.eventStore),
      stores.readModel,
      [counterProjection()],
      { batchSize: 7 },
    );
    await replaying.start();
    await replaying.waitFor(last, 5_000);
    expect(await count(stores.readModel)).toBe(50);
  });

  it('two runners on the same read model never double-apply (checkpoint guard)', async () => {
    await appendEvents(stores.eventStore, 200);
    const a = runner(stores.eventStore, stores.readModel, [counterProjection()], { batchSize: 5 });
    const b = runner(stores.eventStore, stores.readModel, [counterProjection()], { batchSize: 5 });
    await Promise.all([a.start(), b.start()]);
    const head = await stores.eventStore.headPosition();
    await Promise.all([a.waitFor(head, 10_000), b.waitFor(head, 10_000)]);
    expect(await count(stores.readModel)).toBe(200);
  });

  it('a read model another process holds locked: RETRYING (not FAILED), then it goes on from its checkpoint, each event once', async () => {
    await appendEvents(stores.eventStore, 3);
    const r = runner(stores.eventStore, stores.readModel, [counterProjection()], { retryMaxMs: 1_000 });
    await r.start();
    await r.waitFor(await stores.eventStore.headPosition(), 5_000);
    // Another process (a backup, a sqlite3 shell) takes the read model's write lock and keeps it.
    const intruder = new Database(join(stores.dir, 'read-model.sqlite'));
    intruder.exec('BEGIN EXCLUSIVE');
    let locked = true;
    try {
      const last = await appendEvents(stores.eventStore, 2);
      // The commit waits out the busy timeout (5 s), then the projection waits and tries again.
      await eventually(async () => (await r.status())[0].state === 'RETRYING', 20_000);
      const [retrying] = await r.status();
      expect(retrying.error?.message).toMatch(/read model unavailable.*locked/i);
      await expect(r.waitFor(last, 200)).rejects.toBeInstanceOf(ProjectionLaggingError);
      intruder.exec('ROLLBACK');
      intruder.close();
      locked = false;
      await r.waitFor(last, 20_000);
      const [after] = await r.status();
      expect(after.state).toBe('LIVE');
      expect(after.error).toBeUndefined();
      expect(await count(stores.readModel)).toBe(5);
      const positions = (await stores.readModel.get<CounterDoc>('counters', 'all'))?.positions ?? [];
      expect(new Set(positions).size).toBe(5);
    } finally {
      if (locked) {
        intruder.exec('ROLLBACK');
        intruder.close();
      }
    }
  }, 60_000);

  describe('waitFor', () => {
    it('treats a position a filtered projection never sees as reached once everything before it is', async () => {
      const r = runner(stores.eventStore, stores.readModel, [
        counterProjection({ types: ['Counted'] }),
      ]);
      await r.start();
      await appendEvents(stores.eventStore, 5, ['Counted']);
      const ignored = await appendEvents(stores.eventStore, 5, ['Ignored']);
      await r.waitFor(ignored, 2_000);
      expect(await count(stores.readModel)).toBe(5);
      await eventually(async () => (await r.status())[0].state === 'LIVE');
      const [status] = await r.status();
      expect(status.position).toBe(ignored);
      expect(status.lag).toBe(0);
    });

    it('rejects with PROJECTION_LAGGING when the projection does not get there in time', async () => {
      const last = await appendEvents(stores.eventStore, 5);
      const r = runner(stores.eventStore, stores.readModel, [counterProjection()]); // never started
      const error = await r.waitFor(last, 100).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProjectionLaggingError);
      expect(error).toMatchObject({
        code: 'PROJECTION_LAGGING',
        position: last,
        lagging: [{ name: 'counter', position: -1 }],
      });
      await expect(r.waitFor(last + 1000, 50)).rejects.toMatchObject({
        code: 'PROJECTION_LAGGING',
      });
    });

    it('waits only for the projections named', async () => {
      const last = await appendEvents(stores.eventStore, 3);
      const broken = counterProjection({ name: 'broken', poison: () => true });
      const r = runner(stores.eventStore, stores.readModel, [counterProjection(), broken]);
      await r.start();
      await expect(r.waitFor(last, 2_000, ['counter'])).resolves.toBeUndefined();
      await expect(r.waitFor(last, 2_000)).rejects.toBeInstanceOf(ProjectionFailedError);
    });
  });

  it('stops a projection whose apply throws, keeps the events before it, and reports FAILED', async () => {
    await appendEvents(stores.eventStore, 10);
    const poisonAt = (await stores.eventStore.readAll())[6].position;
    const r = runner(
      stores.eventStore,
      stores.readModel,
      [counterProjection({ poison: (p) => p === poisonAt })],
      { batchSize: 100 },
    );
    await r.start();
    await expect(r.waitFor(await stores.eventStore.headPosition(), 2_000)).rejects.toBeInstanceOf(
      ProjectionFailedError,
    );
    const [status] = await r.status();
    expect(status.state).toBe('FAILED');
    expect(status.error).toMatchObject({ code: 'PROJECTION_APPLY_FAILED' });
    expect(status.error?.message).toContain(`position ${poisonAt}`);
    expect(await count(stores.readModel)).toBe(6);
    expect(await stores.readModel.getCheckpoint('counter')).toBe(poisonAt - 1);
    await r.stop();

    const fixed = runner(stores.eventStore, stores.readModel, [counterProjection()]);
    await fixed.start();
    await fixed.waitFor(await stores.eventStore.headPosition());
    expect(await count(stores.readModel)).toBe(10);
  });

  it('view.get sees earlier events of the batch; view.find commits them first', async () => {
    const tags = defineCollection({ name: 'tags', indexes: { tag: 'string' } });
    const projection = defineProjection({
      name: 'tags',
      version: 1,
      collections: [tags],
      async apply(event, view) {
        const data = event.data as { id?: string; tag?: string; from?: string; to?: string };
        if (event.type === 'Tagged' && data.id && data.tag)
          return [put('tags', data.id, { id: data.id, tag: data.tag })];
        if (event.type === 'Renamed' && data.from && data.to) {
          const page = await view.find('tags', { filter: { tag: data.from }, first: 1000 });
          return page.items.map((d: Document) =>
            patch('tags', d.id as string, { tag: data.to as string }),
          );
        }
        return [];
      },
    });
    const e = (type: string, data: object) => ({
      id: randomUUID(),
      type,
      schemaVersion: 1,
      data,
      metadata: {},
    });
    await stores.eventStore.append('t', [
      e('Tagged', { id: 'a', tag: 'x' }),
      e('Tagged', { id: 'b', tag: 'x' }),
      e('Renamed', { from: 'x', to: 'y' }),
      e('Tagged', { id: 'c', tag: 'x' }),
    ]);
    const r = runner(stores.eventStore, stores.readModel, [projection]);
    await r.start();
    await r.waitFor(await stores.eventStore.headPosition());
    expect(await stores.readModel.count('tags', { tag: 'y' })).toBe(2);
    expect(await stores.readModel.count('tags', { tag: 'x' })).toBe(1);
  });

  describe('rebuild', () => {
    it('replays into a shadow, resumes after an interruption, swaps in only once caught up', async () => {
      await appendEvents(stores.eventStore, 300, ['A', 'B', 'C']);
      const r = runner(stores.eventStore, stores.readModel, [counterProjection()], {
        batchSize: 50,
      });
      await r.start();
      await r.waitFor(await stores.eventStore.headPosition());
      const before = await stores.readModel.describe('counter');

      // First run: interrupted after the second batch.
      const abort = new AbortController();
      const seen: RebuildProgress[] = [];
      const interrupted = await r
        .rebuild('counter', {
          batchSize: 40,
          progressIntervalMs: 0,
          signal: abort.signal,
          onProgress: (p) => {
            seen.push(p);
            if (p.processed >= 80) abort.abort();
          },
        })
        .catch((e: unknown) => e);
      expect(interrupted).toBeInstanceOf(RebuildInterruptedError);
      const halfway = await stores.readModel.describe('counter');
      expect(halfway.active?.generation).toBe(before.active?.generation);
      expect(halfway.shadow?.checkpoint).toBeGreaterThan(0);
      expect(halfway.shadow?.checkpoint).toBeLessThan(await stores.eventStore.headPosition());
      expect(await count(stores.readModel)).toBe(300); // queries still read the complete old copy
      expect(seen[seen.length - 1]).toMatchObject({
        phase: 'replaying',
        processed: 80,
        head: await stores.eventStore.headPosition(),
      });

      // Events keep arriving; the live copy keeps up meanwhile.
      await appendEvents(stores.eventStore, 20, ['D']);

      // Second run: resumes, and the active copy stays the old one until the swap.
      const progress: RebuildProgress[] = [];
      const activeDuringReplay: (number | undefined)[] = [];
      const result = await r.rebuild('counter', {
        batchSize: 40,
        progressIntervalMs: 0,
        onProgress: (p) => {
          progress.push(p);
          if (p.phase === 'replaying') {
            void stores.readModel
              .describe('counter')
              .then((s) => activeDuringReplay.push(s.active?.generation));
          }
        },
      });
      const head = await stores.eventStore.headPosition();
      expect(result).toMatchObject({
        resumed: true,
        fromPosition: halfway.shadow?.checkpoint,
        position: head,
        processed: 320 - 80,
      });
      expect(new Set(activeDuringReplay)).toEqual(new Set([before.active?.generation]));
      expect(progress.map((p) => p.phase).slice(-2)).toEqual(['swapping', 'done']);
      expect(progress[progress.length - 1].ratio).toBe(1);
      const after = await stores.readModel.describe('counter');
      expect(after.active?.generation).toBe(result.generation);
      expect(after.shadow).toBeUndefined();
      expect(await count(stores.readModel)).toBe(320);
      expect(await count(stores.readModel, 'type:D')).toBe(20);

      // The live loop continues on the new copy.
      const last = await appendEvents(stores.eventStore, 5, ['E']);
      await r.waitFor(last);
      expect(await count(stores.readModel)).toBe(325);
    });

    it('applies pages in memory and commits every commitEvery events; an interruption commits what is applied, a resume continues there', async () => {
      await appendEvents(stores.eventStore, 300, ['A', 'B']);
      const r = runner(stores.eventStore, stores.readModel, [counterProjection()]);
      const abort = new AbortController();
      const seen: RebuildProgress[] = [];
      const interrupted = await r
        .rebuild('counter', {
          batchSize: 20,
          commitEvery: 100,
          commitIntervalMs: 600_000,
          progressIntervalMs: 0,
          signal: abort.signal,
          onProgress: (p) => {
            seen.push(p);
            if (p.processed >= 160) abort.abort();
          },
        })
        .catch((e: unknown) => e);
      expect(interrupted).toBeInstanceOf(RebuildInterruptedError);
      const replaying = seen.filter((p) => p.phase === 'replaying' && p.processed > 0);
      // Progress moves page by page; the checkpoint only every 100 events read.
      expect(replaying.map((p) => p.processed)).toEqual([20, 40, 60, 80, 100, 120, 140, 160]);
      const positionAt = (processed: number): number => replaying.find((p) => p.processed === processed)?.position ?? NaN;
      expect(new Set(replaying.map((p) => p.committed))).toEqual(new Set([0, positionAt(100)]));
      // Interrupted at 160 applied: those are committed, nothing more.
      expect((await stores.readModel.describe('counter')).shadow?.checkpoint).toBe(positionAt(160));

      const result = await r.rebuild('counter', { batchSize: 20, commitEvery: 100 });
      expect(result).toMatchObject({ resumed: true, fromPosition: positionAt(160), processed: 140 });
      expect(await count(stores.readModel)).toBe(300);
      const positions = (await stores.readModel.get<CounterDoc>('counters', 'all'))?.positions ?? [];
      expect(new Set(positions).size).toBe(300);
    });

    it('a folding projection folds each page as it is read and commits once its fold holds foldLimit documents; interrupted and resumed, every event counts once', async () => {
      await appendEvents(stores.eventStore, 300, ['A', 'B', 'C', 'D', 'E', 'F']);
      const r = runner(stores.eventStore, stores.readModel, [counterProjection({ fold: true })]);
      const seenUnlimited: RebuildProgress[] = [];
      const unlimited = await r.rebuild('counter', { batchSize: 20, commitEvery: 20, commitIntervalMs: 600_000, progressIntervalMs: 0, onProgress: (p) => seenUnlimited.push(p) });
      // commitEvery is for projections that hold events: a fold of 7 documents commits only at the end.
      expect(new Set(seenUnlimited.filter((p) => p.phase === 'replaying').map((p) => p.committed))).toEqual(new Set([0]));
      expect(unlimited.processed).toBe(300);
      expect(await count(stores.readModel)).toBe(300);

      const abort = new AbortController();
      const seen: RebuildProgress[] = [];
      const interrupted = await r
        .rebuild('counter', {
          fresh: true,
          batchSize: 5,
          foldLimit: 7,
          commitIntervalMs: 600_000,
          progressIntervalMs: 0,
          signal: abort.signal,
          onProgress: (p) => {
            seen.push(p);
            if (p.processed >= 150) abort.abort();
          },
        })
        .catch((e: unknown) => e);
      expect(interrupted).toBeInstanceOf(RebuildInterruptedError);
      const committed = [...new Set(seen.filter((p) => p.phase === 'replaying').map((p) => p.committed))];
      // Six types and the total: the fold reaches 7 documents within the first pages, then commits.
      expect(committed.length).toBeGreaterThan(2);
      const shadow = (await stores.readModel.describe('counter')).shadow?.checkpoint;
      expect(shadow).toBe(seen[seen.length - 1].position);

      const result = await r.rebuild('counter', { batchSize: 5, foldLimit: 7 });
      expect(result).toMatchObject({ resumed: true, fromPosition: shadow, processed: 150 });
      expect(await count(stores.readModel)).toBe(300);
      const positions = (await stores.readModel.get<CounterDoc>('counters', 'all'))?.positions ?? [];
      expect(new Set(positions).size).toBe(300);
      for (const type of ['A', 'B', 'C', 'D', 'E', 'F']) expect(await count(stores.readModel, `type:${type}`)).toBe(50);
    });

    it('when a fold throws, the events since the last commit are applied one by one: a failing event is named by its own position', async () => {
      const head = await appendEvents(stores.eventStore, 120, ['A', 'B']);
      const poisoned = head - 37;
      // Only the fold fails on it: applied alone, the event is fine, and the rebuild completes exactly.
      const foldOnly = runner(stores.eventStore, stores.readModel, [counterProjection({ fold: true, poisonFold: (position) => position === poisoned })]);
      await foldOnly.rebuild('counter', { batchSize: 10, foldLimit: 1000 });
      expect(await count(stores.readModel)).toBe(120);
      expect(new Set((await stores.readModel.get<CounterDoc>('counters', 'all'))?.positions).size).toBe(120);
      await stores.readModel.drop('counter');

      // The event fails applied alone too: the rebuild stops on it, by its position.
      const failing = runner(stores.eventStore, stores.readModel, [counterProjection({ fold: true, poison: (position) => position === poisoned })]);
      const error = await failing.rebuild('counter', { batchSize: 10, foldLimit: 1000 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProjectionApplyError);
      expect(error).toMatchObject({ eventPosition: poisoned, projection: 'counter' });
    });

    it('notices a signal raised outside the replay (Ctrl-C, a timer) between pages', async () => {
      await appendEvents(stores.eventStore, 100);
      const r = runner(stores.eventStore, stores.readModel, [counterProjection()]);
      const abort = new AbortController();
      setImmediate(() => abort.abort());
      const interrupted = await r.rebuild('counter', { batchSize: 10, signal: abort.signal }).catch((e: unknown) => e);
      expect(interrupted).toBeInstanceOf(RebuildInterruptedError);
      expect((await stores.readModel.describe('counter')).shadow?.checkpoint).toBeLessThan(await stores.eventStore.headPosition());
    });

    it('a store that limits its commits (MongoDB transactions) gets a replay in commits within the limit, folding or not', async () => {
      await appendEvents(stores.eventStore, 200, ['A', 'B', 'C', 'D', 'E']);
      // A fold that holds a document per event (the portfolio's holds one per partnership).
      const docs = defineCollection({ name: 'per_event_docs', indexes: {} });
      const perEvent = defineProjection({
        name: 'per_event',
        version: 1,
        collections: [docs],
        apply: (event) => [put(docs.name, String(event.position), { id: String(event.position) })],
        startFold: () => {
          const held = new Map<string, Document>();
          return {
            get size() {
              return held.size;
            },
            add: (events) => {
              for (const event of events) held.set(String(event.position), { id: String(event.position) });
            },
            changes: () => [...held.values()].map((doc) => put(docs.name, String(doc.id), doc)),
          };
        },
      });
      const sizes = new Map<string, number[]>();
      const beginRebuild = stores.readModel.beginRebuild.bind(stores.readModel);
      jest.spyOn(stores.readModel, 'beginRebuild').mockImplementation(async (name, options) => {
        const writer = await beginRebuild(name, options);
        return {
          ...writer,
          maxChangesPerCommit: 24,
          getCheckpoint: () => writer.getCheckpoint(),
          get: (collection, id) => writer.get(collection, id),
          find: (collection, query) => writer.find(collection, query),
          swapIn: () => writer.swapIn(),
          abandon: () => writer.abandon(),
          commit: (changes, checkpoint, commitOptions) => {
            sizes.set(name, [...(sizes.get(name) ?? []), changes.length]);
            return writer.commit(changes, checkpoint, commitOptions);
          },
        };
      });
      const r = runner(stores.eventStore, stores.readModel, [counterProjection(), perEvent]);
      await r.rebuildAll(undefined, { batchSize: 5 });
      // Without the limit, each would commit once, at the end (commitEvery 200,000 events, foldLimit 250,000 documents).
      for (const name of ['counter', 'per_event']) {
        expect(sizes.get(name)?.length).toBeGreaterThan(5);
        expect(Math.max(...(sizes.get(name) ?? []))).toBeLessThanOrEqual(24);
      }
      expect(await count(stores.readModel)).toBe(200);
      expect((await stores.readModel.find(docs.name, { first: 500 })).totalCount).toBe(200);
    });

    it('rebuildAll reports every projection of a page together, at that page, so a progress line is one snapshot', async () => {
      await appendEvents(stores.eventStore, 120, ['A', 'B', 'C']);
      const r = runner(stores.eventStore, stores.readModel, [counterProjection(), counterProjection({ name: 'only_b', types: ['B'] })]);
      const seen: RebuildProgress[] = [];
      await r.rebuildAll(undefined, { batchSize: 30, progressIntervalMs: 0, onProgress: (p) => seen.push(p) });
      const replaying = seen.filter((p) => p.phase === 'replaying');
      expect(replaying.length).toBeGreaterThanOrEqual(2 * 4);
      for (let i = 0; i < replaying.length; i += 2) {
        const [counter, onlyB] = replaying.slice(i, i + 2);
        expect([counter.projection, onlyB.projection]).toEqual(['counter', 'only_b']);
        expect(onlyB.position).toBe(counter.position);
        // Each has applied what it reads up to that position: every event, or the B's among them.
        expect(counter.processed).toBe(counter.position - replaying[0].position);
        expect(onlyB.processed).toBe(Math.floor((counter.processed + 1) / 3));
      }
    });

    it('rebuildAll reads the store once for every projection, each into its own shadow, resumable, swapped in once caught up', async () => {
      await appendEvents(stores.eventStore, 200, ['A', 'B', 'C']);
      const all = counterProjection();
      const onlyB = counterProjection({ name: 'only_b', types: ['B'] });
      const r = runner(stores.eventStore, stores.readModel, [all, onlyB]);
      const readAll = jest.spyOn(stores.eventStore, 'readAll');

      const abort = new AbortController();
      const interrupted = await r
        .rebuildAll(undefined, {
          batchSize: 30,
          progressIntervalMs: 0,
          signal: abort.signal,
          onProgress: (p) => {
            if (p.projection === 'counter' && p.processed >= 60) abort.abort();
          },
        })
        .catch((e: unknown) => e);
      expect(interrupted).toBeInstanceOf(RebuildInterruptedError);
      expect((await stores.readModel.describe('counter')).active).toBeUndefined();
      expect((await stores.readModel.describe('only_b')).shadow?.checkpoint).toBeGreaterThan(0);
      await appendEvents(stores.eventStore, 10, ['B']);

      readAll.mockClear();
      const results = await r.rebuildAll(undefined, { batchSize: 30 });
      const head = await stores.eventStore.headPosition();
      expect(results.map((x) => [x.projection, x.resumed, x.position])).toEqual([
        ['counter', true, head],
        ['only_b', true, head],
      ]);
      // One pass: pages of 30 over what is left (at most 210 events), plus the empty page at the end.
      expect(readAll.mock.calls.length).toBeLessThanOrEqual(Math.ceil(210 / 30) + 1);
      expect(await count(stores.readModel)).toBe(210);
      expect(await count(stores.readModel, 'type:B', 'only_b_counters')).toBe(
        await count(stores.readModel, 'type:B'),
      );
      expect(await count(stores.readModel, 'all', 'only_b_counters')).toBe(await count(stores.readModel, 'type:B'));
      const positions = (await stores.readModel.get<CounterDoc>('counters', 'all'))?.positions ?? [];
      expect(new Set(positions).size).toBe(210);
      expect((await stores.readModel.describe('only_b')).active?.checkpoint).toBe(head);
    });

    it('rebuilds in the background on start when the stored copy has another version', async () => {
      await appendEvents(stores.eventStore, 50);
      const v1 = runner(stores.eventStore, stores.readModel, [counterProjection({ version: 1 })]);
      await v1.start();
      await v1.waitFor(await stores.eventStore.headPosition());
      await v1.stop();

      const v2 = runner(stores.eventStore, stores.readModel, [counterProjection({ version: 2 })]);
      await v2.start();
      await v2.waitFor(await stores.eventStore.headPosition(), 5_000);
      const doc = await stores.readModel.get<CounterDoc & { builtBy?: number }>('counters', 'all');
      expect(doc).toMatchObject({ count: 50, builtBy: 2 });
      expect((await stores.readModel.describe('counter')).active?.version).toBe(2);
      const last = await appendEvents(stores.eventStore, 1);
      await v2.waitFor(last);
      expect(await count(stores.readModel)).toBe(51);
    });
  });

  it('stops cleanly and resumes from its checkpoint', async () => {
    await appendEvents(stores.eventStore, 30);
    const r = runner(stores.eventStore, stores.readModel, [counterProjection()], { batchSize: 4 });
    await r.start();
    await r.stop();
    expect((await r.status())[0].state).toBe('STOPPED');
    const partial = (await count(stores.readModel)) ?? 0;
    expect(await stores.readModel.getCheckpoint('counter')).toBeGreaterThanOrEqual(
      partial > 0 ? 1 : -1,
    );
    await r.start();
    await r.waitFor(await stores.eventStore.headPosition());
    expect(await count(stores.readModel)).toBe(30);
  });
});
