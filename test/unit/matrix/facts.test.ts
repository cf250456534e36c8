import { describe, it, expect } from 'vitest'
import { loadMatrix } from '../../../src/matrix/load.js'

const m = loadMatrix()

function release(version: string) {
  const r = m.torch.releases.find((x) => x.torch === version)
  if (!r) throw new Error(`torch ${version} missing`)
  return r
}

function variant(version: string, name: string) {
  const v = release(version).variants.find((x) => x.name === name)
  if (!v) throw new Error(`torch ${version}+${name} missing`)
  return v
}

describe('torch facts (matrix-facts §1)', () => {
  it('covers every release from 0.4.1 to 2.14.1, oldest first', () => {
    const versions = m.torch.releases.map((r) => r.torch)
    expect(versions[0]).toBe('0.4.1')
    expect(versions[1]).toBe('0.4.1.post2')
    expect(versions.at(-1)).toBe('2.14.1')
    expect(versions).toContain('2.12.1')
    expect(versions).toHaveLength(54)
  })

  it.each([
    ['0.4.1', '0.2.1', null],
    ['1.7.0', '0.8.1', '0.7.0'],
    ['1.8.2', '0.9.2', '0.8.2'],
    ['2.0.0', '0.15.1', '2.0.1'],
    ['2.3.1', '0.18.1', '2.3.1'],
    ['2.11.0', '0.26.0', '2.11.0'],
    ['2.12.1', '0.27.1', '2.11.1'],
    ['2.13.0', '0.28.0', '2.11.1'],
    ['2.14.1', '0.29.1', '2.11.1'],
  ])('torch %s pairs torchvision %s and torchaudio %s', (torch, vision, audio) => {
    expect(release(torch)).toMatchObject({ torchvision: vision, torchaudio: audio })
  })

  it.each([
    ['0.4.1', ['cu80', 'cu90', 'cu92', 'cpu']],
    ['1.0.1', ['cu90', 'cu100', 'cpu']],
    ['2.0.1', ['cu117', 'cu118', 'cpu']],
    ['2.7.0', ['cu118', 'cu126', 'cu128', 'cpu']],
    ['2.8.0', ['cu126', 'cu128', 'cu129', 'cpu']],
    ['2.12.0', ['cu126', 'cu130', 'cu132', 'cpu']],
  ])('torch %s has variants %j', (torch, names) => {
    expect(release(torch).variants.map((v) => v.name)).toEqual(names)
  })

  it.each([
    ['2.0.1', 'cu117', '9.0', false],
    ['2.0.1', 'cu118', '9.0', true],
    ['1.10.1', 'cu102', '7.5', false],
    ['1.10.1', 'cu113', '8.6', true],
    ['2.7.0', 'cu118', '12.0', false],
    ['2.7.0', 'cu128', '12.0', true],
    ['2.8.0', 'cu128', '6.0', false],
    ['2.8.0', 'cu126', '6.0', true],
    ['2.11.0', 'cu128', '7.0', false],
    ['2.11.0', 'cu126', '7.0', true],
  ])('torch %s+%s native kernels for sm %s: %s', (torch, name, arch, has) => {
    expect(variant(torch, name).archs?.includes(arch)).toBe(has)
  })

  it.each([
    ['2.0.1', 'cu118', '8.7.0.84'],
    ['2.1.0', 'cu121', '8.9.2.26'],
    ['2.6.0', 'cu126', '9.5.1.17'],
    ['2.7.1', 'cu128', '9.7.1.26'],
    ['2.14.1', 'cu130', '9.24.0.43'],
  ])('torch %s+%s bundles cuDNN %s', (torch, name, cudnn) => {
    expect(variant(torch, name).cudnn).toBe(cudnn)
  })

  it.each([
    ['0.4.1', 'cu90', 'find-links', 'https://download.pytorch.org/whl/cu90/torch_stable.html', null],
    ['1.7.0', 'cu110', 'find-links', 'https://download.pytorch.org/whl/torch_stable.html', '+cu110'],
    ['1.7.0', 'cu102', 'pypi', undefined, null],
    ['1.8.2', 'cu111', 'extra-index-url', 'https://download.pytorch.org/whl/lts/1.8/cu111', '+cu111'],
    ['1.12.1', 'cu116', 'extra-index-url', 'https://download.pytorch.org/whl/cu116', '+cu116'],
    ['2.1.0', 'cu121', 'index-url', 'https://download.pytorch.org/whl/cu121', '+cu121'],
    ['2.14.1', 'cpu', 'index-url', 'https://download.pytorch.org/whl/cpu', '+cpu'],
  ])('torch %s+%s comes from %s %s with local tag %s', (torch, name, kind, url, tag) => {
    const v = variant(torch, name)
    expect(v.source).toEqual(url ? { kind, url } : { kind })
    expect(v.localTag).toBe(tag)
  })

  it.each([
    ['1.4.0', '2.7', true],
    ['1.5.0', '2.7', false],
    ['2.0.1', '3.12', false],
    ['2.4.0', '3.12', true],
    ['2.9.0', '3.9', false],
    ['2.13.0', '3.15', true],
  ])('torch %s python %s: %s', (torch, py, has) => {
    expect(release(torch).python.includes(py)).toBe(has)
  })

  it.each([
    ['1.2.0', 'cu100'],
    ['1.13.1', 'cu117'],
    ['2.0.1', 'cu117'],
    ['2.10.0', 'cu128'],
    ['2.11.0', 'cu130'],
    ['2.12.0', 'cu130'],
    ['2.14.1', 'cu130'],
  ])('torch %s from PyPI is the %s build', (torch, name) => {
    expect(release(torch).pypiVariant).toBe(name)
  })
})

