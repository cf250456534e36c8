/**
 * Vitest globalSetup: one folder per run that holds every test file's HOME, XDG folders and DOCKER_CONFIG
 * (isolated-env.ts), removed when the run ends, even for files whose tests were all skipped (vitest runs no
 * hooks there, so a file cannot clean up after itself).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    isolationBase: string
  }
}

export default function setup(project: TestProject): () => void {
  const base = mkdtempSync(join(tmpdir(), 'envctl-test-homes-'))
  // Each user's folder below is private; this one only lets them reach it.
  chmodSync(base, 0o755)
  project.provide('isolationBase', base)
  return () => rmSync(base, { recursive: true, force: true })
}
