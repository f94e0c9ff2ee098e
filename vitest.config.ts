import { defineConfig } from 'vitest/config';

const sources = '{packages,services,lab,chaos,training,console,test,bench}/**';

export default defineConfig({
  test: {
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          // Runs in seconds with no database: pure logic, static checks of files, and tools run
          // as binaries (promtool, amtool). `npm run test:unit`.
          name: 'unit',
          include: [`${sources}/*.test.ts`],
          exclude: ['**/node_modules/**', '**/*.int.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          // Real Postgres, Redis, Toxiproxy, Prometheus, k6 and whole labs.
          name: 'integration',
          include: [`${sources}/*.int.test.ts`],
          // One real Postgres and one real Redis for the run; every test file takes its own database
          // and queue prefix from them, so files run in parallel without touching each other.
          globalSetup: ['test/global-setup.ts'],
          // Real servers, alerts on Prometheus' own clock and whole labs on a shared 2-core machine:
          // a test that fails is run once more before it counts as failed, and vitest's report
          // marks it as retried, so a flaky test stays visible rather than silently passing.
          retry: 1,
          testTimeout: 30_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
