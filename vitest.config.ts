// Test runner settings. Tests run in forks (DuckDB's native binding is not worker-thread friendly) and
// mirror src/. Long end-to-end cases get generous timeouts; nothing here asserts on time.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
