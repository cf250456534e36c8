import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 600_000,
    pool: 'forks',
    reporters: ['default'],
    // Every test file gets its own HOME, XDG folders and DOCKER_CONFIG (test/support/isolated-env.ts).
    setupFiles: ['test/support/isolate-setup.ts'],
    projects: [
      // Command tests run bin/run.js → dist/: fresh-dist rebuilds it first when src/ is newer.
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/command/**/*.test.ts'],
          globalSetup: ['test/support/fresh-dist.ts', 'test/support/isolation-base.ts'],
        },
      },
      // One engine, two cores: integration files run one after another so builds do not fight.
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/fresh-dist.ts', 'test/support/isolation-base.ts', 'test/integration/support/preflight.ts'],
          fileParallelism: false,
          testTimeout: 900_000,
        },
      },
    ],
  },
})
