import { defineConfig } from 'vitest/config';

export default defineConfig({
  // graphql ships ESM (.mjs) and CJS without an exports map: vite would hand our code the ESM copy
  // while graphql-yoga (external) loads the CJS one, and graphql refuses types from "another realm".
  resolve: { alias: { graphql: 'graphql/index.js' } },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/conformance-setup.ts'],
    pool: 'forks',
    // One database per worker, shared by the files it runs: every test
    // registers its own workspace, so tests cannot see each other's data.
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test' },
  },
});
