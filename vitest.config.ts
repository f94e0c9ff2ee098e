import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{packages,services,lab,chaos,test}/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    // One real Postgres and one real Redis for the run; every test file takes its own database
    // and queue prefix from them, so files run in parallel without touching each other.
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
