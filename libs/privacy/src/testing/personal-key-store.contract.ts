import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import type { PersonalKeyStore } from '../personal-key-store.port';

export interface KeyStoreFixture {
  open(): Promise<PersonalKeyStore>;
  dispose?(): Promise<void>;
}

/** What every PersonalKeyStore adapter must do (embedded SQLite, MongoDB). */
export function describePersonalKeyStoreContract(name: string, fixture: () => KeyStoreFixture): void {
  describe(`PersonalKeyStore contract: ${name}`, () => {
    let f: KeyStoreFixture;
    let store: PersonalKeyStore;

    beforeEach(async () => {
      f = fixture();
      store = await f.open();
    });
    afterEach(async () => {
      await store.close();
      await f.dispose?.();
    });

    it('creates a 32-byte key with a random id on first use, and returns the same key after', async () => {
      const first = await store.keyFor('anna');
      expect(first.key).toHaveLength(32);
      expect(first.keyId).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      expect(first.personId).toBe('anna');
      const again = await store.keyFor('anna');
      expect(again.keyId).toBe(first.keyId);
      expect(Buffer.compare(again.key, first.key)).toBe(0);
      const other = await store.keyFor('bert');
      expect(other.keyId).not.toBe(first.keyId);
      expect(Buffer.compare(other.key, first.key)).not.toBe(0);
    });

    it('finds a key by its id, and nothing for an unknown id', async () => {
      const key = await store.keyFor('anna');
      const found = await store.byKeyId(key.keyId);
      expect(found?.personId).toBe('anna');
      expect(Buffer.compare(found?.key ?? Buffer.alloc(0), key.key)).toBe(0);
      expect(await store.byKeyId('no-such-key')).toBeNull();
    });

    it('destroys a person’s key (and only theirs); a later key for them is a new one', async () => {
      const anna = await store.keyFor('anna');
      const bert = await store.keyFor('bert');
      expect(await store.destroy('anna')).toBe(true);
      expect(await store.byKeyId(anna.keyId)).toBeNull();
      expect((await store.byKeyId(bert.keyId))?.personId).toBe('bert');
      const again = await store.keyFor('anna');
      expect(again.keyId).not.toBe(anna.keyId);
      expect(Buffer.compare(again.key, anna.key)).not.toBe(0);
    });

    it('destroying a person with no key reports false and changes nothing', async () => {
      const bert = await store.keyFor('bert');
      expect(await store.destroy('nobody')).toBe(false);
      expect((await store.byKeyId(bert.keyId))?.personId).toBe('bert');
    });

    it('a destroy is durable: a store opened afterwards does not find the key', async () => {
      const anna = await store.keyFor('anna');
      await store.destroy('anna');
      const reopened = await f.open();
      try {
        expect(await reopened.byKeyId(anna.keyId)).toBeNull();
      } finally {
        await reopened.close();
      }
    });
  });
}
