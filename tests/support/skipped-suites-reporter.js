// A Jest reporter: after the run, names every test that did not run (skipped, todo) with its
// file, in a banner on stderr. Jest prints nothing of a suite whose tests are all skipped, so
// the scale-out suites (EventStoreDB, MongoDB), which skip themselves without their server's
// URL and say how to run them in their titles, would otherwise pass by unseen.
const { relative } = require('node:path');

const NOT_RUN = new Set(['pending', 'skipped', 'todo', 'disabled']);

/** The banner for a run's results (Jest's AggregatedResult), or '' when every test ran. */
function skippedReport(results, rootDir) {
  const lines = [];
  for (const file of results.testResults ?? []) {
    for (const test of file.testResults ?? []) {
      if (NOT_RUN.has(test.status)) lines.push(`!!  ${relative(rootDir, file.testFilePath)}: ${test.title}`);
    }
  }
  if (lines.length === 0) return '';
  const rule = '!'.repeat(78);
  const count = lines.length === 1 ? '1 test was' : `${lines.length} tests were`;
  return [rule, `!! NOT RUN: ${count} skipped. What they test is NOT tested by this run:`, ...lines, rule].join('\n') + '\n';
}

class SkippedSuitesReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const report = skippedReport(results, this.rootDir);
    if (report) process.stderr.write(`\n${report}`);
  }
}

module.exports = SkippedSuitesReporter;
module.exports.skippedReport = skippedReport;
