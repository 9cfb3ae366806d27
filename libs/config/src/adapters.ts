import { join } from 'node:path';
import { type EventStore, EventStoreDbEventStore, SqliteEventStore } from '@ppl/event-store';
import { EmbeddedReadModelStore, MongoReadModelStore, type ReadModelStore } from '@ppl/read-model';
import { MongoPersonalKeyStore, type PersonalKeyStore, SqlitePersonalKeyStore } from '@ppl/privacy';
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

/**
 * Picks the read-model adapter from configuration: embedded SQLite under DATA_DIR by default,
 * MongoDB (READ_MODEL=mongodb, MONGODB_URL, MONGODB_DATABASE) for the scale-out deployment.
 */
export async function createReadModelStore(config: AppConfig): Promise<ReadModelStore> {
  switch (config.READ_MODEL) {
    case 'embedded':
      return EmbeddedReadModelStore.open({ dataDir: config.dataDir });
    case 'mongodb':
      return MongoReadModelStore.connect({ url: String(config.MONGODB_URL), databaseName: config.MONGODB_DATABASE });
  }
}

/**
 * Picks the personal-key store like the read model: `DATA_DIR/privacy/keys.sqlite` by default,
 * MongoDB (collection `personalKeys` of MONGODB_DATABASE) with READ_MODEL=mongodb.
 */
export async function createPersonalKeyStore(config: AppConfig): Promise<PersonalKeyStore> {
  switch (config.READ_MODEL) {
    case 'embedded':
      return new SqlitePersonalKeyStore(join(config.dataDir, 'privacy', 'keys.sqlite'));
    case 'mongodb':
      return MongoPersonalKeyStore.connect({ url: String(config.MONGODB_URL), databaseName: config.MONGODB_DATABASE });
  }
}
