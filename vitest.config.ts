import { defineConfig } from 'vitest/config';

// Two projects: everything that needs no external server runs files in
// parallel; the end-to-end files share one drachtio-server (which hands each
// request to any connected application), so they run one file at a time.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      { extends: true, test: { name: 'suite', include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], fileParallelism: false } },
    ],
  },
});
