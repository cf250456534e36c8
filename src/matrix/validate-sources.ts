import type { ConfidenceMap, Matrix, SourceIds } from './types.js'

/** The source id for facts read nowhere; a record resting only on it must say its facts are unconfirmed. */
export const GENERAL_KNOWLEDGE = 'GENERAL'

interface SourcedRecord {
  sources?: SourceIds
  confidence?: ConfidenceMap
}

/** Every list of records in the data, with how each record is named in a problem. */
function recordLists(m: Matrix): Array<[string, SourcedRecord[], (r: never) => string]> {
  return [
    ['pytorch.json torch', m.torch.releases, (r: { torch: string }) => r.torch],
    ['pytorch.json variant', m.torch.releases.flatMap((r) => r.variants.map((v) => ({ ...v, label: `${r.torch}+${v.name}` }))), (v: { label: string }) => v.label],
    ['tensorflow.json', m.tensorflow.releases, (r: { minor: string }) => r.minor],
    ['tensorflow.json unavailable', m.tensorflow.releases.flatMap((r) => r.unavailable ?? []), (u: { version: string }) => u.version],
    ['mxnet.json', m.mxnet.packages, (p: { package: string; versions: string[] }) => `${p.package} [${p.versions.join(', ')}]`],
    ['cuda.json toolkit', m.cuda.toolkits, (t: { version: string }) => t.version],
    ['cuda.json family', m.cuda.families, (f: { major: number }) => String(f.major)],
    ['cuda.json archChanges', m.cuda.archChanges, (c: { cuda: string }) => c.cuda],
    ['cuda-images.json', m.cudaImages.tags, (t: { tag: string }) => t.tag],
    ['cuda-images.json flavor', m.cudaImages.flavors, (f: { flavor: string }) => f.flavor],
    ['base-images.json os', m.baseImages.os, (o: { id: string }) => o.id],
    ['base-images.json python', m.baseImages.python, (p: { image: string }) => p.image],
    ['languages.json node', m.languages.node, (n: { major: number }) => String(n.major)],
    ['languages.json java', m.languages.java, (j: { major: number }) => String(j.major)],
    ['languages.json buildTools', m.languages.buildTools, (b: { name: string }) => b.name],
    ['tooling.json notebook', m.tooling.notebook, (t: { python: string }) => t.python],
  ] as Array<[string, SourcedRecord[], (r: never) => string]>
}

function recordProblems(where: string, r: SourcedRecord, known: Set<string>): string[] {
  const ids = r.sources ?? []
  if (!ids.length) return [`${where}: has no sources (name the ids of index.json sources it was read in)`]
  const problems = ids.filter((id) => !known.has(id)).map((id) => `${where}: source ${id} is not in index.json`)
  const general = ids.every((id) => id === GENERAL_KNOWLEDGE)
  if (general && !Object.values(r.confidence ?? {}).includes('unconfirmed')) problems.push(`${where}: rests on general knowledge only but marks nothing unconfirmed`)
  return problems
}

/** Every record names where its facts come from, by ids that index.json lists. */
export function validateSources(m: Matrix): string[] {
  const known = new Set(Object.keys(m.index.sources))
  const lists = recordLists(m).flatMap(([what, records, name]) => records.map((r) => recordProblems(`${what} ${name(r as never)}`, r, known)).flat())
  const gpuNames = m.cuda.gpuNames && !(m.cuda.gpuNamesSources ?? []).length ? ['cuda.json: gpuNames has no gpuNamesSources'] : []
  return [...lists, ...gpuNames]
}
