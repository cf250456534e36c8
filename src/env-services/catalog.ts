import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { PACKAGE_ROOT } from '../package-root.js'

/** What envctl knows about one kind of service (data/services/catalog.json). */
export interface CatalogEntry {
  /** Image repositories that are this service, without tag or registry mirror. */
  repositories: string[]
  /** Data path inside the container, or "none". */
  data: string
  healthcheck: string[]
  env: Record<string, string>
  /** Variables envctl generates per environment and service when the stack does not set them (passwords). */
  secrets?: string[]
  /** The port it listens on, for the docs and connection hints. */
  port: number
  /** Variables the environment gets to reach it: {host} is the service's name, {VAR} a variable of the service. */
  connect: Record<string, string>
  /** Limits it needs to start (-1: unlimited). */
  ulimits?: { memlock?: number; nofile?: number }
  /** Seconds to wait for it to be healthy, when more than the default. */
  timeout?: number
  needs: string
  source: string
}

export interface ServiceCatalog {
  services: Record<string, CatalogEntry>
}

let cached: ServiceCatalog | undefined

/** Reads data/services/catalog.json once. */
export function loadServiceCatalog(root = PACKAGE_ROOT): ServiceCatalog {
  if (root === PACKAGE_ROOT && cached) return cached
  const catalog = JSON.parse(readFileSync(join(root, 'data', 'services', 'catalog.json'), 'utf8')) as ServiceCatalog
  if (root === PACKAGE_ROOT) cached = catalog
  return catalog
}

/** "127.0.0.1:5000/library/postgres:16@sha256:…" → "library/postgres"; a registry host is one with a dot, colon or "localhost". */
export function repositoryOf(image: string): string {
  const noDigest = image.split('@')[0]!
  const slash = noDigest.lastIndexOf('/')
  const colon = noDigest.lastIndexOf(':')
  const noTag = colon > slash ? noDigest.slice(0, colon) : noDigest
  const parts = noTag.split('/')
  if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!) && !noTag.startsWith('docker.elastic.co/')) parts.shift()
  return parts.join('/')
}

/** The catalog's entry for an image, by its repository; null for an image envctl does not know. */
export function catalogEntryFor(catalog: ServiceCatalog, image: string): { kind: string; entry: CatalogEntry } | null {
  const repo = repositoryOf(image)
  for (const [kind, entry] of Object.entries(catalog.services)) {
    if (entry.repositories.includes(repo)) return { kind, entry }
  }
  return null
}
