import { defineConfig } from 'vitest/config';

// Property-based fuzzing (fast-check): `npm run test:fuzz`. Kept out of the default run.
export default defineConfig({
  test: {
    include: ['test/**/*.fuzz.test.ts'],
    testTimeout: 600_000,
    pool: 'forks',
  },
});