describe('tensorflow facts (matrix-facts §2)', () => {
  function row(minor: string) {
    return m.tensorflow.releases.find((r) => r.minor === minor)!
  }

  it('has one row per minor from 1.0 to 2.21', () => {
    expect(m.tensorflow.releases.map((r) => r.minor)).toHaveLength(38)
    expect(row('1.0').tested).toBe('1.0.0')
    expect(row('2.21').tested).toBe('2.21.0')
  })

  it.each([
    ['1.0', '1.0.0', '8.0', '5.1', 'tensorflow-gpu', 'tensorflow', false],
    ['1.12', '1.12.0', '9.0', '7.2', 'tensorflow-gpu', 'tensorflow', false],
    ['1.13', '1.13.1', '10.0', '7.4', 'tensorflow-gpu', 'tensorflow', false],
    ['2.0', '2.0.0', '10.0', '7.4', 'tensorflow-gpu', 'tensorflow', false],
    ['2.1', '2.1.0', '10.1', '7.6', 'tensorflow', 'tensorflow-cpu', false],
    ['2.13', '2.13.0', '11.8', '8.6', 'tensorflow', 'tensorflow-cpu', false],
    ['2.14', '2.14.0', '11.8', '8.7', 'tensorflow[and-cuda]', 'tensorflow-cpu', true],
    ['2.15', '2.15.0', '12.2', '8.9', 'tensorflow[and-cuda]', 'tensorflow-cpu', true],
    ['2.16', '2.16.1', '12.3', '8.9', 'tensorflow[and-cuda]', 'tensorflow-cpu', true],
    ['2.21', '2.21.0', '12.5', '9.3', 'tensorflow[and-cuda]', 'tensorflow-cpu', true],
  ])('TF %s (tested %s): CUDA %s, cuDNN %s, %s / %s, pip CUDA %s', (minor, tested, cuda, cudnn, gpu, cpu, bundles) => {
    expect(row(minor)).toMatchObject({ tested, cuda, cudnn, gpuPackage: gpu, cpuPackage: cpu, pipBundlesCuda: bundles })
  })

  it.each([
    ['1.12', ['2.7', '3.5', '3.6']],
    ['2.1', ['2.7', '3.5', '3.6', '3.7']],
    ['2.15', ['3.9', '3.10', '3.11']],
    ['2.21', ['3.10', '3.11', '3.12', '3.13']],
  ])('TF %s python %j', (minor, python) => {
    expect(row(minor).python).toEqual(python)
  })
})

