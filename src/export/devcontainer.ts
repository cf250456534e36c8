import type { ExportPlan } from './export-plan.js'

// devcontainer.json substitutes `${localEnv:…}`, `${localWorkspaceFolder}` and the like in its strings; the
// workspace mount uses that on purpose, so the file works from any clone. Values from the stack are written
// as they are: a literal `${` in an env value would be read as a variable (the CLI has no escape for it).

function runArgs(x: ExportPlan): string[] {
  const c = x.container
  const ports = (c.ports ?? []).map((p) => `--publish=${p.hostIp ?? '127.0.0.1'}:${p.hostPort ?? ''}:${p.containerPort}/${p.protocol ?? 'tcp'}`)
  const ulimits = (c.ulimits ?? []).map((u) => `--ulimit=${u.name}=${u.soft}:${u.hard}`)
  const gpus = x.gpus ? [`--gpus=${x.gpus.deviceIds?.length ? `"device=${x.gpus.deviceIds.join(',')}"` : x.gpus.count}`] : []
  const labels = Object.entries(c.labels ?? {}).map(([k, v]) => `--label=${k}=${v}`)
  return [`--hostname=${c.hostname}`, `--shm-size=${c.shmSizeBytes}`, ...ulimits, ...gpus, ...ports, ...labels]
}

/**
 * .devcontainer/devcontainer.json for the image `envctl up` builds (run `envctl build` first): the workspace
 * at /workspace, the same uid:gid, caches, ports on 127.0.0.1, shm, ulimits and GPUs as `docker run` flags.
 * The image is used as it is: the CLI's updateRemoteUserUID would build a derived image per user, which
 * envctl avoids by running as the host's uid:gid directly.
 */
export function renderDevcontainer(x: ExportPlan): string {
  const c = x.container
  const mounts = (c.mounts ?? []).filter((m) => m.target !== '/workspace').map((m) => `source=${m.source},target=${m.target},type=${m.type}${m.readOnly ? ',readonly' : ''}`)
  const doc = {
    name: x.name,
    image: c.image,
    workspaceMount: 'source=${localWorkspaceFolder},target=/workspace,type=bind',
    workspaceFolder: '/workspace',
    containerUser: c.user,
    remoteUser: c.user,
    init: c.init ?? false,
    updateRemoteUserUID: false,
    containerEnv: Object.fromEntries(Object.entries(c.env ?? {}).sort(([a], [b]) => a.localeCompare(b))),
    mounts,
    runArgs: runArgs(x),
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}

/** The Compose file a devcontainer.json with services names, beside it in .devcontainer/. */
export const DEVCONTAINER_COMPOSE = 'compose.yaml'

/**
 * With services, the dev container is the environment's service in the Compose file beside it
 * (DEVCONTAINER_COMPOSE): the CLI starts the services first, health-ordered as Compose's depends_on says, and
 * attaches to the environment. Mounts, user, ports, shm, ulimits and GPUs are in the Compose file.
 */
export function renderDevcontainerCompose(x: ExportPlan): string {
  const doc = {
    name: x.name,
    dockerComposeFile: DEVCONTAINER_COMPOSE,
    service: x.name,
    runServices: [...x.services.map((s) => s.plan.name), x.name],
    workspaceFolder: '/workspace',
    remoteUser: x.container.user,
    updateRemoteUserUID: false,
    shutdownAction: 'stopCompose',
  }
  return `${JSON.stringify(doc, null, 2)}\n`
}
