import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@ppl/event-store';
import { PersonalData, SqlitePersonalKeyStore } from '@ppl/privacy';

/** What the command side writes to, on real SQLite files in a directory of its own. */
export interface CommandStores {
  readonly store: SqliteEventStore;
  readonly keys: SqlitePersonalKeyStore;
  readonly personal: PersonalData;
  /** Closes the stores and removes their directory. */
  dispose(): Promise<void>;
}

export function openCommandStores(prefix: string): CommandStores {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const store = new SqliteEventStore({ path: join(dir, 'events.sqlite'), durability: 'normal' });
  const keys = new SqlitePersonalKeyStore(join(dir, 'privacy', 'keys.sqlite'));
  return {
    store,
    keys,
    personal: new PersonalData(keys),
    dispose: async () => {
      await store.close();
      await keys.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
