import { defineConfig } from 'vitest/config';

// End-to-end: the production build in real headless Chromium against a real core-api.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
