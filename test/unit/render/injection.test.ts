import { describe, expect, it } from 'vitest'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { renderDockerfile } from '../../../src/render/render-dockerfile.js'
import type { ResolvedStack } from '../../../src/resolvers/types.js'
import { lexShell, parseDockerfile } from './dockerfile-parser.js'
import { loadResolved } from './fixtures.js'

const HOSTILE: Record<string, string> = {
  'newline then RUN': 'x\nRUN rm -rf /',
  'newline then FROM': '\nFROM evil',
  'command substitution': '$(id)',
  backticks: '`id`',
  'single-quote break': "'; rm -rf / #",
  'double-quote break': '"; rm -rf / #',
  'escaped double quote': '\\"; rm -rf / #',
  'trailing backslash': 'x \\',
  'variable expansion': '${PATH}',
  NUL: 'a\u0000RUN rm -rf /',
  'U+2028 line separator': 'a\u2028RUN rm -rf /',
}
/** Refused everywhere, even inside quotes: they break lines for the parser or for the reader. */
const LINE_BREAKING = new Set(['newline then RUN', 'newline then FROM', 'NUL', 'U+2028 line separator'])
/** Text that must never be outside quotes. */
const MARKERS = ['rm -rf', '$(id)', '`id`', 'evil', '${PATH}', '\u0000', '\u2028']

/**
 * How each field must treat hostile text: 'strict' fields (names, URLs, image) refuse all of it;
 * 'quoted' fields (free text) refuse line breaks and carry the rest verbatim inside quotes;
 * 'sanitised' fields are reduced to a safe identifier.
 */
interface Field {
  name: string
  fixture: string
  kind: 'strict' | 'quoted' | 'sanitised'
  set: (r: ResolvedStack, s: string) => void
}

const FIELDS: Field[] = [
  { name: 'pip requirement', fixture: 'pytorch-cpu', kind: 'strict', set: (r, s) => void (r.pip[0]!.requirement = `numpy==1${s}`) },
  { name: 'pip name', fixture: 'pytorch-cpu', kind: 'strict', set: (r, s) => void (r.pip[0]!.name = `numpy${s}`) },
  { name: 'apt package', fixture: 'pytorch-cpu', kind: 'strict', set: (r, s) => void r.apt.push(`git${s}`) },
  { name: 'npm package', fixture: 'with-mirrors', kind: 'strict', set: (r, s) => void r.npm.push(`left-pad@1${s}`) },
  { name: 'maven artifact', fixture: 'java-maven', kind: 'strict', set: (r, s) => void r.maven.push(`a:b:1${s}`) },
  { name: 'env name', fixture: 'with-env', kind: 'strict', set: (r, s) => void (r.env[`K${s}`] = 'v') },
  { name: 'base image', fixture: 'pytorch-cpu', kind: 'strict', set: (r, s) => void (r.base.image = `python:3.11${s}`) },
  { name: 'base digest', fixture: 'pytorch-cpu', kind: 'strict', set: (r, s) => void (r.base.digest = `sha256:${'a'.repeat(64)}${s}`) },
  { name: 'apt mirror', fixture: 'with-mirrors', kind: 'strict', set: (r, s) => void (r.mirrors.apt = `http://m.example/${s}`) },
  { name: 'npm mirror', fixture: 'with-mirrors', kind: 'strict', set: (r, s) => void (r.mirrors.npm = `http://m.example/${s}`) },
  { name: 'maven mirror', fixture: 'java-maven-mirror', kind: 'strict', set: (r, s) => void (r.mirrors.maven = `http://m.example/${s}`) },
  { name: 'pip index URL', fixture: 'with-mirrors', kind: 'strict', set: (r, s) => void (r.pipSources.indexUrl = `http://m.example/${s}`) },
  { name: 'pip extra index URL', fixture: 'pytorch-cpu', kind: 'strict', set: (r, s) => void r.pipSources.extraIndexUrls.push(`http://m.example/${s}`) },
  { name: 'pip find-links URL', fixture: 'legacy-2018', kind: 'strict', set: (r, s) => void r.pipSources.findLinks.push(`http://m.example/${s}`) },
  { name: 'pip trusted host', fixture: 'with-mirrors', kind: 'strict', set: (r, s) => void r.pipSources.trustedHosts.push(`m.example${s}`) },
  { name: 'framework name (label)', fixture: 'pytorch-cpu', kind: 'strict', set: (r, s) => void (r.frameworks[`jax${s}`] = '0.4.30') },
  { name: 'framework version (label)', fixture: 'pytorch-cpu', kind: 'strict', set: (r, s) => void (r.frameworks.pytorch = `2.13.0${s}`) },
  { name: 'env value', fixture: 'with-env', kind: 'quoted', set: (r, s) => void (r.env.HOSTILE = s) },
  { name: 'command', fixture: 'with-env', kind: 'quoted', set: (r, s) => void r.run.command!.push(s) },
  { name: 'default command replaced', fixture: 'pytorch-cpu', kind: 'quoted', set: (r, s) => void (r.run.command = ['bash', '-c', s]) },
  { name: 'stack name (header, label)', fixture: 'pytorch-cpu', kind: 'quoted', set: (r, s) => void (r.stack = s) },
  { name: 'matrix version (header, label)', fixture: 'pytorch-cpu', kind: 'quoted', set: (r, s) => void (r.matrixVersion = s) },
  { name: 'python (label)', fixture: 'pytorch-cpu', kind: 'quoted', set: (r, s) => void (r.python = s) },
  { name: 'cuda (label)', fixture: 'pytorch-gpu-cu126', kind: 'quoted', set: (r, s) => void (r.cuda = s) },
  { name: 'base os (apt cache id)', fixture: 'pytorch-cpu', kind: 'sanitised', set: (r, s) => void (r.base.os = s) },
]

