import { defineConfig } from 'vitest/config';
import DurationSequencer from './test/support/sequencer.js';

// The default run: everything but the property-based fuzzing (tagged `*.fuzz.test.ts`, see vitest.fuzz.config.ts).
// Global setup: dist/ rebuilt when older than src/ (CLI tests spawn the compiled bin), then the dev keys.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/package/build-dist.ts', 'test/global-setup.ts'],
    exclude: ['test/**/*.fuzz.test.ts', 'node_modules/**'],
    testTimeout: 300_000,
    hookTimeout: 900_000,
    pool: 'forks',
    maxWorkers: 2,
    // Slowest files first, from the committed table test/support/durations.json (a fresh clone has no
    // vitest results cache): the two forks then finish close together.
    sequence: { sequencer: DurationSequencer },
  },
});
