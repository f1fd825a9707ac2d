// Prints the suite's closing line from vitest's JSON report: "tests: N passed, N failed".
import { readFileSync } from 'node:fs';

const file = process.argv[2];
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch {
  console.log('tests: 0 passed, 1 failed');
  console.error(`no test report at ${file}`);
  process.exit(1);
}
const failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
const failedFiles = report.testResults.filter((r) => r.status === 'failed').map((r) => r.name);
if (failedFiles.length) console.log(`failed files:\n  ${failedFiles.join('\n  ')}`);
console.log(`tests: ${report.numPassedTests} passed, ${failed} failed, ${report.numPendingTests + report.numTodoTests} skipped`);
process.exit(failed > 0 || report.numPassedTests === 0 ? 1 : 0);
