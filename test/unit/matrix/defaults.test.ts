import { describe, expect, it } from 'vitest'
import { loadMatrix } from '../../../src/matrix/load.js'
import { validateDefaults } from '../../../src/matrix/validate-defaults.js'
import type { Matrix } from '../../../src/matrix/types.js'
import { resolveStack } from '../../../src/resolvers/resolve.js'
import { cpuHost, gpuHost, spec } from '../../support/spec.js'

// Defaults and era cut-offs are data (data/matrix/defaults.json): changing the file changes the answer,
// with no code change, and every entry must say where it was read.

const osIds = (m: Matrix) => new Set(m.baseImages.os.map((o) => o.id))
const pip = (r: ReturnType<typeof resolveStack>) => Object.fromEntries(r.pip.map((p) => [p.name, p.version]))
const torch = (version: string, extra: string[] = []) => spec({ packages: { pip: [`torch==${version}`, ...extra], apt: [], npm: [], maven: [] } })
const t4Old = gpuHost('7.5', '470.82.01')

describe('defaults.json drives the resolvers', () => {
  it('the plain base of a stack without a runtime', () => {
    expect(resolveStack(spec(), loadMatrix(), cpuHost).base).toEqual({ image: 'debian:bookworm-slim', os: 'debian12', python: null })
    const m = structuredClone(loadMatrix())
    m.defaults.plainBase = { image: 'debian:trixie-slim', os: 'debian13', source: 'test' }
    expect(resolveStack(spec(), m, cpuHost).base).toEqual({ image: 'debian:trixie-slim', os: 'debian13', python: null })
  })

  it('the OS recorded for language images', () => {
    const m = structuredClone(loadMatrix())
    expect(resolveStack(spec({ node: { version: '22' } }), m, cpuHost).base.os).toBe('debian12')
    m.defaults.languageBaseOs = m.defaults.languageBaseOs.map((l) => (l.language === 'node' ? { ...l, os: 'debian13' } : l))
    expect(resolveStack(spec({ node: { version: '22' } }), m, cpuHost).base.os).toBe('debian13')
    expect(resolveStack(spec({ java: { version: '21' } }), m, cpuHost).base.os).toBe('ubuntu')
  })

  it.each([
    ['1.1.0: wheel URLs, no tags', '1.1.0', { torchvision: '0.3.0' }],
    ['1.9.0: torchvision tagged, torchaudio not', '1.9.0', { torchvision: '0.10.0+cu111', torchaudio: '0.9.0' }],
    ['1.13.1: both tagged', '1.13.1', { torchvision: '0.14.1+cu117', torchaudio: '0.13.1+cu117' }],
    ['2.1.0: the index selects, no tags', '2.1.0', { torchvision: '0.16.0', torchaudio: '2.1.0' }],
  ])('companion tags by era, %s', (_, version, expected) => {
    const r = resolveStack(torch(version, ['torchaudio']), loadMatrix(), t4Old)
    expect(pip(r)).toMatchObject(expected)
  })

  it('moving an era boundary in the data moves the answer', () => {
    const m = structuredClone(loadMatrix())
    m.defaults.torchCompanionLocalTags = m.defaults.torchCompanionLocalTags.filter((e) => e.package !== 'torchaudio')
    expect(pip(resolveStack(torch('1.13.1', ['torchaudio']), m, t4Old))).toMatchObject({ torchvision: '0.14.1+cu117', torchaudio: '0.13.1' })
  })
})

describe('validateDefaults', () => {
  it('finds nothing in the shipped file', () => {
    const m = loadMatrix()
    expect(validateDefaults(m.defaults, osIds(m))).toEqual([])
  })

  it.each<[string, (m: Matrix) => void, RegExp]>([
    ['an entry without a source', (m) => (m.defaults.torchCompanionLocalTags[0].source = ' '), /torchCompanionLocalTags\[0\] \(torchvision\) has no source/],
    ['a cut-off that is not X.Y.Z', (m) => (m.defaults.torchCompanionLocalTags[1].beforeTorch = '2.1'), /"2\.1" is not X\.Y\.Z/],
    ['a plain base on an unknown OS', (m) => (m.defaults.plainBase.os = 'debian99'), /plainBase\.os debian99 is not listed/],
    ['a plain base that is not image:tag', (m) => (m.defaults.plainBase.image = 'debian'), /is not an image:tag reference/],
    ['a language without its base OS', (m) => (m.defaults.languageBaseOs = m.defaults.languageBaseOs.filter((l) => l.language !== 'java')), /no entry for java/],
    ['a language listed twice', (m) => m.defaults.languageBaseOs.push({ ...m.defaults.languageBaseOs[0] }), /languageBaseOs language node appears more than once/],
  ])('catches %s', (_, plant, message) => {
    const m = structuredClone(loadMatrix())
    plant(m)
    const problems = validateDefaults(m.defaults, osIds(m))
    expect(problems.some((p) => message.test(p)), problems.join('\n')).toBe(true)
  })
})
