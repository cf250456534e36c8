import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // Integration tests share one engine; files run one after another so builds do not fight for 2 cores.
    fileParallelism: true,
    reporters: ['default'],
  },
})
