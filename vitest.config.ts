import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // DuckDB and ONNX Runtime are native addons: separate processes are the safe isolation.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { DOTENV_CONFIG_QUIET: 'true' },
  },
});
