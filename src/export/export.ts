import { mkdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import type { Plan } from '../project/plan.js'
import { writeFileAtomicSync } from '../files/atomic-write.js'
import { exportPlan, type ExportInput, type ExportKind, type ExportPlan } from './export-plan.js'
import { renderCompose } from './compose.js'
import { DEVCONTAINER_COMPOSE, renderDevcontainer, renderDevcontainerCompose } from './devcontainer.js'
import { renderK8s } from './k8s.js'
import { k8sName } from './k8s-names.js'
import { servicesSecret } from './k8s-env.js'
import { writeSecretFile } from './secret-file.js'
import type { SecretFileEntry } from './secret-values.js'

export const EXPORT_KINDS: ExportKind[] = ['compose', 'devcontainer', 'k8s']

export interface ExportRequest extends ExportInput {
  kind: ExportKind
  /** Where the file goes (-o), or null for stdout; relative paths in the export are relative to its folder. */
  output: string | null
  cwd: string
  /** k8s: the image as the cluster pulls it (default: the local tag, which a cluster cannot pull). */
  image?: string
  /** k8s: JupyterLab as the container's command and a Service for it (default: as the stack says). */
  notebook?: boolean
  workspaceSize?: string
  /** k8s: size of each service's data volume claim. */
  dataSize?: string
  /** envctl's state folder: the passwords `envctl up` keeps for this environment fill the env file first. */
  stateDir?: string
}

/** The services' generated passwords: the export names them, the env file beside it (0600) holds them. */
export interface ExportSecrets {
  /** The variables the export reads (DB_MYSQL_ROOT_PASSWORD, …). */
  variables: string[]
  /** The env file -o wrote them to, as -o names paths; null without -o or without passwords. */
  file: string | null
  /** Where each value in it came from (never the value). */
  entries: SecretFileEntry[]
  /** k8s: the Secret the manifests read them from, and the command that makes it from the file. */
  secret: string | null
  command: string | null
}

export interface ExportResult {
  kind: ExportKind
  /** The environment's name, as `envctl up` names it. */
  name: string
  /** The image `envctl build` makes for this plan: build it before using the export. */
  image: string
  content: string
  path: string | null
  /** Files the export needs beside it (a devcontainer with services: its Compose file), written with it. */
  companions: Companion[]
  secrets: ExportSecrets
  warnings: string[]
}

export interface Companion {
  /** As -o names the export: relative to the working folder, or absolute. */
  path: string
  content: string
}

interface Rendered {
  content: string
  warnings: string[]
  companions: Companion[]
}

/** A path as Compose reads a relative bind source: from the file's folder, starting with `.`. */
function composeRef(from: string, to: string): string {
  const rel = relative(from, to)
  return rel === '' ? '.' : rel.startsWith('..') ? rel : `./${rel}`
}

/** With services, the Compose file beside devcontainer.json (in .devcontainer/ when printed), its paths from there. */
function renderDevcontainerKind(x: ExportPlan, req: ExportRequest): Rendered {
  if (!x.services.length) return { content: renderDevcontainer(x), warnings: [], companions: [] }
  const path = join(req.output ? dirname(req.output) : '.devcontainer', DEVCONTAINER_COMPOSE)
  const compose = renderCompose(x, { workspaceRef: composeRef(dirname(resolve(req.cwd, path)), req.workspace) })
  return { content: renderDevcontainerCompose(x), warnings: [], companions: [{ path, content: compose }] }
}

function render(x: ExportPlan, req: ExportRequest, notebook: boolean): Rendered {
  const dir = req.output ? dirname(resolve(req.cwd, req.output)) : req.cwd
  if (req.kind === 'compose') return { content: renderCompose(x, { workspaceRef: composeRef(dir, req.workspace) }), warnings: [], companions: [] }
  if (req.kind === 'devcontainer') return renderDevcontainerKind(x, req)
  const image = req.image ?? x.planned.tag
  const warnings = req.image ? [] : [`the manifests name the local tag ${image}, which a cluster cannot pull: push the image and export again with --image REGISTRY/NAME@sha256:DIGEST`]
  const limited = [...(x.container.ulimits?.length ? [`${x.container.ulimits.map((u) => u.name).join(', ')}`] : []), ...x.services.filter((s) => s.plan.spec.ulimits?.length).map((s) => `${s.plan.spec.ulimits!.map((u) => u.name).join(', ')} of ${s.plan.name}`)]
  if (limited.length) warnings.push(`Kubernetes has no per-container ulimits: ${limited.join('; ')} come from the node's container runtime`)
  return { content: renderK8s(x, { image, workspaceSize: req.workspaceSize ?? '20Gi', dataSize: req.dataSize ?? '10Gi', notebook, uid: req.uid, gid: req.gid }), warnings, companions: [] }
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true })
  writeFileAtomicSync(path, content)
}

/** What the export of the stack's services cannot carry over, said once. */
function serviceWarnings(x: ExportPlan, kind: ExportKind): string[] {
  const unchecked = x.services.filter((s) => !s.plan.health.command.length).map((s) => s.plan.name)
  if (!unchecked.length || kind === 'k8s') return []
  return [`${unchecked.join(', ')}: no health check in the catalog or the stack, so the environment waits only for ${unchecked.length > 1 ? 'them' : 'it'} to start (set [services.NAME] healthcheck to wait for ready)`]
}

/** Where -o's env file goes: .env beside a Compose file (Compose reads it from the file's folder), NAME-secrets.env for k8s. */
function secretFilePath(x: ExportPlan, req: ExportRequest, output: string): string {
  return join(dirname(output), req.kind === 'k8s' ? `${servicesSecret(k8sName(x.name))}.env` : '.env')
}

function secretsOf(x: ExportPlan, req: ExportRequest): ExportSecrets {
  const variables = x.secrets.map((s) => s.variable)
  const secret = req.kind === 'k8s' && variables.length ? servicesSecret(k8sName(x.name)) : null
  if (!req.output || !variables.length) return { variables, file: null, entries: [], secret, command: null }
  const file = secretFilePath(x, req, req.output)
  const { entries } = writeSecretFile(resolve(req.cwd, file), x.secrets, req.stateDir, x.upContainer)
  return { variables, file, entries, secret, command: secret ? `kubectl create secret generic ${secret} --from-env-file=${file}` : null }
}

/** The plan `envctl up` uses, rendered for another tool; written to -o when given. */
export function exportEnvironment(p: Plan, req: ExportRequest): ExportResult {
  return exportFrom(exportPlan(p, req), p, req)
}

/** The export of a plan already made (publish.ts pushes its image first). */
export function exportFrom(x: ExportPlan, p: Plan, req: ExportRequest): ExportResult {
  const notebook = req.kind === 'k8s' && (req.notebook ?? p.resolved.notebook.enabled)
  const { content, warnings, companions } = render(x, req, notebook)
  // The passwords first: an export is never on disk naming variables its env file does not have.
  const secrets = secretsOf(x, req)
  if (req.output) {
    for (const f of [...companions, { path: req.output, content }]) write(resolve(req.cwd, f.path), f.content)
  }
  return { kind: req.kind, name: x.name, image: x.planned.tag, content, path: req.output, companions, secrets, warnings: [...x.warnings, ...warnings, ...serviceWarnings(x, req.kind)] }
}
