import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Load the built core-api with Node itself, as any consumer of the package would (vite would
    // otherwise transform it and hand it the ESM copy of graphql beside graphql-yoga's CJS one).
    server: { deps: { external: [/packages\/core-api\/dist\//, /@taskbase\/core-api/] } },
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // One database per worker, shared by the files it runs (every test registers its own workspace).
    isolate: false,
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test' },
  },
});
