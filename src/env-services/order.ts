import { EnvctlError, type Problem, type SourceLocation } from '../errors/envctl-error.js'
import { formatKeyPath } from '../stack/key-path.js'
import type { ServiceSpec } from '../stack/types.js'

/**
 * Services in start order: each after everything in its depends_on, ties by name so the order is stable.
 * An unknown name or a cycle is an INVALID_STACK naming where depends_on was written.
 */
export function startOrder(services: Record<string, ServiceSpec>, provenance: Record<string, SourceLocation>): string[] {
  const names = Object.keys(services).sort()
  const problems: Problem[] = []
  for (const name of names) {
    ;(services[name]!.dependsOn ?? []).forEach((dep, i) => {
      if (!services[dep]) problems.push(at(provenance, name, i, `services.${name}.depends_on names \`${dep}\`, which is not a service here (services: ${names.join(', ')})`))
      if (dep === name) problems.push(at(provenance, name, i, `services.${name} depends on itself`))
    })
  }
  if (problems.length) throw new EnvctlError('INVALID_STACK', 'services.*.depends_on is not right', { problems })
  const done: string[] = []
  const visiting = new Set<string>()
  const visit = (name: string, chain: string[]): void => {
    if (done.includes(name)) return
    if (visiting.has(name)) {
      throw new EnvctlError('INVALID_STACK', `services depend on each other in a cycle: ${[...chain, name].join(' → ')}`, {
        problems: [at(provenance, chain[0]!, 0, 'the cycle starts here')],
        hint: 'remove one of the depends_on entries in the cycle',
      })
    }
    visiting.add(name)
    for (const dep of [...(services[name]!.dependsOn ?? [])].sort()) if (dep !== name) visit(dep, [...chain, name])
    visiting.delete(name)
    done.push(name)
  }
  for (const name of names) visit(name, [])
  return done
}

function at(provenance: Record<string, SourceLocation>, service: string, i: number, message: string): Problem {
  const location = provenance[formatKeyPath(['services', service, 'depends_on', i])] ?? provenance[formatKeyPath(['services', service, 'depends_on'])]
  return { message, ...(location ? { location } : {}) }
}
