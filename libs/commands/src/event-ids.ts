import { v5 as uuidv5 } from 'uuid';

/** Namespace of the ledger's deterministic ids (a fixed, random UUID). */
const LEDGER_NAMESPACE = '6f1c1f0e-6a52-4d44-9a0e-3f7f0c6b2a11';

/**
 * Event ids derive from the command id: a retried command produces the same ids, and the
 * event store recognises them and records nothing twice.
 */
export function eventIdFor(commandId: string, index: number): string {
  return uuidv5(`${commandId}#event-${index}`, LEDGER_NAMESPACE);
}

/** Ids the API mints for a command (e.g. a new partnership's id), stable across retries. */
export function mintedIdFor(commandId: string, path: string): string {
  return uuidv5(`${commandId}#id-${path}`, LEDGER_NAMESPACE);
}
