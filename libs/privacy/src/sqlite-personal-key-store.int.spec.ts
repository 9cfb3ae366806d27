import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describePersonalKeyStoreContract } from './testing/personal-key-store.contract';
import { SqlitePersonalKeyStore } from './sqlite-personal-key-store';

describePersonalKeyStoreContract('embedded SQLite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ppl-keys-'));
  return {
    open: async () => new SqlitePersonalKeyStore(join(dir, 'privacy', 'keys.sqlite')),
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe('embedded SQLite key store on disk', () => {
  it('leaves no byte of a destroyed key in any of its files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ppl-keys-'));
    try {
      const store = new SqlitePersonalKeyStore(join(dir, 'keys.sqlite'));
      const keys = await Promise.all(['anna', 'bert', 'carl'].map((p) => store.keyFor(p)));
      const anna = keys[0] as (typeof keys)[number];
      const files = () => readdirSync(dir).map((f) => readFileSync(join(dir, f)));
      expect(files().some((bytes) => bytes.includes(anna.key))).toBe(true);
      await store.destroy('anna');
      expect(files().some((bytes) => bytes.includes(anna.key))).toBe(false);
      expect(files().some((bytes) => bytes.includes(Buffer.from(anna.keyId)))).toBe(false);
      await store.close();
      expect(files().some((bytes) => bytes.includes(anna.key))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
