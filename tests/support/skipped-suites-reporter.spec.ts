import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { skippedReport } = require('./skipped-suites-reporter.js') as {
  skippedReport: (results: unknown, rootDir: string) => string;
};

const root = '/repo';
const file = (path: string, tests: { title: string; status: string }[]) => ({
  testFilePath: join(root, path),
  testResults: tests.map((t) => ({ ...t, fullName: t.title })),
});

describe('the skipped-suites reporter', () => {
  it('names every skipped test with its file, so a suite that did not run is seen', () => {
    const report = skippedReport(
      {
        testResults: [
          file('libs/read-model/src/mongodb/mongodb-read-model.int.spec.ts', [
            { title: 'SKIPPED: MongoDB read-model contract suite — set MONGODB_URL=… to run it', status: 'pending' },
          ]),
          file('libs/domain/src/x.spec.ts', [{ title: 'runs', status: 'passed' }]),
          file('libs/audit/src/y.int.spec.ts', [{ title: 'later', status: 'todo' }]),
        ],
      },
      root,
    );
    expect(report).toContain('NOT RUN: 2 tests were skipped');
    expect(report).toContain(
      'libs/read-model/src/mongodb/mongodb-read-model.int.spec.ts: SKIPPED: MongoDB read-model contract suite — set MONGODB_URL=… to run it',
    );
    expect(report).toContain('libs/audit/src/y.int.spec.ts: later');
    expect(report).not.toContain('x.spec.ts');
  });

  it('says nothing when every test ran', () => {
    expect(skippedReport({ testResults: [file('a.spec.ts', [{ title: 'a', status: 'passed' }, { title: 'b', status: 'failed' }])] }, root)).toBe('');
  });
});
