import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  // One graphql module, as under Node and in the bundles: Vite would give our code graphql's ESM
  // build while yoga, loaded by Node, gets the CommonJS one, and graphql-js refuses a schema
  // made by the other (the direct path executes yoga's schema).
  resolve: { alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }] },
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/lint-fixtures/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // UI assertions wait for the app, not for a fixed second: CI machines are busy.
    expect: { poll: { timeout: 15_000, interval: 50 } },
  },
});
