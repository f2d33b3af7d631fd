// Prints one plain closing line from vitest's JSON report: "Tests: N passed, N failed, N skipped".
import { existsSync, readFileSync } from 'node:fs'

const file = 'test-results/vitest.json'
if (!existsSync(file)) {
  console.log('Tests: 0 passed, 1 failed (no test report: the run stopped before the tests)')
  process.exit(0)
}
const r = JSON.parse(readFileSync(file, 'utf8'))
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
console.log(`Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`)
