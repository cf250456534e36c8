import { mirroredRef, repoOf } from '../environment/image/image.js'

const DIGEST = /^sha256:[a-f0-9]{64}$/

/** A repository as the engine names it in full: "python" is docker.io/library/python. */
function fullRepo(repo: string): string {
  const first = repo.split('/')[0]!
  const hasRegistry = repo.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
  if (hasRegistry) return repo
  return `docker.io/${repo.includes('/') ? repo : `library/${repo}`}`
}

/**
 * The base image's digest from the engine's RepoDigests: under its own repository, or the same repository
 * on a registry mirror (the engine's own Docker Hub mirrors, or [mirrors] registry), since a mirror serves
 * the upstream manifests unchanged. Undefined when the image has no such digest (built or loaded locally):
 * a digest is never made up.
 */
export function pickBaseDigest(image: string, repoDigests: string[], mirrors: string[]): string | undefined {
  const repo = repoOf(image)
  const own = fullRepo(repo)
  const viaMirror = new Set(mirrors.map((m) => fullRepo(mirroredRef(repo, m))))
  const found = repoDigests
    .map((rd) => rd.split('@') as [string, string | undefined])
    .filter(([r, d]) => d !== undefined && DIGEST.test(d) && (fullRepo(r) === own || viaMirror.has(fullRepo(r))))
    .sort(([a], [b]) => Number(fullRepo(b) === own) - Number(fullRepo(a) === own))
  return found[0]?.[1]
}
