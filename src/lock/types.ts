import type { ResolvedStack } from '../resolvers/types.js'

export const LOCK_FILE = 'envctl.lock'
export const LOCK_VERSION = 1

export type VariantName = 'cpu' | 'gpu'

/** What a lock keeps of a resolution: everything that decides the image, nothing personal (mirrors, proxies). */
export type LockedResolution = Omit<ResolvedStack, 'explain' | 'warnings' | 'mirrors' | 'network' | 'locked'>

/**
 * Filled in after the first build: what is really installed, so that every machine installs exactly that.
 * One table per package manager, keyed by package name (one line per package in a diff); the pip details
 * are parallel tables keyed the same way, holding only the packages they apply to.
 */
export interface InstalledSet {
  /** Every pip package installed (PEP 503 names) → version. */
  pip: Record<string, string>
  /** pip package → sha256 of the file installed, where the index gave one. */
  pipSha256?: Record<string, string>
  /** pip package → why it has no hash (installed from a folder, a VCS, an index without hashes). */
  pipUnhashed?: Record<string, string>
  /** pip package → the direct reference it came from (PEP 610), for packages not from an index. */
  pipUrl?: Record<string, string>
  /**
   * pip packages installed in the framework layer → "framework", in the tooling layer (JupyterLab) →
   * "tooling"; every other one is in the user layer. Locks written before the tooling layer have no
   * "tooling" entries: their tooling installs in the user layer, as it did when they were written.
   */
  pipLayer?: Record<string, 'framework' | 'tooling'>
  /** Debian packages the apt step added or changed (not the base image's own) → version. */
  apt: Record<string, string>
  /** Global npm packages the stack asked for → version. */
  npm?: Record<string, string>
  /** Names the next build re-resolves: released by `envctl lock --upgrade NAME` or by a stack change. */
  unpinned?: string[]
}

export interface LockedVariant {
  resolution: LockedResolution
  /** Base image digest the build used ("sha256:…"), so a moved tag cannot change it. */
  baseDigest?: string
  /** Why there is no baseDigest (the image came from a local store without a registry digest). */
  baseDigestAbsent?: string
  installed?: InstalledSet
}

export interface LockFile {
  lockVersion: number
  envctl: string
  matrix: string
  stack: string
  /** sha256 of the stack inputs that decide the resolution (not mirrors or proxies). */
  inputs: string
  /**
   * Git sources the stack extends: source (`git+URL#REF`) → commit. A later resolve reads that exact commit
   * even when the ref has moved; `envctl lock --upgrade` moves it.
   */
  sources?: Record<string, string>
  variants: Partial<Record<VariantName, LockedVariant>>
  /** [services.NAME] → the image as written and the digest it was pulled at; a later up runs that digest. */
  services?: Record<string, LockedService>
}

/** A service's image pinned like the base image: the next up runs this digest while `image` is unchanged. */
export interface LockedService {
  image: string
  digest: string
}
