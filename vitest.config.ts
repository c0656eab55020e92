import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Three tiers (STYLE.md §11): unit tests beside the code, integration tests that start the real
// app (run once per database dialect, see scripts/test.ts), and browser tests in e2e/.
const alias = { '@common': fileURLToPath(new URL('./common', import.meta.url)) };

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
