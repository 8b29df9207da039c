import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources (the "@longhaul/source" export
// condition), so tests never run against a stale build.
const resolve = { conditions: ['@longhaul/source'] };

export default defineConfig({
  resolve,
  ssr: { resolve: { conditions: ['@longhaul/source'], externalConditions: ['@longhaul/source'] } },
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          include: [
            'libs/*/src/**/*.test.ts',
            'services/*/src/**/*.test.ts',
            'deploy/local/src/**/*.test.ts',
            'bench/src/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 10_000,
        },
      },
      {
        resolve,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // One shared stack: suites run one after another, each on its own topics and database.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
