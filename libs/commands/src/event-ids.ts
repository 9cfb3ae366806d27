import { hash } from 'node:crypto';

/** Namespace of the ledger's deterministic ids (a fixed, random UUID). */
const LEDGER_NAMESPACE = '6f1c1f0e-6a52-4d44-9a0e-3f7f0c6b2a11';
const NAMESPACE_BYTES = Buffer.from(LEDGER_NAMESPACE.replaceAll('-', ''), 'hex');

/**
 * A name-based (version 5, SHA-1) UUID of `name` in the ledger's namespace, as RFC 9562 §5.5
 * (and the `uuid` package's v5) makes it: one hash call on the namespace bytes kept parsed.
 */
export function ledgerUuid(name: string): string {
  const hex = hash('sha1', Buffer.concat([NAMESPACE_BYTES, Buffer.from(name, 'utf8')]), 'hex');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Event ids derive from the command id: a retried command produces the same ids, and the
 * event store recognises them and records nothing twice.
 */
export function eventIdFor(commandId: string, index: number): string {
  return ledgerUuid(`${commandId}#event-${index}`);
}

/** Ids the API mints for a command (e.g. a new partnership's id), stable across retries. */
export function mintedIdFor(commandId: string, path: string): string {
  return ledgerUuid(`${commandId}#id-${path}`);
}
