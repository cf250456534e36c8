import type { IStatefulSet } from 'kubernetes-models/apps/v1'
import type { IContainer, IContainerPort, IVolume, IService } from 'kubernetes-models/v1'
import type { ResolvedStack } from '../resolvers/types.js'
import type { ExportPlan } from './export-plan.js'
import { NOTEBOOK_PORT, serverFlavor, WORKSPACE } from '../notebook/server-config.js'
import { toYamlDocuments, type YamlValue } from './yaml.js'
import { sanitize } from '../environment/naming.js'
import { k8sName, quantity } from './k8s-names.js'
import { k8sConnectEnv, serviceObjects } from './k8s-services.js'
import { k8sEnv, servicesSecret } from './k8s-env.js'

export { k8sName, quantity }

// Manifests a cluster accepts as they are (apps/v1 and v1 only). They are built as kubernetes-models' typed
// interfaces, so the compiler checks every field name; the tests validate them against the OpenAPI schemas.

export interface K8sInput {
  /** The image reference the cluster pulls: a registry reference by digest (repo@sha256:…) when known. */
  image: string
  /** The workspace volume's size. */
  workspaceSize: string
  /** Each service's data volume size. */
  dataSize: string
  notebook: boolean
  /** The host user's ids, as `envctl up` runs the container with. */
  uid: number
  gid: number
}

/** The Secret the notebook reads its token from: made by the user (`kubectl create secret`), never by envctl. */
export const notebookSecret = (name: string) => `${name}-notebook`

const GPU_RESOURCE = 'nvidia.com/gpu'



function labels(x: ExportPlan): Record<string, string> {
  return { 'app.kubernetes.io/name': x.name, 'app.kubernetes.io/managed-by': 'envctl' }
}

function gpuCount(x: ExportPlan): number | null {
  if (!x.gpus) return null
  if (x.gpus.deviceIds?.length) return x.gpus.deviceIds.length
  return x.gpus.count === 'all' ? 1 : x.gpus.count
}

/** JupyterLab as the container's command: the token from the Secret (JUPYTER_TOKEN), the workspace as its root. */
function notebookCommand(r: ResolvedStack, uid: number): string[] {
  const flavor = serverFlavor(r)
  return ['jupyter', 'lab', '--no-browser', '--ip=0.0.0.0', `--port=${NOTEBOOK_PORT}`, `--${flavor.rootClass}.${flavor.rootKey}=${WORKSPACE}`, ...(uid === 0 ? ['--allow-root'] : [])]
}

function container(x: ExportPlan, input: K8sInput): IContainer {
  const c = x.container
  const gpus = gpuCount(x)
  const nb = input.notebook ? notebookCommand(x.planned.plan.resolved, input.uid) : null
  const env = k8sEnv({ ...k8sConnectEnv(x), ...c.env }, servicesSecret(x.name))
  const secretEnv = nb ? [{ name: 'JUPYTER_TOKEN', valueFrom: { secretKeyRef: { name: notebookSecret(x.name), key: 'token' } } }] : []
  const caches = (c.mounts ?? []).filter((m) => m.type === 'volume')
  return {
    name: 'env',
    image: input.image,
    imagePullPolicy: 'IfNotPresent',
    workingDir: c.workdir,
    ...(nb ? { command: nb } : {}),
    env: [...env, ...secretEnv],
    ports: [...(c.ports ?? []).map((p): IContainerPort => ({ containerPort: p.containerPort, protocol: p.protocol === 'udp' ? 'UDP' : 'TCP' })), ...(nb ? [{ name: 'notebook', containerPort: NOTEBOOK_PORT, protocol: 'TCP' as const }] : [])],
    volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE }, ...caches.map((m) => ({ name: m.source, mountPath: m.target })), { name: 'dshm', mountPath: '/dev/shm' }],
    ...(gpus ? { resources: { limits: { [GPU_RESOURCE]: String(gpus) } } } : {}),
  }
}

function volumes(x: ExportPlan): IVolume[] {
  const caches = (x.container.mounts ?? []).filter((m) => m.type === 'volume')
  const shm = x.container.shmSizeBytes
  return [...caches.map((m) => ({ name: m.source, emptyDir: {} })), { name: 'dshm', emptyDir: { medium: 'Memory', ...(shm ? { sizeLimit: quantity(shm) } : {}) } }]
}

const named = (x: ExportPlan): ExportPlan => ({ ...x, name: k8sName(x.name) })

export function statefulSet(plan: ExportPlan, input: K8sInput): IStatefulSet {
  const x = named(plan)
  const gpu = x.gpus !== null
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: x.name, labels: { ...labels(x), 'dev.envctl.stack': sanitize(x.planned.plan.resolved.stack) } },
    spec: {
      serviceName: x.name,
      replicas: 1,
      selector: { matchLabels: labels(x) },
      template: {
        metadata: { labels: labels(x) },
        spec: {
          securityContext: { runAsUser: input.uid, runAsGroup: input.gid, fsGroup: input.gid },
          containers: [container(x, input)],
          volumes: volumes(x),
          ...(gpu ? { tolerations: [{ key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' }] } : {}),
        },
      },
      volumeClaimTemplates: [{ metadata: { name: 'workspace' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: input.workspaceSize } } } }],
    },
  }
}

/** The StatefulSet's governing Service (headless), and the notebook's own Service when it is on. */
export function services(plan: ExportPlan, input: K8sInput): IService[] {
  const x = named(plan)
  const headless: IService = { apiVersion: 'v1', kind: 'Service', metadata: { name: x.name, labels: labels(x) }, spec: { clusterIP: 'None', selector: labels(x) } }
  if (!input.notebook) return [headless]
  const nb: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: `${x.name}-notebook`, labels: labels(x) },
    spec: { type: 'ClusterIP', selector: labels(x), ports: [{ name: 'notebook', port: NOTEBOOK_PORT, targetPort: 'notebook', protocol: 'TCP' }] },
  }
  return [headless, nb]
}

/** The environment's Services and StatefulSet, then each service's. */
export function k8sObjects(x: ExportPlan, input: K8sInput): Array<IStatefulSet | IService> {
  return [...services(x, input), statefulSet(x, input), ...serviceObjects(x, input.dataSize)]
}

export function renderK8s(x: ExportPlan, input: K8sInput): string {
  return toYamlDocuments(k8sObjects(x, input) as unknown as YamlValue[])
}
