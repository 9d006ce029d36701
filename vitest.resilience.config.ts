import { defineConfig } from 'vitest/config';

/**
 * Crash and outage safety (`npm run test:resilience`): servers started, killed and restarted as
 * separate processes, one file at a time so that their timings do not disturb each other.
 */
export default defineConfig({
  test: {
    include: ['tests/resilience/**/*.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
