import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Three tiers (STYLE.md §11): unit tests beside the code, integration tests that start the real
// app (run once per database dialect, see scripts/test.ts), and browser tests in e2e/. The web
// app's unit tests are their own project (`web`: jsdom, React, the SPA's import aliases); the
// unit suite runs both (`npm run test:unit`).
const alias = { '@common': fileURLToPath(new URL('./common', import.meta.url)) };
const webAlias = [
  { find: '@common', replacement: alias['@common'] },
  { find: /^@\//, replacement: `${fileURLToPath(new URL('./web/src', import.meta.url))}/` },
];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['common/**/*.test.ts', 'server/src/**/*.test.ts', 'pve-sim/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      {
        plugins: [react()],
        resolve: { alias: webAlias },
        test: {
          name: 'web',
          include: ['web/src/**/*.test.{ts,tsx}'],
          setupFiles: ['web/src/testing/setup.ts'],
          environment: 'jsdom',
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          setupFiles: ['test/setup/secrets-scan.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['e2e/**/*.e2e.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
