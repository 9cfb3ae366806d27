import { join } from 'node:path';
import { type EventStore, EventStoreDbEventStore, SqliteEventStore } from '@ppl/event-store';
import type { AppConfig } from './config';

/** Picks the event-store adapter from configuration: embedded SQLite by default. */
export function createEventStore(config: AppConfig): EventStore {
  switch (config.EVENT_STORE) {
    case 'sqlite':
      return new SqliteEventStore({
        path: join(config.dataDir, 'events.sqlite'),
        durability: config.SQLITE_DURABILITY,
      });
    case 'eventstoredb':
      return new EventStoreDbEventStore({ connectionString: String(config.EVENTSTORE_URL) });
  }
}
