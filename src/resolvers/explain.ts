import type { StackSpec } from '../stack/types.js'
import type { Combo } from './combine.js'
import type { ResolvedBase, ResolvedStack } from './types.js'
import { PACKAGE_NAME } from '../stack/package-names.js'

type Explain = ResolvedStack['explain']

/** " (file:line)" where the stack (or the user config) set `key`; "" when nothing did. */
export function where(spec: Pick<StackSpec, 'provenance'>, key: string): string {
  const loc = spec.provenance[key]
  return loc ? ` (${loc.file}${loc.line ? `:${loc.line}` : ''})` : ''
}

const FRAMEWORK_DATA: Record<string, string> = { pytorch: 'data/matrix/pytorch.json', tensorflow: 'data/matrix/tensorflow.json', mxnet: 'data/matrix/mxnet.json' }

/** How each value of a Python stack was chosen, one line each, for `resolve --explain`. */
export function describeCombo(combo: Combo, spec: StackSpec): Explain {
  const out: Explain = []
  for (const p of combo.picks) {
    const key = `frameworks.${p.framework}`
    const asked = spec.frameworks[p.framework] ?? spec.frameworks[p.framework === 'pytorch' ? 'torch' : p.framework]
    out.push({ key: p.framework, value: `${p.version} (${p.variant})`, because: `newest release matching ${asked ? `"${asked}"${where(spec, key)}` : 'the pip pin'} with a build that fits the CUDA, python and host checks (${FRAMEWORK_DATA[p.framework] ?? 'data/matrix'}: ${p.version} ${p.variant})` })
  }
  if (combo.cuda) out.push({ key: 'cuda', value: combo.cuda, because: `the newest CUDA every framework has a build for (${combo.picks.map((p) => `${p.framework}+${p.variant}`).join(', ')}) that the driver runs (data/matrix/cuda.json)${spec.gpu.cuda ? `; gpu.cuda "${spec.gpu.cuda}"${where(spec, 'gpu.cuda')}` : ''}` })
  out.push({ key: 'python', value: combo.python, because: `newest python allowed by ${spec.python?.version ? `python.version "${spec.python.version}"${where(spec, 'python.version')}` : 'the defaults'}${combo.picks.length ? ' and every framework\'s wheels' : ''}` })
  out.push({ key: 'base', value: combo.base.image, because: combo.base.python ? `official python image for that python (data/matrix/base-images.json)` : `CUDA runtime image whose OS ships python ${combo.python} (data/matrix/cuda-images.json)` })
  return out
}

export function describeLanguage(lang: 'node' | 'java', version: string, base: ResolvedBase, spec: StackSpec): Explain {
  const asked = spec[lang]?.version
  return [
    { key: lang, value: version, because: asked ? `newest major matching ${lang}.version "${asked}"${where(spec, `${lang}.version`)} (data/matrix/languages.json)` : `the newest LTS major in data/matrix/languages.json` },
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
      : own >= 0 ? `packages.pip[${own}] "${spec.packages.pip[own]}"${where(spec, `packages.pip[${own}]`)}`
      : `the ${framework.join('/')} release chosen above`
    return { key: `pip ${p.name}`, value: p.version, because }
  })
}

/**
 * Where each value that comes straight from the stack was written: the GPU decision, packages, env, run
 * settings. Mirrors and network settings are described where they are applied (applyMirrors).
 */
export function describeInputs(spec: StackSpec, r: ResolvedStack): Explain {
  const out: Explain = [{ key: 'gpu', value: r.gpu ? 'yes' : 'no', because: `gpu.mode "${spec.gpu.mode}"${where(spec, 'gpu.mode') || ' (default)'}${spec.gpu.mode === 'auto' ? (r.gpu ? ' and the host has an NVIDIA GPU' : ' and no NVIDIA GPU planned for (or --cpu)') : ''}` }]
  out.push(...pipLines(spec, r))
  for (const list of ['apt', 'npm', 'maven'] as const) {
    const named = PACKAGE_NAME[list]
    for (const entry of r[list]) out.push({ key: `${list} ${named(entry)}`, value: entry, because: listEntry(spec, list, (e) => named(e) === named(entry)) })
  }
  for (const k of Object.keys(r.env).sort()) out.push({ key: `env.${k}`, value: r.env[k], because: `set${where(spec, `env.${k}`) || ' in the stack'}` })
  if (r.notebook.enabled) out.push({ key: 'notebook', value: `port ${r.notebook.port ?? 8888}`, because: `notebook.enabled${where(spec, 'notebook.enabled')}` })
  for (const [k, v] of Object.entries(r.run)) {
    const key = `run.${k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`
    out.push({ key, value: typeof v === 'string' ? v : JSON.stringify(v), because: `set${where(spec, key) || ' in the stack'}` })
  }
  return out
}
