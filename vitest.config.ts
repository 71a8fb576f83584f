import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Dependencies loaded by Node (Pothos, yoga, codegen) get graphql's CommonJS build; Vite would
    // give our sources the .mjs build. One copy only, or schemas cross "realms".
    alias: { graphql: require.resolve('graphql') },
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Each file starts its own simulators and server on ephemeral loopback ports.
    pool: 'forks',
  },
});
