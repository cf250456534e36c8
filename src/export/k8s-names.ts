/** A byte count as a Kubernetes quantity, in Gi or Mi when it divides evenly. */
export function quantity(bytes: number): string {
  for (const [unit, size] of [['Gi', 2 ** 30], ['Mi', 2 ** 20]] as const) if (bytes % size === 0) return `${bytes / size}${unit}`
  return String(bytes)
}

/**
 * The environment's name as a Kubernetes object name: Services need a DNS-1035 label (lower-case letters, digits
 * and `-`, starting with a letter, at most 63 characters), with room left for the `-notebook` suffix.
 */
export function k8sName(name: string): string {
  const dns = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-')
  const lettered = /^[a-z]/.test(dns) ? dns : `env-${dns}`
  return lettered.slice(0, 54).replace(/-+$/, '') || 'env'
}
