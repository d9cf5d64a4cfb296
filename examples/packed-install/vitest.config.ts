import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Load the built core-api with Node itself, as any consumer would.
    server: { deps: { external: [/@taskbase\/core-api/, /packages\/core-api\/dist\//] } },
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
