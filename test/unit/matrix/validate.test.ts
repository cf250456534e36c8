import { describe, it, expect } from 'vitest'
import { loadMatrix, validateMatrix } from '../../../src/matrix/load.js'
import type { Matrix } from '../../../src/matrix/types.js'

function torch(m: Matrix, version: string) {
  return m.torch.releases.find((r) => r.torch === version)!
}

function tag(m: Matrix, name: string) {
  return m.cudaImages.tags.find((t) => t.tag === name)!
}

/** Each case plants one problem in a copy of the shipped data and names the message it must produce. */
const planted: Array<[string, (m: Matrix) => void, RegExp]> = [
  ['a torch release without variants', (m) => (torch(m, '2.3.1').variants = []), /torch 2\.3\.1: has no variants/],
  ['pypiVariant naming a missing variant', (m) => (torch(m, '2.0.1').pypiVariant = 'cu121'), /pypiVariant cu121 is not one of its variants/],
  ['duplicate torch versions', (m) => m.torch.releases.push(structuredClone(torch(m, '2.1.0'))), /torch 2\.1\.0 appears more than once/],
  ['duplicate variants in one release', (m) => torch(m, '2.1.0').variants.push(structuredClone(torch(m, '2.1.0').variants[0])), /variant cu118 appears more than once/],
  ['an arch not in N.N form', (m) => (torch(m, '2.4.0').variants[0].archs = ['sm_90']), /archs entry "sm_90"/],
  ['a PTX arch the variant does not list', (m) => (torch(m, '2.4.0').variants[0].ptx = ['9.0', '10.0']), /ptx 10\.0 not among its archs/],
  ['a python version not in N.N form', (m) => (torch(m, '2.2.0').python = ['3.10', '311']), /python entry "311"/],
  ['a variant whose cuda disagrees with its name', (m) => (torch(m, '2.2.0').variants[0].cuda = '12.1'), /cu118: cuda 12\.1 does not match/],
  ['a local tag that names another variant', (m) => (torch(m, '2.2.0').variants[0].localTag = '+cu121'), /local tag \+cu121 does not match/],
  ['an index source without a url', (m) => (torch(m, '2.2.0').variants[0].source = { kind: 'index-url' }), /source index-url has no url/],
  ['a TF row whose tested version is another minor', (m) => (m.tensorflow.releases[0].tested = '9.9.9'), /tested 9\.9\.9 is not a 1\.0 release/],
  ['a TF cuda that is not major.minor', (m) => (m.tensorflow.releases[5].cuda = '9'), /cuda "9" is not major\.minor/],
  ['an mxnet package whose cuda disagrees with its name', (m) => (m.mxnet.packages.find((p) => p.package === 'mxnet-cu90')!.cuda = '9.2'), /mxnet-cu90: cuda 9\.2/],
  ['a toolkit version not in X.Y.Z form', (m) => (m.cuda.toolkits[0].version = '7.0'), /toolkit "7\.0" is not X\.Y\.Z/],
  ['a deleted cuda tag without rebuildFrom', (m) => delete tag(m, '9.0-cudnn7-runtime-ubuntu16.04').rebuildFrom, /9\.0-cudnn7-runtime-ubuntu16\.04: deleted tag has no rebuildFrom/],
  ['a cuda tag whose fields disagree with its name', (m) => (tag(m, '12.6.3-cudnn-runtime-ubuntu24.04').os = 'ubuntu22.04'), /does not match its cuda, flavor and os/],
  ['a cudnn tag without a cudnn version', (m) => (tag(m, '12.6.3-cudnn-runtime-ubuntu24.04').cudnn = null), /cudnn null does not match the tag/],
  ['a cuda tag on an OS base-images.json does not know', (m) => m.baseImages.os.splice(m.baseImages.os.findIndex((o) => o.id === 'ubuntu16.04'), 1), /os ubuntu16\.04 is not in base-images\.json/],
  ['an unknown confidence mark', (m) => (torch(m, '2.12.0').confidence = { torchvision: 'guess' as never }), /confidence\.torchvision = "guess"/],
  ['an index version not in date form', (m) => (m.index.version = 'v1'), /version "v1" is not YYYY\.MM\.DD/],
  ['a record without sources', (m) => (torch(m, '2.3.1').sources = []), /torch 2\.3\.1: has no sources/],
  ['a variant without sources', (m) => delete (torch(m, '2.3.1').variants[0] as { sources?: string[] }).sources, /variant 2\.3\.1\+cu118: has no sources/],
  ['a source id index.json does not list', (m) => (m.tensorflow.releases[3].sources = ['TF-SRC', 'BLOG']), /tensorflow\.json 1\.3: source BLOG is not in index\.json/],
  ['general knowledge without an unconfirmed mark', (m) => delete m.languages.node[0].confidence, /node 16: rests on general knowledge only but marks nothing unconfirmed/],
  ['an image tag without sources', (m) => (tag(m, '12.6.3-cudnn-runtime-ubuntu24.04').sources = []), /12\.6\.3-cudnn-runtime-ubuntu24\.04: has no sources/],
  ['the same mxnet package and version twice', (m) => m.mxnet.packages.push(structuredClone(m.mxnet.packages.find((p) => p.package === 'mxnet-cu112')!)), /package version mxnet-cu112 1\.9\.1 appears more than once/],
  ['a dynamic-cuDNN mxnet without the cudnn it needs', (m) => delete m.mxnet.packages.find((p) => p.package === 'mxnet-cu112')!.cudnn, /mxnet-cu112: cuDNN is not static/],
  ['an mxnet system library no image flavor carries', (m) => (m.mxnet.packages.find((p) => p.package === 'mxnet-cu112')!.systemLibraries = ['nccl', 'tensorrt']), /system library tensorrt is in no cuda-images\.json flavor/],
  ['a TF replacement outside its minor', (m) => (m.tensorflow.releases.find((r) => r.minor === '2.15')!.unavailable![0].use = '2.16.1'), /unavailable 2\.15\.0 → 2\.16\.1 is not within 2\.15/],
]

describe('validateMatrix', () => {
  it('finds no problem in the shipped data', () => {
    expect(validateMatrix(loadMatrix())).toEqual([])
  })

  it.each(planted)('catches %s', (_name, plant, message) => {
    const m = structuredClone(loadMatrix())
    plant(m)
    const problems = validateMatrix(m)
    expect(problems.some((p) => message.test(p)), problems.join('\n')).toBe(true)
  })
})
