import { Binary, type Collection, MongoClient, MongoServerError } from 'mongodb';
import type { PersonalKeyStore, StoredPersonalKey } from './personal-key-store.port';
import { newPersonalKey } from './sealed-value';

interface KeyDoc {
  _id: string;
  keyId: string;
  key: Binary;
}

/**
 * MongoDB key store (READ_MODEL=mongodb): collection `personalKeys`, one document per person,
 * written and deleted with majority write concern so a destroy is durable before it returns.
 * Backups of the database hold keys too: a restored backup brings a forgotten person back.
 */
export class MongoPersonalKeyStore implements PersonalKeyStore {
  private constructor(
    private readonly client: MongoClient,
    private readonly keys: Collection<KeyDoc>,
  ) {}

  static async connect(options: { url: string; databaseName: string; collection?: string }): Promise<MongoPersonalKeyStore> {
    const client = new MongoClient(options.url);
    await client.connect();
    const keys = client.db(options.databaseName).collection<KeyDoc>(options.collection ?? 'personalKeys', {
      writeConcern: { w: 'majority', journal: true },
    });
    await keys.createIndex({ keyId: 1 }, { unique: true });
    return new MongoPersonalKeyStore(client, keys);
  }

  async keyFor(personId: string): Promise<StoredPersonalKey> {
    const found = await this.keys.findOne({ _id: personId });
    if (found) return toKey(found);
    const fresh = newPersonalKey();
    try {
      await this.keys.insertOne({ _id: personId, keyId: fresh.keyId, key: new Binary(fresh.key) });
      return { personId, ...fresh };
    } catch (error) {
      // Created meanwhile by another process: theirs is the person's key.
      if (!(error instanceof MongoServerError && error.code === 11000)) throw error;
      return toKey((await this.keys.findOne({ _id: personId })) as KeyDoc);
    }
  }

  async byKeyId(keyId: string): Promise<StoredPersonalKey | null> {
    const found = await this.keys.findOne({ keyId });
    return found ? toKey(found) : null;
  }

  async destroy(personId: string): Promise<boolean> {
    return (await this.keys.deleteOne({ _id: personId })).deletedCount > 0;
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

function toKey(doc: KeyDoc): StoredPersonalKey {
  return { personId: doc._id, keyId: doc.keyId, key: Buffer.from(doc.key.value()) };
}
