import type { ResolvedStack } from '../resolvers/types.js'
import { pipContextFiles } from './python.js'

/**
 * The files the Dockerfile mounts from the build context, keyed by path, as pure a function of the
 * resolution as the Dockerfile itself: together they name the image. (A CA bundle is the host's file and
 * is added by the service that builds.)
 */
export function renderContextFiles(r: ResolvedStack): Record<string, string> {
  return pipContextFiles(r)
}
