/**
 * The projections on a worker thread of the service (PROJECTIONS_THREAD=true): the same runner
 * `npm run projector` runs, over its own connections to the configured stores, so that folding
 * events and committing the read model never hold up the HTTP event loop. Tells the service
 * after each commit (read-your-writes waiters wake at once) and, every 250 ms, each projection's
 * status (metrics, FAILED). Loaded by ProjectionThread only.
 */
import { join } from 'node:path';
import { parentPort, type MessagePort } from 'node:worker_threads';
import { createEventStore, createReadModelStore, loadConfig } from '@ppl/config';
import { SqliteEventStore, type EventStore } from '@ppl/event-store';
import { ProjectionRunner, readSideProjections, timelineInStore } from '@ppl/projections';
import type { Document, ReadModelStore } from '@ppl/read-model';
import type { FromProjectionThread, ToProjectionThread } from './projection-thread';

/**
 * Appends are made by the service's own event-store connection, whose wake-ups do not reach
 * this thread's: a live subscription here polls the SQLite store this often instead.
 */
const LIVE_POLL_MS = 5;
const STATUS_EVERY_MS = 250;

async function main(port: MessagePort): Promise<void> {
  const post = (message: FromProjectionThread): void => port.postMessage(message);
  const config = loadConfig();
  const events: EventStore =
    config.EVENT_STORE === 'sqlite'
      ? new SqliteEventStore({ path: join(config.dataDir, 'events.sqlite'), durability: config.SQLITE_DURABILITY, pollIntervalMs: LIVE_POLL_MS })
      : createEventStore(config);
  const store = await createReadModelStore(config);
  const notifying: ReadModelStore = {
    registerProjection: (schema) => store.registerProjection(schema),
    get: <T extends Document = Document>(collection: string, id: string) => store.get<T>(collection, id),
    find: <T extends Document = Document>(collection: string, query?: Parameters<ReadModelStore['find']>[1]) => store.find<T>(collection, query),
    count: (collection, filter) => store.count(collection, filter),
    commit: async (projection, changes, checkpoint, options) => {
      await store.commit(projection, changes, checkpoint, options);
      post({ type: 'commit', projection, checkpoint });
    },
    getCheckpoint: (projection) => store.getCheckpoint(projection),
    describe: (projection) => store.describe(projection),
    beginRebuild: (projection, options) => store.beginRebuild(projection, options),
    drop: (projection) => store.drop(projection),
    ping: () => store.ping(),
    close: () => store.close(),
  };
  const runner = new ProjectionRunner(events, notifying, readSideProjections({ timelineInStore: timelineInStore(config.EVENT_STORE) }), {
    logger: {
      error: (message, error) => post({ type: 'log', level: 'error', message, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      info: (message) => post({ type: 'log', level: 'info', message }),
    },
  });
  const publish = async (): Promise<void> => {
    try {
      post({ type: 'status', statuses: await runner.status() });
    } catch (error) {
      post({ type: 'log', level: 'error', message: 'projection status unavailable', error: String(error) });
    }
  };
  const timer = setInterval(() => void publish(), STATUS_EVERY_MS);
  port.on('message', (message: ToProjectionThread) => {
    if (message.type !== 'stop') return;
    clearInterval(timer);
    void (async () => {
      await runner.stop();
      await store.close();
      await events.close();
      post({ type: 'stopped' });
      port.close();
    })();
  });
  await runner.start();
  await publish();
  post({ type: 'started' });
}

if (parentPort) {
  const port = parentPort;
  main(port).catch((error: unknown) => {
    port.postMessage({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies FromProjectionThread);
  });
}
