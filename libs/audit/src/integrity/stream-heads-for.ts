import { join } from 'node:path';
import type { AppConfig } from '@ppl/config';
import { readSqliteStreamHeads } from './sqlite-stream-heads';
import type { StreamHead } from './verify-integrity';

/** The configured store's stream index, when it keeps one the auditor can read (SQLite). */
export function streamHeadsFor(config: AppConfig): StreamHead[] | undefined {
  switch (config.EVENT_STORE) {
    case 'sqlite':
      // Same file as @ppl/config's createEventStore.
      return readSqliteStreamHeads(join(config.dataDir, 'events.sqlite'));
    case 'eventstoredb':
      return undefined;
  }
}
