// Reads vitest's JSON report, prints one plain closing line, and exits non-zero when anything failed.
// A file whose setup failed (beforeAll, import, hook) fails the run too; vitest lists its tests as
// "skipped", but nobody chose to skip them: they are counted as not run, never as skipped.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage : node .ci/test-summary.mjs <rapport-json-de-vitest>');
  process.exit(2);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const failedFiles = report.testResults.filter((suite) => suite.status === 'failed');
const brokenFiles = failedFiles.filter((suite) => suite.assertionResults.every((test) => test.status !== 'failed'));
const notRun = brokenFiles.flatMap((suite) =>
  suite.assertionResults.filter((test) => test.status === 'skipped' || test.status === 'pending'),
).length;
const skipped = report.numPendingTests + report.numTodoTests - notRun;

let line = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`;
if (brokenFiles.length)
  line += `; ${brokenFiles.length} file(s) failed outside any test (setup, import or hook), ${notRun} test(s) not run`;
console.log(line);
// A failed describe-level hook leaves no message in the JSON report: the runner's output has it.
for (const suite of brokenFiles)
  console.log(`  FAILED ${suite.name}: ${(suite.message || 'see the error above in the output').split('\n')[0]}`);

const failed =
  !report.success ||
  report.numFailedTests > 0 ||
  report.numFailedTestSuites > 0 ||
  (report.numRuntimeErrorCount ?? 0) > 0 ||
  failedFiles.length > 0;
process.exit(failed ? 1 : 0);
