import type { ServicePlan } from '../env-services/plan.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { ExportPlan } from './export-plan.js'
import { port, sortedEnv } from './compose-fields.js'
import type { YamlValue } from './yaml.js'

/** How often Compose runs a service's check; `retries` failures in a row make it unhealthy. */
const HEALTH_INTERVAL_S = 2

/** A service's data volume in the Compose file: project-scoped, so `docker-compose down -v` removes it. */
export const composeDataVolume = (service: string): string => `${service}-data`

/**
 * The check `envctl up` runs, as Compose runs it: exec form, unhealthy once it has failed for the service's
 * timeout. Without a check (an image envctl does not know, or `command = []`) the image's own HEALTHCHECK
 * applies, which Compose reads from the image; the renderer cannot know whether it has one.
 */
function healthcheck(s: ServicePlan): YamlValue | undefined {
  if (!s.health.command.length) return undefined
  const retries = Math.max(3, Math.ceil(s.health.timeoutS / HEALTH_INTERVAL_S))
  return { test: ['CMD', ...s.health.command], interval: `${HEALTH_INTERVAL_S}s`, timeout: '10s', retries }
}

/**
 * Health-ordered start (docker-compose 1.27+ and Compose v2 read the long form): a service with a check is
 * waited for until healthy; one without a check of envctl's only until started, since `service_healthy` on an
 * image without a HEALTHCHECK fails the whole `up`.
 */
export function dependsOnServices(deps: ServicePlan[]): YamlValue | undefined {
  if (!deps.length) return undefined
  return Object.fromEntries(deps.map((s) => [s.name, { condition: s.health.command.length ? 'service_healthy' : 'service_started' }]))
}

function ulimits(s: ServicePlan): YamlValue | undefined {
  const u = s.spec.ulimits ?? []
  return u.length ? Object.fromEntries(u.map((l) => [l.name, { soft: l.soft, hard: l.hard }])) : undefined
}

function service(s: ServicePlan, all: ServicePlan[]): Record<string, YamlValue | undefined> {
  const c = s.spec
  const data = (c.mounts ?? [])[0]
  return {
    image: c.image,
    ...(c.cmd?.length ? { command: c.cmd } : {}),
    // As `up` runs it: a server that is PID 1 without a SIGTERM handler would make every stop wait 10 s.
    init: true,
    environment: sortedEnv(c.env ?? {}),
    volumes: data && s.volume ? [{ type: 'volume', source: composeDataVolume(s.name), target: data.target }] : undefined,
    ports: c.ports?.length ? c.ports.map(port) : undefined,
    ulimits: ulimits(s),
    mem_limit: c.memoryBytes,
    healthcheck: healthcheck(s),
    depends_on: dependsOnServices(all.filter((d) => s.dependsOn.includes(d.name))),
  }
}

/** The stack's services as Compose services, in start order; a name the environment uses is refused. */
export function composeServices(x: ExportPlan): Record<string, YamlValue> {
  const plans = x.services.map((s) => s.plan)
  const clash = plans.find((s) => s.name === x.name)
  if (clash) {
    throw new EnvctlError('INVALID_STACK', `services.${clash.name} has the environment's own name: in a Compose file both would be the service "${x.name}"`, {
      hint: `rename [services.${clash.name}] (and the host names that point at it)`,
    })
  }
  return Object.fromEntries(plans.map((s) => [s.name, service(s, plans) as YamlValue]))
}

/** Top-level `volumes:` entries for the services' data. */
export function dataVolumes(x: ExportPlan): Array<readonly [string, YamlValue]> {
  return x.services.filter((s) => s.plan.volume).map((s) => [composeDataVolume(s.plan.name), {}] as const)
}
