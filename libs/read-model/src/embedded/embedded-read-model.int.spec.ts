import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeReadModelContract } from '../testing/read-model.contract';
import { EmbeddedReadModelStore } from './embedded-read-model';

describeReadModelContract('embedded (better-sqlite3)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ppl-read-model-'));
  return {
    open: (projections) => Promise.resolve(EmbeddedReadModelStore.open({ dataDir, projections })),
    dispose: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
  };
});

describe('embedded read model: query plans', () => {
  it('uses the declared expression indexes for filters and sorts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ppl-read-model-'));
    const store = EmbeddedReadModelStore.open({
      dataDir,
      projections: [
        {
          name: 'p',
          version: 1,
          collections: [{ name: 'rows', indexes: { phase: 'string', health: 'number' } }],
        },
      ],
    });
    try {
      await store.commit(
        'p',
        [{ op: 'put', collection: 'rows', id: 'a', doc: { phase: 'SHARE', health: 1 } }],
        1,
      );
      const plan = (store as unknown as { db: import('better-sqlite3').Database }).db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM "c_rows_g1" WHERE json_extract(doc, '$.phase') = ? ORDER BY json_extract(doc, '$.phase'), id`,
        )
        .all('SHARE') as { detail: string }[];
      expect(plan.map((p) => p.detail).join('\n')).toMatch(
        /USING (COVERING )?INDEX c_rows_g1__phase/,
      );
    } finally {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
