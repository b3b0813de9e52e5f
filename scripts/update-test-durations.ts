// Refresh test/support/durations.json (the longest-first schedule of test/support/sequencer.ts) from the output
// of vitest's JSON reporter:
//   npx vitest run --reporter=default --reporter=json --outputFile=/tmp/durations.json
//   npx tsx scripts/update-test-durations.ts /tmp/durations.json
// The JSON reporter times a file from its first test's start to its last test's end, so a beforeAll before the
// first test is left out (test/setup/ceremony.test.ts spends most of its time there). Prefer adding
// --reporter=./test/support/durations-reporter.ts to the run, which writes the table with vitest's full per-file
// times; this script is for a run that only has the JSON output.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { mergeDurations } from '../test/support/sequencer.js';

interface JsonReport {
  testResults?: { name: string; startTime: number; endTime: number }[];
}

const input = process.argv[2];
if (!input) {
  console.error('usage: npx tsx scripts/update-test-durations.ts <vitest JSON reporter output>');
  process.exit(2);
}
const report = JSON.parse(readFileSync(input, 'utf8')) as JsonReport;
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const measured = new Map<string, number>();
for (const r of report.testResults ?? []) {
  if (!Number.isFinite(r.startTime) || !Number.isFinite(r.endTime) || r.endTime < r.startTime) continue;
  measured.set(path.relative(root, r.name).split(path.sep).join('/'), (r.endTime - r.startTime) / 1000);
}
if (measured.size === 0) {
  console.error(`${input} has no test file results`);
  process.exit(1);
}
mergeDurations(measured);
console.log(
  `${measured.size} test files written to test/support/durations.json (beforeAll time not included)`,
);
