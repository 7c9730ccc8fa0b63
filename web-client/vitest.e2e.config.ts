import { defineConfig } from 'vitest/config';

// End-to-end tests: the real server and Debian's Chromium. One file at a time, bounded in time.
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
