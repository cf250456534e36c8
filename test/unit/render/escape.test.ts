import { describe, expect, it } from 'vitest'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import {
  assertPrintable,
  dockerfileString,
  execForm,
  mountId,
  sedReplacement,
  shellWord,
  xmlText,
} from '../../../src/render/escape.js'
import { lexShell } from './dockerfile-parser.js'

describe('shellWord', () => {
  it.each([
    ['numpy', `'numpy'`],
    ["it's", `'it'\\''s'`],
    ['$(id) `id` ; # \\', `'$(id) \`id\` ; # \\'`],
    ['', `''`],
  ])('quotes %j as %s', (value, quoted) => {
    expect(shellWord(value, 'test')).toBe(quoted)
    expect(lexShell(quoted).words).toEqual([value])
    expect(lexShell(quoted).unquoted).toBe('')
  })
})

describe('dockerfileString', () => {
  it.each([
    ['plain', '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['$HOME ${A:-b}', '"\\$HOME \\${A:-b}"'],
    ['ends with \\', '"ends with \\\\"'],
    ['`id` $(id)', '"`id` \\$(id)"'],
  ])('escapes %j as %s', (value, quoted) => {
    expect(dockerfileString(value, 'test')).toBe(quoted)
    expect(lexShell(quoted).words).toEqual([value])
  })
})

describe('assertPrintable', () => {
  it.each(['\n', '\r', '\u0000', '\t', '\u0085', '\u2028', '\u2029', '\u202e', '\u2066', '\ufeff'])(
    'refuses U+%s',
    (c) => {
      expect(() => assertPrintable(`a${c}b`, 'test value')).toThrow(EnvctlError)
    },
  )

  it('keeps the refusal message on one line and names the character', () => {
    let message = ''
    try {
      assertPrintable('a\u2028b\nc', 'test value')
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toBe(
      'Cannot put test value "a\\u2028b\\nc" in a Dockerfile: it contains U+2028, a control, line-separator or bidi character.',
    )
  })

  it('accepts ordinary unicode', () => {
    expect(assertPrintable('café – 東京', 'test')).toBe('café – 東京')
  })
})

describe('execForm', () => {
  it('writes a JSON array that round-trips', () => {
    const args = ['sh', '-c', 'echo "$HOME" \\ `id`']
    const text = execForm(args, 'cmd')
    expect(JSON.parse(text)).toEqual(args)
    expect(text).toBe('["sh", "-c", "echo \\"$HOME\\" \\\\ `id`"]')
  })

  it('refuses an empty command', () => {
    expect(() => execForm([], 'cmd')).toThrow(EnvctlError)
  })
})

describe('small escapes', () => {
  it('escapes sed replacement metacharacters', () => {
    expect(sedReplacement('http://m/?a=1&b=2|x\\y')).toBe('http://m/?a=1\\&b=2\\|x\\\\y')
  })

  it('escapes XML text', () => {
    expect(xmlText(`a&b<c>"d'`)).toBe('a&amp;b&lt;c&gt;&quot;d&apos;')
  })

  it.each([
    ['debian-12', 'debian-12'],
    ['Ubuntu 16.04 (xenial)', 'ubuntu-16.04-xenial'],
    ['a,b=c\nd', 'a-b-c-d'],
    ['', 'unknown'],
  ])('makes mount id %j into %j', (value, id) => {
    expect(mountId(value)).toBe(id)
  })
})
