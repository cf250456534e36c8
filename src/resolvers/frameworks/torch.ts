import type { TorchRelease, TorchVariant, Matrix } from '../../matrix/types.js'
import { compareVersions, pinnedLocal, satisfiesAll } from '../pep440.js'
import { caveatsFrom, requirement, versionAllowed } from './common.js'
import type { Candidate, FrameworkRequest } from './types.js'

function localTag(variant: TorchVariant): string {
  return variant.localTag ?? ''
}

/** Whether the official commands of this era tag the companion like torch (+cu111): defaults.json torchCompanionLocalTags. */
function companionTag(matrix: Matrix, release: TorchRelease, variant: TorchVariant, pkg: 'torchvision' | 'torchaudio'): string {
  const era = matrix.defaults.torchCompanionLocalTags.find((e) => e.package === pkg && compareVersions(release.torch, e.fromTorch) >= 0 && compareVersions(release.torch, e.beforeTorch) < 0)
  return era ? localTag(variant) : ''
}

const wantsAudio = (req: FrameworkRequest): boolean => req.companions.some((c) => c.name === 'torchaudio')

function companions(matrix: Matrix, req: FrameworkRequest, release: TorchRelease, variant: TorchVariant): Candidate['requirements'] {
  const out: Candidate['requirements'] = []
  if (release.torchvision) out.push(requirement('torchvision', release.torchvision + companionTag(matrix, release, variant, 'torchvision'), 'companion'))
  if (wantsAudio(req) && release.torchaudio) out.push(requirement('torchaudio', release.torchaudio + companionTag(matrix, release, variant, 'torchaudio'), 'companion'))
  return out
}

/** What the data says about a companion installed with this release (torchaudio 2.11.1 with torch 2.13). */
function companionNotices(req: FrameworkRequest, release: TorchRelease): string[] {
  const notices = release.companionNotices ?? {}
  return [notices.torchvision, wantsAudio(req) ? notices.torchaudio : undefined].filter((n): n is string => Boolean(n))
}

function sources(variant: TorchVariant): Pick<Candidate, 'indexUrls' | 'findLinks'> {
  const url = variant.source.url
  if (!url || variant.source.kind === 'pypi') return { indexUrls: [], findLinks: [] }
  return variant.source.kind === 'find-links' ? { indexUrls: [], findLinks: [url] } : { indexUrls: [url], findLinks: [] }
}

/** The data fields a choice actually rests on: the pairing, python tags, how pip reaches the wheel, and for GPU builds the arch list. */
function usedFields(req: FrameworkRequest, variant: TorchVariant): string[] {
  const fields = ['torchvision', 'python', 'variants', 'exists', 'localTag', 'source']
  if (wantsAudio(req)) fields.push('torchaudio')
  if (variant.cuda) fields.push('archs', 'ptx', 'cudnn')
  return fields
}

function toCandidate(matrix: Matrix, req: FrameworkRequest, release: TorchRelease, variant: TorchVariant): Candidate {
  const what = `torch ${release.torch}+${variant.name}`
  return {
    framework: 'pytorch',
    version: release.torch,
    variant: variant.name,
    cuda: variant.cuda,
    cudnn: variant.cudnn ?? null,
    python: variant.python ?? release.python,
    archs: variant.archs,
    ptx: variant.ptx,
    needsSystemCuda: false,
    requirements: [requirement('torch', release.torch + localTag(variant), 'stack', req.pin?.extras), ...companions(matrix, req, release, variant)],
    ...sources(variant),
    caveats: [...companionNotices(req, release), ...caveatsFrom(what, { ...release.confidence, ...variant.confidence }, usedFields(req, variant))],
  }
}

/** A user's torchvision/torchaudio pin selects the torch releases that pair with it. */
function companionsAllow(req: FrameworkRequest, release: TorchRelease): boolean {
  return req.companions.every((c) => {
    if (!c.specifiers.length) return true
    const paired = c.name === 'torchvision' ? release.torchvision : c.name === 'torchaudio' ? release.torchaudio : null
    return paired !== null && satisfiesAll(paired, c.specifiers.map((s) => ({ ...s, version: s.version.replace(/\+.*$/, '') })))
  })
}

/** Every (release, variant) the request allows, newest release first. */
export function torchCandidates(req: FrameworkRequest, matrix: Matrix): Candidate[] {
  const local = req.pin ? pinnedLocal(req.pin) : null
  const releases = matrix.torch.releases.filter((r) => versionAllowed(req, r.torch) && companionsAllow(req, r))
  releases.sort((a, b) => compareVersions(b.torch, a.torch))
  return releases.flatMap((r) =>
    r.variants.filter((v) => !local || v.name === local || v.localTag === `+${local}`).map((v) => toCandidate(matrix, req, r, v)),
  )
}
