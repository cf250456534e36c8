import type { Override, StackSpec } from '../stack/types.js'
import type { Combo } from './combine.js'
import type { ResolvedBase, ResolvedStack } from './types.js'
import { formatLocation } from '../errors/envctl-error.js'
import { constrainedFramework, frameworkOfKey } from '../stack/framework-packages.js'
import { PACKAGE_NAME } from '../stack/package-names.js'

type Explain = ResolvedStack['explain']

/** " (file:line:column)" where the stack (or the user config) set `key`; "" when nothing did. */
export function where(spec: Pick<StackSpec, 'provenance'>, key: string): string {
  const loc = spec.provenance[key]
  return loc ? ` (${formatLocation(loc)})` : ''
}

/** "; overrides python.version "3.11" (built-in pytorch (stacks/pytorch.toml:10:1))": what the winning layer replaced. */
export function overrode(spec: Pick<StackSpec, 'overridden'>, match: (o: Override) => boolean): string {
  const hits = (spec.overridden ?? []).filter(match)
  return hits.length ? `; overrides ${hits.map((o) => `${o.key} ${JSON.stringify(o.value)} (${formatLocation(o.at)})`).join(', ')}` : ''
}

const onKey = (key: string) => (o: Override): boolean => o.key === key

const FRAMEWORK_DATA: Record<string, string> = { pytorch: 'data/matrix/pytorch.json', tensorflow: 'data/matrix/tensorflow.json', mxnet: 'data/matrix/mxnet.json' }

/** The constraints a framework was resolved against, each with where it was written. */
function askedFor(spec: StackSpec, framework: string): string {
  const keys = Object.keys(spec.frameworks).filter((k) => frameworkOfKey(k) === framework)
  const pins = spec.packages.pip.map((raw, i) => ({ raw, i })).filter(({ raw }) => constrainedFramework('packages.pip', raw) === framework)
  const parts = [...keys.map((k) => `"${spec.frameworks[k]}"${where(spec, `frameworks.${k}`)}`), ...pins.map(({ raw, i }) => `packages.pip[${i}] "${raw}"${where(spec, `packages.pip[${i}]`)}`)]
  return parts.join(' and ') || 'the defaults'
}

/** How each value of a Python stack was chosen, one line each, for `resolve --explain`. */
export function describeCombo(combo: Combo, spec: StackSpec): Explain {
  const out: Explain = []
  for (const p of combo.picks) {
    out.push({ key: p.framework, value: `${p.version} (${p.variant})`, because: `newest release matching ${askedFor(spec, p.framework)} with a build that fits the CUDA, python and host checks (${FRAMEWORK_DATA[p.framework] ?? 'data/matrix'}: ${p.version} ${p.variant})${overrode(spec, (o) => constrainedFramework(o.key, o.value) === p.framework)}` })
  }
  if (combo.cuda) out.push({ key: 'cuda', value: combo.cuda, because: `the newest CUDA every framework has a build for (${combo.picks.map((p) => `${p.framework}+${p.variant}`).join(', ')}) that the driver runs (data/matrix/cuda.json)${spec.gpu.cuda ? `; gpu.cuda "${spec.gpu.cuda}"${where(spec, 'gpu.cuda')}${overrode(spec, onKey('gpu.cuda'))}` : ''}` })
  const python = combo.pythonNote ?? `newest python allowed by ${spec.python?.version ? `python.version "${spec.python.version}"${where(spec, 'python.version')}` : 'the defaults'}${combo.picks.length ? ' and every framework\'s wheels' : ''}`
  out.push({ key: 'python', value: combo.python, because: `${python}${overrode(spec, onKey('python.version'))}` })
  out.push({ key: 'base', value: combo.base.image, because: combo.base.python ? `official python image for that python (data/matrix/base-images.json)` : `CUDA runtime image whose OS ships python ${combo.python} (data/matrix/cuda-images.json)` })
  return out
}

export function describeLanguage(lang: 'node' | 'java', version: string, base: ResolvedBase, spec: StackSpec): Explain {
  const asked = spec[lang]?.version
  return [
    { key: lang, value: version, because: asked ? `newest major matching ${lang}.version "${asked}"${where(spec, `${lang}.version`)} (data/matrix/languages.json)${overrode(spec, onKey(`${lang}.version`))}` : `the newest LTS major in data/matrix/languages.json` },
    { key: 'base', value: base.image, because: `official ${lang} image for that major (data/matrix/languages.json)` },
  ]
}

function listEntry(spec: StackSpec, list: 'pip' | 'apt' | 'npm' | 'maven', match: (entry: string) => boolean): string {
  const i = spec.packages[list].findIndex(match)
  return i < 0 ? `packages.${list}` : `packages.${list}[${i}]${where(spec, `packages.${list}[${i}]`)}`
}

function pipLines(spec: StackSpec, r: ResolvedStack): Explain {
  const framework = Object.keys(r.frameworks)
  return r.pip.map((p) => {
    const own = spec.packages.pip.findIndex((raw) => PACKAGE_NAME.pip(raw) === PACKAGE_NAME.pip(p.name))
    const because =
      p.reason === 'tooling' ? `notebook tooling for python ${r.python} (data/matrix/tooling.json)`
      : p.reason === 'companion' ? `pairs with the ${framework.join('/')} release chosen (${framework.map((f) => FRAMEWORK_DATA[f]).filter(Boolean).join(', ')})`
      : own >= 0 ? `packages.pip[${own}] "${spec.packages.pip[own]}"${where(spec, `packages.pip[${own}]`)}${overrode(spec, (o) => o.key === 'packages.pip' && PACKAGE_NAME.pip(String(o.value)) === PACKAGE_NAME.pip(p.name))}`
      : `the ${framework.join('/')} release chosen above`
    return { key: `pip ${p.name}`, value: p.version, because }
  })
}

/**
 * Where each value that comes straight from the stack was written: the GPU decision, packages, env, run
 * settings. Mirrors and network settings are described where they are applied (applyMirrors).
 */
export function describeInputs(spec: StackSpec, r: ResolvedStack): Explain {
  const out: Explain = [{ key: 'gpu', value: r.gpu ? 'yes' : 'no', because: `gpu.mode "${spec.gpu.mode}"${where(spec, 'gpu.mode') || ' (default)'}${spec.gpu.mode === 'auto' ? (r.gpu ? ' and the host has an NVIDIA GPU' : ' and no NVIDIA GPU planned for (or --cpu)') : ''}${overrode(spec, onKey('gpu.mode'))}` }]
  out.push(...pipLines(spec, r))
  for (const list of ['apt', 'npm', 'maven'] as const) {
    const named = PACKAGE_NAME[list]
    for (const entry of r[list]) out.push({ key: `${list} ${named(entry)}`, value: entry, because: listEntry(spec, list, (e) => named(e) === named(entry)) })
  }
  for (const k of Object.keys(r.env).sort()) out.push({ key: `env.${k}`, value: r.env[k], because: `set${where(spec, `env.${k}`) || ' in the stack'}${overrode(spec, onKey(`env.${k}`))}` })
  if (r.notebook.enabled) out.push({ key: 'notebook', value: `port ${r.notebook.port ?? 8888}`, because: `notebook.enabled${where(spec, 'notebook.enabled')}` })
  for (const [k, v] of Object.entries(r.run)) {
    const key = `run.${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`
    out.push({ key, value: typeof v === 'string' ? v : JSON.stringify(v), because: `set${where(spec, key) || ' in the stack'}${overrode(spec, onKey(key))}` })
  }
  return out
}
