import type { StackSpec } from '../stack/types.js'
import type { Combo } from './combine.js'
import type { ResolvedBase, ResolvedStack } from './types.js'

type Explain = ResolvedStack['explain']

function where(spec: StackSpec, key: string): string {
  const loc = spec.provenance[key]
  return loc ? ` (${loc.file}${loc.line ? `:${loc.line}` : ''})` : ''
}

/** How each value of a Python stack was chosen, one line each, for `resolve --explain`. */
export function describeCombo(combo: Combo, spec: StackSpec): Explain {
  const out: Explain = []
  for (const p of combo.picks) {
    const key = `frameworks.${p.framework}`
    const asked = spec.frameworks[p.framework] ?? spec.frameworks[p.framework === 'pytorch' ? 'torch' : p.framework]
    out.push({ key: p.framework, value: `${p.version} (${p.variant})`, because: `newest release matching ${asked ? `"${asked}"${where(spec, key)}` : 'the pip pin'} with a build that fits the CUDA, python and host checks` })
  }
  if (combo.cuda) out.push({ key: 'cuda', value: combo.cuda, because: `the newest CUDA every framework has a build for (${combo.picks.map((p) => `${p.framework}+${p.variant}`).join(', ')})` })
  out.push({ key: 'python', value: combo.python, because: `newest python allowed by ${spec.python?.version ? `python.version "${spec.python.version}"${where(spec, 'python.version')}` : 'the defaults'}${combo.picks.length ? ' and every framework\'s wheels' : ''}` })
  out.push({ key: 'base', value: combo.base.image, because: combo.base.python ? 'official python image for that python' : `CUDA runtime image whose OS ships python ${combo.python}` })
  return out
}

export function describeLanguage(lang: 'node' | 'java', version: string, base: ResolvedBase): Explain {
  return [
    { key: lang, value: version, because: `${lang}.version in the stack, or the newest LTS in the data` },
    { key: 'base', value: base.image, because: `official ${lang} image for that major` },
  ]
}
