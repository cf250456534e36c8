import type { SourceLocation } from '../errors/envctl-error.js'
import type { Override } from './merge.js'

export type { Override }

export type GpuMode = 'auto' | 'required' | 'none'
export type JavaBuild = 'maven' | 'gradle'

/** Mirrors and network settings; all optional. Applies to the build and the running environment. */
export interface MirrorsSpec {
  pip?: string
  pipExtra?: string[]
  /** Trust these hosts for pip (needed for plain-http indexes that pip should cache from). */
  pipTrustedHosts?: string[]
  /** Flat folders or pages of wheels (pip --find-links). */
  pipFindLinks?: string[]
  /** Mirror of https://download.pytorch.org/whl: "<mirror>/cu121" replaces ".../whl/cu121". */
  pytorch?: string
  apt?: string
  npm?: string
  maven?: string
  registry?: string
}

export interface NetworkSpec {
  httpProxy?: string
  httpsProxy?: string
  noProxy?: string
  /**
   * PEM CA bundle on the host, trusted by every download step of the build and mounted into the running
   * environment. Written relative to the file that sets it; absolute after loading.
   */
  caBundle?: string
  /** Keep the CA in the final image. Off by default: it is used during the build only. */
  caInImage?: boolean
  /** Build RUN steps with host networking (reach a mirror on 127.0.0.1). */
  buildNetwork?: 'default' | 'host'
}

export interface RunSpec {
  shmSize?: string
  /** "PORT" or "HOST:CONTAINER" as in `docker run -p`; bound to 127.0.0.1 unless `bind` says otherwise. */
  ports?: string[]
  bind?: string
  ulimits?: { memlock?: number; stack?: number }
  command?: string[]
}

/** One [services.NAME] table as written (merged); the catalog fills in what it leaves out (src/env-services). */
export interface ServiceSpec {
  image?: string
  env?: Record<string, string>
  command?: string[]
  ports?: string[]
  data?: string
  ulimits?: { memlock?: number; nofile?: number }
  memory?: string
  dependsOn?: string[]
  healthcheck?: { command?: string[]; timeout?: number }
}

export interface NotebookSpec {
  enabled: boolean
  port?: number
}

/**
 * A stack after parsing, `extends` resolution and merging, before version resolution.
 * Keys mirror the TOML file (snake_case in TOML is mapped to camelCase here by the loader).
 */
export interface StackSpec {
  name: string
  description?: string
  /** Where the stack came from, for messages: built-in name or file path. */
  origin: string
  /** Files merged into this spec, base first (absolute paths). */
  chain: string[]
  /**
   * Folder of the top stack file (absolute): where envctl.lock lives and what relative paths in the file
   * (network.ca_bundle) are relative to. Absent when a built-in stack is used directly.
   */
  dir?: string
  /** What the top file extends, as written there (built-in name, relative path or git source). */
  extends?: string
  /** Git sources the chain extends: source key (`git+URL#REF`) → the commit that was read. */
  sources?: Record<string, string>
  /** The user config merged below the stack files (absolute path), when there was one. */
  userConfig?: string
  /**
   * `preference` is set when python.version was inherited from a layer farther than a framework pin: the
   * resolver then lets python follow the frameworks when they have no wheels for it (docs/STACK-FILE.md).
   */
  python?: { version?: string; preference?: boolean }
  frameworks: Record<string, string>
  packages: { pip: string[]; apt: string[]; npm: string[]; maven: string[] }
  node?: { version?: string }
  java?: { version?: string; build?: JavaBuild }
  gpu: { mode: GpuMode; cuda?: string }
  notebook: NotebookSpec
  env: Record<string, string>
  mirrors: MirrorsSpec
  network: NetworkSpec
  run: RunSpec
  base?: { image?: string }
  /** `workspace = "remote:/path"` (or `[workspace] path`): /workspace is that folder on the engine's host. */
  workspace?: string
  /** `[workspace] exclude`: .gitignore patterns the upload to a remote engine's volume leaves out. */
  workspaceExclude: string[]
  /** Services beside the environment, by name. */
  services: Record<string, ServiceSpec>
  /**
   * Where each key path was set (last writer wins), for error messages and `resolve --explain`. Keys are
   * TOML key paths as formatKeyPath writes them (`gpu.mode`, `mirrors.pip_extra`, `env."MY VAR"`); list
   * elements are `packages.pip[2]` by their index in the merged list.
   */
  provenance: Record<string, SourceLocation>
  /** Inherited values a nearer layer replaced (merge order), for `resolve --explain`. */
  overridden?: Override[]
}
