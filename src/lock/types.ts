import type { ResolvedStack } from '../resolvers/types.js'

export const LOCK_FILE = 'envctl.lock'
export const LOCK_VERSION = 1

export type VariantName = 'cpu' | 'gpu'

/** What a lock keeps of a resolution: everything that decides the image, nothing personal (mirrors, proxies). */
export type LockedResolution = Omit<ResolvedStack, 'explain' | 'warnings' | 'mirrors' | 'network'>

/** Filled in after the first build: what is really installed, so that every machine installs exactly that. */
export interface InstalledSet {
  pip: Record<string, string>
  apt: Record<string, string>
  npm?: Record<string, string>
}

export interface LockedVariant {
  resolution: LockedResolution
  /** Base image digest the build used ("sha256:…"), so a moved tag cannot change it. */
  baseDigest?: string
  installed?: InstalledSet
}

export interface LockFile {
  lockVersion: number
  envctl: string
  matrix: string
  stack: string
  /** sha256 of the stack inputs that decide the resolution (not mirrors or proxies). */
  inputs: string
  variants: Partial<Record<VariantName, LockedVariant>>
}