describe('CUDA facts (matrix-facts §3)', () => {
  it.each([
    ['9.0.76', '384.81'],
    ['10.2.89', '440.33'],
    ['11.8.0', '520.61.05'],
    ['12.0.0', '525.60.13'],
    ['12.6.3', '560.35.05'],
    ['13.0.0', '580.65.06'],
  ])('CUDA %s needs Linux driver >= %s', (version, driver) => {
    expect(m.cuda.toolkits.find((t) => t.version === version)?.minDriverLinux).toBe(driver)
  })

  it.each([
    [11, true, '450.80.02', '525'],
    [12, true, '525.60.13', '580'],
    [13, true, '580.65.06', null],
    [10, false, undefined, undefined],
  ])('CUDA %i.x family: minor compat %s from %s below %s', (major, compat, min, below) => {
    const family = m.cuda.families.find((f) => f.major === major)
    expect([family?.minorCompat, family?.minDriver, family?.belowDriver]).toEqual([compat, min, below])
  })

  it('has no CUDA 12.7', () => {
    expect(m.cuda.toolkits.some((t) => t.version.startsWith('12.7.'))).toBe(false)
  })

  it.each([
    ['12.0', '5.0'],
    ['13.0', '7.5'],
  ])('CUDA %s cannot target below sm %s', (cuda, minArch) => {
    expect(m.cuda.archChanges.find((c) => c.cuda === cuda)?.minArch).toBe(minArch)
  })
})

describe('nvidia/cuda image facts (matrix-facts §4)', () => {
  function tag(name: string) {
    const t = m.cudaImages.tags.find((x) => x.tag === name)
    if (!t) throw new Error(`${name} missing`)
    return t
  }

  it.each([
    ['9.0-cudnn7-runtime-ubuntu16.04', 'deleted', '7.6.4.38'],
    ['10.2-cudnn8-devel-ubuntu18.04', 'deleted', '8.6.0.163'],
    ['11.2.1-cudnn8-devel-ubuntu20.04', 'deleted', '8.1.1.33'],
    ['11.8.0-cudnn8-runtime-ubuntu22.04', 'available', '8.9.6.50'],
    ['12.3.2-cudnn9-runtime-ubuntu22.04', 'available', '9.0.0.312'],
    ['12.6.3-cudnn-runtime-ubuntu24.04', 'available', '9.5.1.17'],
    ['13.0.0-cudnn-runtime-ubuntu24.04', 'available', '9.12.0.46'],
  ])('%s is %s with cuDNN %s', (name, status, cudnn) => {
    expect(tag(name)).toMatchObject({ status, cudnn })
  })

  it('every deleted tag says where to rebuild it from; 9.0 points at the end-of-life folder', () => {
    expect(m.cudaImages.tags.filter((t) => t.status === 'deleted').every((t) => t.rebuildFrom)).toBe(true)
    expect(tag('9.0-cudnn7-runtime-ubuntu16.04').rebuildFrom).toBe('gitlab.com/nvidia/container-images/cuda dist/end-of-life/9.0/ubuntu1604/runtime/cudnn7')
  })

  it('no CUDA <= 10.2 tag is available', () => {
    const old = m.cudaImages.tags.filter((t) => Number(t.cuda.split('.')[0]) <= 10)
    expect(old.length).toBeGreaterThan(0)
    expect(old.every((t) => t.status === 'deleted')).toBe(true)
  })

  it('no cudnn image on ubuntu24.04 before 12.6, none on ubuntu20.04 from 13.0', () => {
    const cudnn = m.cudaImages.tags.filter((t) => t.cudnn !== null)
    expect(cudnn.some((t) => t.os === 'ubuntu24.04' && t.cuda.startsWith('12.5'))).toBe(false)
    expect(cudnn.some((t) => t.os === 'ubuntu20.04' && t.cuda.startsWith('13.'))).toBe(false)
  })
})
