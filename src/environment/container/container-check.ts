import type { ContainerInfo, ContainerSpec } from '../../engine/engine.js'
import { canonicalJson, sha256 } from '../../lock/canonical.js'
import { gpusText } from './gpus.js'

/**
 * Everything a container is created with that shapes it (image, mounts, ports, bind address, shm, ulimits,
 * command, user, env, GPUs), as one hash: a change to any of them, run-time settings alone included, is a
 * different environment. The name and the labels are left out (the labels carry this hash).
 */
export function configHash(spec: ContainerSpec): string {
  const { name: _name, labels: _labels, ...shape } = spec
  return sha256(canonicalJson(shape))
}

/**
 * What the engine reports of a container that claims to be this environment, checked against what it must
 * be: the image, each mount, its GPUs, and (while it runs) each published port. Returns what differs; empty when it
 * really is the environment.
 */
export function containerMismatches(spec: ContainerSpec, imageId: string, info: ContainerInfo): string[] {
  const out: string[] = []
  if (info.imageId !== imageId) out.push(`it runs image ${info.imageId.slice(7, 19)}, not ${imageId.slice(7, 19)}`)
  for (const m of spec.mounts ?? []) {
    const found = info.mounts.find((x) => x.target === m.target)
    if (!found || found.source !== m.source || found.type !== m.type) out.push(`${m.target} is ${found ? `${found.source}` : 'not mounted'}, not ${m.source}`)
  }
  if (gpusText(spec.gpus) !== gpusText(info.gpus)) out.push(`it has GPUs ${gpusText(info.gpus)}, not ${gpusText(spec.gpus)}`)
  if (info.running) {
    for (const p of spec.ports ?? []) {
      const proto = p.protocol ?? 'tcp'
      const found = info.ports.find((x) => x.containerPort === p.containerPort && x.protocol === proto && x.hostIp === (p.hostIp ?? '127.0.0.1'))
      if (!found || (p.hostPort && found.hostPort !== p.hostPort)) out.push(`port ${p.containerPort}/${proto} is not published on ${p.hostIp ?? '127.0.0.1'}:${p.hostPort || 'any'}`)
    }
  }
  return out
}
