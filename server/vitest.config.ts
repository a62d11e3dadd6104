import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files run in parallel, each on its own database or schema.
    pool: 'forks',
    maxWorkers: 2,
    // Tests run in a random order within each file, so a test that leans on rows another test
    // wrote fails here rather than by luck later. vitest prints the seed ("Running tests with
    // seed N"); replay a failure with --sequence.seed=N. Files keep the scheduler's order.
    sequence: { shuffle: { files: false, tests: true } },
  },
});
