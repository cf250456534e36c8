/**
 * Per-test-file identity and clean-up of what a test left in the engine, by label; plus the local mirrors
 * that .ci/setup.sh serves (read from the environment its env.sh exports).
 */
import { randomBytes } from 'node:crypto'
import Docker from 'dockerode'

export const TEST_RUN_LABEL = 'dev.envctl.test-run'

// Vitest loads a fresh module graph for every test file, so this is unique per file (and per run).
const runId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`

/** Unique id of the current test file's run; use it in names and in the `dev.envctl.test-run` label. */
export function testRunId(): string {
  return runId
}

/** `dev.envctl.test-run=<id>`: the filter removeByLabel uses by default. */
export function testRunLabel(id = runId): string {
  return `${TEST_RUN_LABEL}=${id}`
}

/** The same label as an object, for createContainer/buildImage/createVolume `Labels`. */
export function testRunLabels(id = runId): Record<string, string> {
  return { [TEST_RUN_LABEL]: id }
}

export interface Removed {
  containers: number
  images: number
  volumes: number
  networks: number
}

/**
 * Force-removes containers, then images, volumes and networks carrying `label` (`key=value` or `key`).
 * Things already gone count as removed; any other failure is thrown.
 */
export async function removeByLabel(label = testRunLabel(), docker = new Docker()): Promise<Removed> {
  const filters = JSON.stringify({ label: [label] })
  const containers = await docker.listContainers({ all: true, filters })
  await Promise.all(containers.map((c) => gone(docker.getContainer(c.Id).remove({ force: true, v: true }))))
  const images = await docker.listImages({ filters })
  for (const image of images) await gone(docker.getImage(image.Id).remove({ force: true }))
  const { Volumes: volumes } = await docker.listVolumes({ filters })
  await Promise.all((volumes ?? []).map((v) => gone(docker.getVolume(v.Name).remove())))
  const networks = await docker.listNetworks({ filters })
  await Promise.all(networks.map((n) => gone(docker.getNetwork(n.Id).remove())))
  return { containers: containers.length, images: images.length, volumes: volumes?.length ?? 0, networks: networks.length }
}

/** Prefix of the folders makeWorkspace creates; a stack without `name` is named after its folder. */
export const WORKSPACE_PREFIX = 'envctl-it-'

/**
 * Removes the images envctl built for stacks named after test workspaces (no container uses them by the
 * end of a run); returns how many. An image a container still uses is left alone.
 */
export async function removeWorkspaceImages(docker = new Docker()): Promise<number> {
  const images = await docker.listImages({ filters: JSON.stringify({ label: ['dev.envctl.stack'] }) })
  const inUse = new Set((await docker.listContainers({ all: true })).map((c) => c.ImageID))
  const ours = images.filter((i) => i.Labels?.['dev.envctl.stack']?.startsWith(WORKSPACE_PREFIX) && !inUse.has(i.Id))
  let removed = 0
  for (const image of ours) {
    try {
      await docker.getImage(image.Id).remove({ force: false, noprune: false })
      removed++
    } catch (err) {
      const code = (err as { statusCode?: number }).statusCode
      if (code === 409) {
        // Several tags on one id (409: referenced by more than one): remove it tag by tag.
        for (const tag of image.RepoTags ?? []) await gone(docker.getImage(tag).remove())
        removed++
      } else if (code !== 404) throw err
    }
  }
  return removed
}

async function gone(removal: Promise<unknown>): Promise<void> {
  try {
    await removal
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode !== 404) throw err
  }
}

export interface TestMirrors {
  /** PEP 503 index with everything the stacks need (`--index-url`). */
  readonly pipIndex: string
  /** Stands in for https://download.pytorch.org/whl: `<pytorchMirror>/cpu` serves torch==2.13.0+cpu. */
  readonly pytorchMirror: string
  /** host:port of the registry that mirrors Docker Hub names (library/debian, library/python, …). */
  readonly registry: string
}

export function testMirrors(env: NodeJS.ProcessEnv = process.env): TestMirrors {
  return {
    pipIndex: env.ENVCTL_TEST_PIP_INDEX ?? 'http://127.0.0.1:8081/simple',
    pytorchMirror: env.ENVCTL_TEST_PYTORCH_MIRROR ?? 'http://127.0.0.1:8081/whl',
    registry: env.ENVCTL_TEST_REGISTRY ?? '127.0.0.1:5000',
  }
}
