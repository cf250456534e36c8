import type { TorchRelease, TorchVariant, Matrix } from '../../matrix/types.js'
import { pinnedLocal } from '../pep440.js'
import { compareVersions } from '../pep440.js'
import { caveatsFrom, requirement, versionAllowed } from './common.js'
import type { Candidate, FrameworkRequest } from './types.js'

function localTag(variant: TorchVariant): string {
  return variant.localTag ?? ''
}

/** Before 2.1 the official commands tagged companions too (+cu111); from 2.1 the index alone selects them. */
function companionTag(release: TorchRelease, variant: TorchVariant, pkg: 'torchvision' | 'torchaudio'): string {
  if (compareVersions(release.torch, '2.1.0') >= 0 || compareVersions(release.torch, '1.2.0') < 0) return ''
  if (pkg === 'torchaudio' && compareVersions(release.torch, '1.10.0') < 0) return ''
  return localTag(variant)
}

const wantsAudio = (req: FrameworkRequest): boolean => req.companions.some((c) => c.name === 'torchaudio')

function companions(req: FrameworkRequest, release: TorchRelease, variant: TorchVariant): Candidate['requirements'] {
  const out: Candidate['requirements'] = []
  if (release.torchvision) out.push(requirement('torchvision', release.torchvision + companionTag(release, variant, 'torchvision'), 'companion'))
  if (wantsAudio(req) && release.torchaudio) out.push(requirement('torchaudio', release.torchaudio + companionTag(release, variant, 'torchaudio'), 'companion'))
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

function toCandidate(req: FrameworkRequest, release: TorchRelease, variant: TorchVariant): Candidate {
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
    requirements: [requirement('torch', release.torch + localTag(variant), 'stack', req.pin?.extras), ...companions(req, release, variant)],
    ...sources(variant),
    caveats: [...companionNotices(req, release), ...caveatsFrom(what, { ...release.confidence, ...variant.confidence }, usedFields(req, variant))],
  }
}

/** Every (release, variant) the request allows, newest release first. */
export function torchCandidates(req: FrameworkRequest, matrix: Matrix): Candidate[] {
  const local = req.pin ? pinnedLocal(req.pin) : null
  const releases = matrix.torch.releases.filter((r) => versionAllowed(req, r.torch))
  releases.sort((a, b) => compareVersions(b.torch, a.torch))
  return releases.flatMap((r) =>
    r.variants.filter((v) => !local || v.name === local || v.localTag === `+${local}`).map((v) => toCandidate(req, r, v)),
  )
}
