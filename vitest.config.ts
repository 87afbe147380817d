import { defineConfig } from 'vitest/config';

/**
 * Three tiers (see docs/architecture.md):
 *   unit   tests/unit   pure functions, no database and no child process; seconds (`npm run test:unit`)
 *   stage  tests/stage  one stage against a small database built once by tests/stage/global-setup.ts
 *   e2e    tests/e2e    the CLI as users run it, kill -9, two processes, the browser, the notebooks
 * `npm test` runs all three.
 */
export default defineConfig({
  test: {
    // DuckDB and ONNX Runtime are native addons: separate processes are the safe isolation.
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { DOTENV_CONFIG_QUIET: 'true' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 30_000 } },
      { extends: true, test: { name: 'stage', include: ['tests/stage/**/*.test.ts'], globalSetup: ['tests/stage/global-setup.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['tests/e2e/**/*.test.ts'] } },
    ],
  },
});
