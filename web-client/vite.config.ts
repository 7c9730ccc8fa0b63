/// <reference types="vitest/config" />
import { defineConfig } from 'vite';

// The server serves dist/ at its root and sends index.html for the client's own routes
// (/join/CODE, /facilitate/CODE, /present/CODE, /new), so assets use absolute /assets/ paths.
export default defineConfig({
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: false,
    chunkSizeWarningLimit: 200,
  },
  server: {
    // `npm run dev` against a running `quorum serve` on :8080.
    // The server accepts WebSocket upgrades only from its own pages (Origin "self"), so the
    // proxied upgrade says it comes from there.
    proxy: {
      '/ws': { target: 'ws://127.0.0.1:8080', ws: true, headers: { origin: 'http://127.0.0.1:8080' } },
      '/api': 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    environment: 'node',
  },
});
