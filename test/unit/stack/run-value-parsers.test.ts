import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parsePort, parseSize } from '../../../src/environment/container/container-plan.js'
import { renderError } from '../../../src/errors/envctl-error.js'
import { FORMATS } from '../../../src/stack/formats/index.js'
import { loadStack } from '../../../src/stack/load.js'
import { caught, stackDir } from './helpers.js'

// run.shm_size and run.ports are parsed by one function each (src/stack/formats/size.ts, port-mapping.ts),
// used by the stack validator and by the container plan. Each input below was read differently by the two
// before (noted per row); now the validator accepts exactly what the runtime can use.

const validatorAccepts = (format: 'shm-size' | 'port-mapping', value: string) => FORMATS[format].check(value) === undefined
const runtimeAccepts = (fn: () => unknown) => {
  try {
    fn()
    return true
  } catch {
    return false
  }
}

describe('sizes: validator and runtime agree', () => {
  it.each([
    ['1.5g', 1610612736, 'was refused by the validator, used by the runtime'],
    ['1t', 1024 ** 4, 'was refused by the validator, used by the runtime'],
    ['2GB', 2 * 1024 ** 3, 'accepted by both'],
    ['65536', 65536, 'accepted by both'],
    ['1bb', null, 'was accepted by the validator, refused by the runtime'],
    ['2 g', null, 'was refused by the validator, used by the runtime'],
    [' 2g', null, 'was refused by the validator, trimmed and used by the runtime'],
    ['0', null, 'was accepted by both: a zero /dev/shm'],
    ['0.0001k', null, 'rounds to zero bytes'],
  ])('%s → %s (%s)', (value, bytes, _) => {
    expect(validatorAccepts('shm-size', value)).toBe(bytes !== null)
    expect(runtimeAccepts(() => parseSize(value))).toBe(bytes !== null)
    if (bytes !== null) expect(parseSize(value)).toBe(bytes)
  })
})

describe('ports: validator and runtime agree', () => {
  it.each([
    ['8000', { hostPort: 8000, containerPort: 8000, protocol: 'tcp' }, 'accepted by both'],
    ['8080:80', { hostPort: 8080, containerPort: 80, protocol: 'tcp' }, 'accepted by both'],
    ['5353/udp', { hostPort: 5353, containerPort: 5353, protocol: 'udp' }, 'accepted by both'],
    ['0', null, 'was used by the runtime: host port 0'],
    ['70000', null, 'was used by the runtime: out of range'],
    ['8080:0', null, 'was used by the runtime: container port 0'],
    ['123456:80', null, 'was used by the runtime: six digits'],
    [' 8000', null, 'was trimmed and used by the runtime'],
    ['8000/sctp', null, 'refused by both'],
  ])('%s → %o (%s)', (value, mapping, _) => {
    expect(validatorAccepts('port-mapping', value)).toBe(mapping !== null)
    expect(runtimeAccepts(() => parsePort(value, '127.0.0.1'))).toBe(mapping !== null)
    if (mapping) expect(parsePort(value, '127.0.0.1')).toEqual({ ...mapping, hostIp: '127.0.0.1' })
  })
})

describe('a value the runtime cannot use is refused when the stack is loaded, at its line and column', () => {
  it('shm_size and ports', () => {
    const dir = stackDir({ 'envctl.toml': '[run]\nshm_size = "1bb"\nports = ["8000", "70000"]\n' })
    const e = caught(() => loadStack(join(dir, 'envctl.toml'), { cwd: dir }))
    expect(e.code).toBe('INVALID_STACK')
    const text = renderError(e)
    expect(text).toMatch(/envctl\.toml:2:1: "1bb" is not a size such as "8g", "512m" or "1\.5g" \(run\.shm_size\)/)
    expect(text).toMatch(/envctl\.toml:3:18: port 70000 is outside 1–65535 \(run\.ports\[1\]\)/)
  })

  it('a size the validator accepts loads, and the runtime uses it', () => {
    const dir = stackDir({ 'envctl.toml': '[run]\nshm_size = "1.5g"\n' })
    const spec = loadStack(join(dir, 'envctl.toml'), { cwd: dir })
    expect(parseSize(spec.run.shmSize!)).toBe(1610612736)
  })
})
