import type { PersonalKey } from './sealed-value';

/** A key with the person it belongs to. */
export interface StoredPersonalKey extends PersonalKey {
  readonly personId: string;
}

/**
 * One key per person, the only place personal data can be read back from. Destroying a person's
 * key is forgetting them: whatever was sealed with it (events, read model, snapshots, exports)
 * reads as redacted from then on. A person sealed again later gets a new key.
 */
export interface PersonalKeyStore {
  /** The person's key; created (32 random bytes, a random key id) when they have none. */
  keyFor(personId: string): Promise<StoredPersonalKey>;
  /** The key with this id, or null: never created, or destroyed. */
  byKeyId(keyId: string): Promise<StoredPersonalKey | null>;
  /** Destroys the person's key, durably, before it returns. False when they had none. */
  destroy(personId: string): Promise<boolean>;
  close(): Promise<void>;
}

export const PERSONAL_KEY_STORE = Symbol.for('ppl.PersonalKeyStore');
