// A vitest reporter that records each test file's measured time into test/support/durations.json, the table
// test/support/sequencer.ts schedules by. Use it on a full run, next to the default reporter:
//   npx vitest run --reporter=default --reporter=./test/support/durations-reporter.ts
// A file's time is vitest's own per-file figure (collect + setup + every hook and test), which includes a
// beforeAll that the JSON reporter's startTime..endTime leaves out. Files not run keep their old entry.
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { mergeDurations } from './sequencer.js';

/** Writes the measured per-file seconds of a run into the durations table (see the header). */
export default class DurationsReporter implements Reporter {
  private root = process.cwd();

  onInit(ctx: { config: { root: string } }): void {
    this.root = ctx.config.root;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const measured = new Map<string, number>();
    for (const m of testModules) {
      if (m.state() === 'skipped') continue;
      const d = m.diagnostic();
      const ms = d.collectDuration + d.setupDuration + d.duration;
      measured.set(path.relative(this.root, m.moduleId).split(path.sep).join('/'), ms / 1000);
    }
    if (measured.size === 0) return;
    mergeDurations(measured);
    console.log(`[durations] ${measured.size} test files written to test/support/durations.json`);
  }
}
