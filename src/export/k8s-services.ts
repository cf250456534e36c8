import type { IStatefulSet } from 'kubernetes-models/apps/v1'
import type { IContainer, IService } from 'kubernetes-models/v1'
import { connectionEnv } from '../env-services/connect.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { ExportPlan, ExportService } from './export-plan.js'
import { k8sName, quantity } from './k8s-names.js'
import { k8sEnv, servicesSecret } from './k8s-env.js'

// Each service is its own StatefulSet (one replica, its data on a volumeClaimTemplate) behind a headless Service
// named as the service, so `db` resolves in the namespace as it does on envctl's network and in Compose: the
// stack's own [env] (MYSQL_HOST = "db") stays true. One environment per namespace, as one per Compose project.

/** A service name as a DNS-1035 label: `_` and `.` become `-`, a leading digit gets `svc-`. */
export function k8sServiceName(name: string): string {
  const dns = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-')
  return (/^[a-z]/.test(dns) ? dns : `svc-${dns}`).slice(0, 63).replace(/-+$/, '')
}

function labels(env: string, name: string): Record<string, string> {
  return { 'app.kubernetes.io/name': name, 'app.kubernetes.io/part-of': env, 'app.kubernetes.io/managed-by': 'envctl' }
}

/** The check `envctl up` waits for, as the kubelet runs it: the pod is in the Service's DNS once it passes. */
function readiness(s: ExportService): Pick<IContainer, 'readinessProbe'> {
  const command = s.plan.health.command
  return command.length ? { readinessProbe: { exec: { command }, periodSeconds: 2, timeoutSeconds: 10, failureThreshold: 3 } } : {}
}

function container(env: string, s: ExportService): IContainer {
  const c = s.plan.spec
  const data = (c.mounts ?? [])[0]
  const port = s.entry?.port
  return {
    name: 'service',
    image: c.image,
    imagePullPolicy: 'IfNotPresent',
    // A stack's `command` replaces the image's CMD, which Kubernetes calls args (command replaces the ENTRYPOINT).
    ...(c.cmd?.length ? { args: c.cmd } : {}),
    env: k8sEnv(c.env ?? {}, servicesSecret(env)),
    ...(port ? { ports: [{ name: 'service', containerPort: port, protocol: 'TCP' as const }] } : {}),
    // A fresh volume's root holds lost+found, which postgres and mysql refuse as a data folder: a sub-path is empty.
    ...(data && s.plan.volume ? { volumeMounts: [{ name: 'data', mountPath: data.target, subPath: 'data' }] } : {}),
    ...readiness(s),
    ...(c.memoryBytes ? { resources: { limits: { memory: quantity(c.memoryBytes) } } } : {}),
  }
}

function statefulSet(env: string, s: ExportService, dataSize: string): IStatefulSet {
  const name = k8sServiceName(s.plan.name)
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, labels: labels(env, name) },
    spec: {
      serviceName: name,
      replicas: 1,
      selector: { matchLabels: labels(env, name) },
      template: { metadata: { labels: labels(env, name) }, spec: { containers: [container(env, s)] } },
      ...(s.plan.volume ? { volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: dataSize } } } }] } : {}),
    },
  }
}

function headless(env: string, s: ExportService): IService {
  const name = k8sServiceName(s.plan.name)
  const port = s.entry?.port
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, labels: labels(env, name) },
    spec: { clusterIP: 'None', selector: labels(env, name), ...(port ? { ports: [{ name: 'service', port, targetPort: 'service', protocol: 'TCP' }] } : {}) },
  }
}

/** Every service's headless Service and StatefulSet; a service whose name is the environment's is refused. */
export function serviceObjects(x: ExportPlan, dataSize: string): Array<IService | IStatefulSet> {
  const env = k8sName(x.name)
  const clash = x.services.find((s) => k8sServiceName(s.plan.name) === env)
  if (clash) throw new EnvctlError('INVALID_STACK', `services.${clash.plan.name} would be the Kubernetes object "${env}", which is the environment's own name`, { hint: `rename [services.${clash.plan.name}]` })
  return x.services.flatMap((s) => [headless(env, s), statefulSet(env, s, dataSize)])
}

/**
 * What the environment gets to reach its services, hosts as the Services' DNS names; of two services setting one
 * variable, the first in start order wins, and one the stack's [env] sets is left out (as `envctl up` does).
 */
export function k8sConnectEnv(x: ExportPlan): Record<string, string> {
  const own = x.planned.plan.spec.env
  const each = x.services.map((s) => (s.entry ? connectionEnv(s.entry, k8sServiceName(s.plan.name), s.plan.spec.env ?? {}) : {}))
  const merged = Object.assign({}, ...each.reverse()) as Record<string, string>
  return Object.fromEntries(Object.entries(merged).filter(([k]) => own[k] === undefined))
}
