import type { CudaImageTag, CudaImagesMatrix, CudaMatrix } from './types.js'
import { ARCH_TARGET, MAJOR_MINOR, badEntries, duplicateProblems } from './validate-rules.js'

const FULL_VERSION = /^\d+\.\d+\.\d+$/

export function validateCuda(m: CudaMatrix): string[] {
  const problems = [...duplicateProblems('cuda.json', 'toolkit', m.toolkits.map((t) => t.version)), ...duplicateProblems('cuda.json', 'family', m.families.map((f) => String(f.major)))]
  for (const t of m.toolkits) if (!FULL_VERSION.test(t.version)) problems.push(`cuda.json: toolkit "${t.version}" is not X.Y.Z`)
  for (const c of m.archChanges) {
    const where = `cuda.json: archChanges ${c.cuda}`
    problems.push(...badEntries(where, 'adds', c.adds, ARCH_TARGET), ...badEntries(where, 'removes', c.removes, ARCH_TARGET), ...badEntries(where, 'deprecates', c.deprecates, ARCH_TARGET))
    if (c.minArch && !MAJOR_MINOR.test(c.minArch)) problems.push(`${where}: minArch "${c.minArch}" is not major.minor`)
  }
  for (const [gpu, cc] of Object.entries(m.gpuNames ?? {})) if (!MAJOR_MINOR.test(cc)) problems.push(`cuda.json: gpuNames ${gpu} = "${cc}" is not major.minor`)
  return problems
}

/** The tag must spell out its own fields: "<cuda>-[cudnnN-]<flavor>-<os>". */
function tagProblems(t: CudaImageTag, osIds: Set<string>): string[] {
  const where = `cuda-images.json: ${t.tag}`
  const problems: string[] = []
  if (!t.tag.startsWith(`${t.cuda}-`) || !t.tag.endsWith(`-${t.flavor}-${t.os}`)) problems.push(`${where}: tag does not match its cuda, flavor and os fields`)
  if (/-cudnn\d*-/.test(t.tag) !== (t.cudnn !== null)) problems.push(`${where}: cudnn ${t.cudnn} does not match the tag`)
  if (t.status === 'deleted' && !t.rebuildFrom) problems.push(`${where}: deleted tag has no rebuildFrom`)
  if (!osIds.has(t.os)) problems.push(`${where}: os ${t.os} is not in base-images.json`)
  return problems
}

export function validateCudaImages(m: CudaImagesMatrix, osIds: Set<string>): string[] {
  return [...duplicateProblems('cuda-images.json', 'tag', m.tags.map((t) => t.tag)), ...m.tags.flatMap((t) => tagProblems(t, osIds))]
}
