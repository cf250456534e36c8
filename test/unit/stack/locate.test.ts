import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parse } from 'smol-toml'
import { indexPositions, locate, locateKey } from '../../../src/stack/locate.js'

// Positions are 1-based; each case names the text it should land on, so a wrong column shows up as
// the wrong text rather than a number.
function at(source: string, path: string): string | undefined {
  const pos = locateKey(source, path)
  if (!pos) return undefined
  return `${pos.line}:${pos.column} ${source.split('\n')[pos.line - 1].slice(pos.column - 1)}`
}

const TRICKY = `# leading comment with [brackets] and key = "value"
extends = "pytorch" # trailing comment
"quoted key" = 1
'literal key' = 2

[packages]   # header comment
pip = [
  "torch==2.3.1",   # first, with a comment containing ] and ,
  # a whole-line comment between elements
  "numpy>=1.26",
  """multi
line ] , """,
  'opencv-python-headless',
]
apt = ["ffmpeg", "git"]

[run]
ulimits = { memlock = -1, stack = 67108864 }
ports = [ "8000" , "8080:80" ]
command = [["nested"], "x"]

[ env ]
"MY VAR" = "a#b"
PLAIN = 'c:\\d'

[mirrors]
pip = "https://m.example/simple"
network.http_proxy = "http://p:3128"

[a.b.c]
d = 1
`

describe('locate', () => {
  it('smol-toml accepts the tricky file', () => {
    expect(() => parse(TRICKY)).not.toThrow()
  })

  it.each([
    ['extends', '2:1 extends = "pytorch" # trailing comment'],
    ['"quoted key"', '3:1 "quoted key" = 1'],
    ['"literal key"', "4:1 'literal key' = 2"],
    ['packages', '6:1 [packages]   # header comment'],
    ['packages.pip', '7:1 pip = ['],
    ['packages.pip[0]', '8:3 "torch==2.3.1",   # first, with a comment containing ] and ,'],
    ['packages.pip[1]', '10:3 "numpy>=1.26",'],
    ['packages.pip[2]', '11:3 """multi'],
    ['packages.pip[3]', "13:3 'opencv-python-headless',"],
    ['packages.apt[1]', '15:18 "git"]'],
    ['run.ulimits.memlock', '18:13 memlock = -1, stack = 67108864 }'],
    ['run.ulimits.stack', '18:27 stack = 67108864 }'],
    ['run.ports[1]', '19:20 "8080:80" ]'],
    ['run.command[0][0]', '20:13 "nested"], "x"]'],
    ['run.command[1]', '20:24 "x"]'],
    ['env."MY VAR"', '23:1 "MY VAR" = "a#b"'],
    ['env.PLAIN', "24:1 PLAIN = 'c:\\d'"],
    ['mirrors.network.http_proxy', '28:9 http_proxy = "http://p:3128"'],
    ['a.b.c.d', '31:1 d = 1'],
    ['a.b', '30:1 [a.b.c]'],
  ])('%s', (path, expected) => {
    expect(at(TRICKY, path)).toBe(expected)
  })

  it('falls back to the nearest written ancestor, down to the table header', () => {
    expect(at(TRICKY, 'packages.pip[9]')).toBe('7:1 pip = [')
    expect(at(TRICKY, 'packages.npm')).toBe('6:1 [packages]   # header comment')
    expect(at(TRICKY, 'gpu.mode')).toBeUndefined()
  })

  it('accepts key paths as segments', () => {
    expect(locate(indexPositions(TRICKY), ['env', 'MY VAR'])).toEqual({ line: 23, column: 1 })
  })

  it('counts arrays of tables', () => {
    const source = '[[x]]\nname = "a"\n\n[[x]]\nname = "b"\n[x.sub]\nk = 1\n'
    expect(at(source, 'x[1].name')).toBe('5:1 name = "b"')
    expect(at(source, 'x[1].sub.k')).toBe('7:1 k = 1')
    expect(at(source, 'x[0]')).toBe('1:1 [[x]]')
  })

  it('handles CRLF line endings and escaped quotes', () => {
    const source = 'a = "say \\"hi\\" [x]"\r\n[t]\r\nb = [\r\n  "1",\r\n  "2"\r\n]\r\n'
    expect(locateKey(source, 't.b[1]')).toEqual({ line: 5, column: 3 })
  })

  it('handles inline tables across lines inside arrays', () => {
    const source = 'list = [\n  { name = "a" },\n  { name = "b", deps = ["x", "y"] },\n]\n'
    expect(at(source, 'list[1].deps[1]')).toBe('3:30 "y"] },')
  })
})

describe('locate covers every key smol-toml sees', () => {
  const leaves = (value: unknown, path: string): string[] => {
    if (Array.isArray(value)) return [path, ...value.flatMap((v, i) => leaves(v, `${path}[${i}]`))]
    if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      return [...(path ? [path] : []), ...Object.entries(value).flatMap(([k, v]) => leaves(v, `${path ? `${path}.` : ''}${/^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k)}`))]
    }
    return [path]
  }
  const dirs = ['../../../stacks/', '../../fixtures/broken-stacks/', '../../fixtures/broken-stacks/parts/']
  const files = dirs.flatMap((d) => readdirSync(new URL(d, import.meta.url)).filter((f) => f.endsWith('.toml')).map((f) => new URL(d + f, import.meta.url)))
  // The one file of the corpus that is not TOML at all has no keys to locate (broken-stacks.test covers it).
  const NOT_TOML = 'broken-stacks/syntax-error.toml'
  const sources = [['tricky', TRICKY], ...files.map((u) => [u.pathname.split('/').slice(-2).join('/'), readFileSync(u, 'utf8')])].filter(([name]) => name !== NOT_TOML)

  it('leaves out only the file that is not TOML', () => {
    expect(files.length - (sources.length - 1)).toBe(1)
    expect(() => parse(readFileSync(new URL(`../../fixtures/${NOT_TOML}`, import.meta.url), 'utf8'))).toThrow(/Invalid TOML/)
  })

  it.each(sources)('%s', (_, source) => {
    const table: unknown = parse(source)
    const index = indexPositions(source)
    const missing = leaves(table, '').filter((p) => !index.offsets.has(p))
    expect(missing).toEqual([])
  })
})
