import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describePersonalKeyStoreContract } from './testing/personal-key-store.contract';
import { MongoPersonalKeyStore } from './mongodb-personal-key-store';

/**
 * Runs the key-store contract suite against a real MongoDB. Never against a mock: without
 * MONGODB_URL the suite is skipped, loudly.
 */
const url = process.env.MONGODB_URL;
const SKIP_TITLE =
  'SKIPPED: MongoDB personal-key store contract suite — set MONGODB_URL="mongodb://localhost:27017/?replicaSet=rs0&directConnection=true" (docker compose up -d mongodb) to run it';

if (url === undefined || url === '') {
  describe('MongoDB personal-key store', () => {
    console.warn(`\n⚠️  ${SKIP_TITLE}\n`);
    it.skip(SKIP_TITLE, () => undefined);
  });
} else {
  describePersonalKeyStoreContract('MongoDB', () => {
    const databaseName = `ppl_keys_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    return {
      open: () => MongoPersonalKeyStore.connect({ url, databaseName }),
      dispose: async () => {
        const client = new MongoClient(url);
        try {
          await client.connect();
          await client.db(databaseName).dropDatabase();
        } finally {
          await client.close();
        }
      },
    };
  });
}
