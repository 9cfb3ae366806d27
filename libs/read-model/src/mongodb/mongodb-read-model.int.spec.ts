import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { describeReadModelContract } from '../testing/read-model.contract';
import { MongoReadModelStore } from './mongodb-read-model';

/**
 * Runs the read-model contract suite against a real MongoDB replica set (transactions need one;
 * docker-compose starts a single-node `rs0`). Never against a mock: without MONGODB_URL the
 * suite is skipped, loudly.
 */
const url = process.env.MONGODB_URL;
const SKIP_TITLE =
  'SKIPPED: MongoDB read-model contract suite — set MONGODB_URL="mongodb://localhost:27017/?replicaSet=rs0&directConnection=true" (docker compose up -d mongodb) to run it';

if (url === undefined || url === '') {
  describe('MongoDB read model', () => {
    console.warn(`\n⚠️  ${SKIP_TITLE}\n`);
    it.skip(SKIP_TITLE, () => undefined);
  });
} else {
  describeReadModelContract('MongoDB', () => {
    const databaseName = `ppl_rm_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    return {
      open: (projections) => MongoReadModelStore.connect({ url, databaseName, projections }),
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
