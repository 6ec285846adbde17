// Reads vitest's JSON report, prints one plain closing line, and exits non-zero when anything failed:
// a failed test, and also a file whose setup failed (its tests ran not, yet that is no "skip").
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage : node .ci/test-summary.mjs <rapport-json-de-vitest>');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const failedSuites = report.testResults.filter((suite) => suite.status === 'failed');
const brokenSuites = failedSuites.filter((suite) => suite.assertionResults.every((test) => test.status !== 'failed'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped` +
  (brokenSuites.length ? `; ${brokenSuites.length} file(s) failed outside any test (setup, import or hook)` : ''));
for (const suite of brokenSuites) console.log(`  FAILED ${suite.name}: ${(suite.message || 'no message').split('\n')[0]}`);
const failed = report.numFailedTests > 0 || report.numFailedTestSuites > 0 || (report.numRuntimeErrorCount ?? 0) > 0 || failedSuites.length > 0 || !report.success;
process.exit(failed ? 1 : 0);