/** Everything a shell or the Dockerfile parser would interpret: unquoted instruction text and comments. */
function exposedText(dockerfile: string): string {
  const { instructions, comments } = parseDockerfile(dockerfile)
  const parts = comments.map((c) => c.replace(/"(?:[^"\\]|\\.)*"/g, '""'))
  for (const ins of instructions) {
    if (ins.keyword === 'CMD') {
      // Exec form must stay valid JSON, or Docker silently runs it through a shell.
      const parsed: unknown = JSON.parse(ins.args)
      expect(Array.isArray(parsed) && parsed.every((a) => typeof a === 'string')).toBe(true)
    } else {
      parts.push(`${ins.keyword} ${lexShell(ins.args).unquoted}`)
    }
  }
  return parts.join('\n')
}

/** Every value as the engine will see it after quote removal. */
function decodedValues(dockerfile: string): string[] {
  return parseDockerfile(dockerfile).instructions.flatMap((ins) =>
    ins.keyword === 'CMD' ? (JSON.parse(ins.args) as string[]) : lexShell(ins.args).words.map((w) => w.replace(/^[^=]*=/, '')),
  )
}

const keywords = (dockerfile: string): string[] => parseDockerfile(dockerfile).instructions.map((i) => i.keyword)

describe.each(FIELDS)('hostile $name', (field) => {
  const baseline = renderDockerfile(loadResolved(field.fixture))

  it.each(Object.entries(HOSTILE))('%s is refused or stays quoted', (label, hostile) => {
    const r = loadResolved(field.fixture)
    field.set(r, hostile)
    const mustThrow = field.kind === 'strict' || (field.kind === 'quoted' && LINE_BREAKING.has(label))
    if (mustThrow) {
      expect(() => renderDockerfile(r)).toThrow(EnvctlError)
      expect(() => renderDockerfile(r)).toThrow(/Cannot put .* in a Dockerfile/)
      return
    }
    const text = renderDockerfile(r)
    const expectedKeywords = keywords(baseline)
    if (field.name === 'env value') expectedKeywords.splice(expectedKeywords.lastIndexOf('ENV') + 1, 0, 'ENV')
    expect(keywords(text)).toEqual(expectedKeywords)
    if (field.kind === 'sanitised') {
      // Reduced to an identifier: what is left of the hostile text is inert, so only its shape is checked.
      for (const id of text.matchAll(/id=([^,]*),/g)) expect(id[1]).toMatch(/^[a-z0-9._-]+$/)
      return
    }
    const exposed = exposedText(text)
    for (const marker of MARKERS) expect(exposed).not.toContain(marker)
    expect(decodedValues(text)).toContain(hostile)
  })
})

describe('the test parser itself', () => {
  it('sees an injected instruction when nothing quotes it', () => {
    const text = 'FROM a\nENV A=x\nRUN rm -rf /\n'
    expect(keywords(text)).toEqual(['FROM', 'ENV', 'RUN'])
    expect(exposedText(text)).toContain('rm -rf')
  })

  it("decodes sh quoting, including the '\\'' rule", () => {
    expect(lexShell(`'it'\\''s' "a \\"b\\" \\$c" d\\ e`).words).toEqual(["it's", 'a "b" $c', 'd e'])
    expect(lexShell(`'it'\\''s'`).unquoted).toBe('')
  })
})
