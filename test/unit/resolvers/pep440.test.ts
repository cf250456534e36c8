import { describe, it, expect } from 'vitest'
import { compareVersions, matchesSpecifier, parseRequirement, pinnedLocal, pinnedVersion } from '../../../src/resolvers/pep440.js'

describe('parseRequirement', () => {
  it.each([
    ['torch==2.0.1+cu118', 'torch', [], [{ op: '==', version: '2.0.1+cu118' }]],
    ['numpy>=1.26', 'numpy', [], [{ op: '>=', version: '1.26' }]],
    ['tensorflow[and-cuda]==2.15.*', 'tensorflow', ['and-cuda'], [{ op: '==', version: '2.15.*' }]],
    ['Opencv_Python.Headless', 'opencv-python-headless', [], []],
    ['requests >= 2, < 3', 'requests', [], [{ op: '>=', version: '2' }, { op: '<', version: '3' }]],
  ])('%s', (raw, name, extras, specifiers) => {
    const r = parseRequirement(raw)!
    expect(r.name).toBe(name)
    expect(r.extras).toEqual(extras)
    expect(r.specifiers).toEqual(specifiers)
  })

  it('rejects what is not a requirement', () => {
    expect(parseRequirement('torch==2.0; rm -rf /')?.marker).toBe('rm -rf /')
    expect(parseRequirement('$(id)')).toBeNull()
    expect(parseRequirement('torch=>2')).toBeNull()
  })

  it('reads pinned versions and local labels', () => {
    const r = parseRequirement('torch==2.0.1+cu118')!
    expect(pinnedVersion(r)).toBe('2.0.1')
    expect(pinnedLocal(r)).toBe('cu118')
    expect(pinnedVersion(parseRequirement('torch>=2')!)).toBeNull()
  })
})

describe('version matching (PEP 440)', () => {
  it.each([
    ['2.0.1+cu118', '==', '2.0.1', true],
    ['2.0.1', '==', '2.0.1+cu118', false],
    ['2.0.1+cu118', '==', '2.0.1+cu117', false],
    ['2.15.1', '==', '2.15.*', true],
    ['2.16.0', '==', '2.15.*', false],
    ['2.3.4', '~=', '2.3', true],
    ['3.0.0', '~=', '2.3', false],
    ['2.4.0', '~=', '2.3.1', false],
    ['1.26.4', '>=', '1.26', true],
    ['2.0.0rc1', '<', '2.0.0', true],
    ['1.10.0', '>', '1.9.1', true],
    ['0.4.1.post2', '>', '0.4.1', true],
    ['2.1.0', '!=', '2.1.0', false],
  ])('%s %s %s → %s', (v, op, want, expected) => {
    expect(matchesSpecifier(v, { op: op as '==', version: want })).toBe(expected)
  })

  it('orders versions numerically', () => {
    const sorted = ['1.10.0', '1.9.1', '2.0.0', '0.4.1', '2.0.0rc1'].sort(compareVersions)
    expect(sorted).toEqual(['0.4.1', '1.9.1', '1.10.0', '2.0.0rc1', '2.0.0'])
  })
})
