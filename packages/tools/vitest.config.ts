import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // The memory test needs `global.gc`; forks give each file its own process and flags.
    pool: 'forks',
    execArgv: ['--expose-gc'],
    // MCP tests spawn real server processes; vitest's 5 s default is too short on a loaded machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      exclude: ['src/**/*.test.ts', 'src/**/index.ts', 'src/**/__fixtures__/**'],
      reporter: ['text-summary', 'text', 'json-summary'],
      thresholds: { lines: 80, branches: 80, functions: 80, statements: 80 },
    },
  },
});
