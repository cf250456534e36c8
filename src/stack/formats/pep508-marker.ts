// PEP 508 environment markers (`; python_version < "3.12"`), checked for shape only: known variables,
// quoted literals of safe characters, comparison operators, and/or, parentheses. Nothing else passes.

const VARIABLES = new Set([
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release', 'platform_system',
  'platform_version', 'platform_machine', 'platform_python_implementation', 'implementation_name',
  'implementation_version', 'extra', 'os.name', 'sys.platform', 'platform.version', 'platform.machine',
  'platform.python_implementation', 'python_implementation',
])
const TOKEN = /\s*(?:(\()|(\))|'([A-Za-z0-9 ._*+!-]*)'|"([A-Za-z0-9 ._*+!-]*)"|(===|==|!=|<=|>=|~=|<|>)|([a-z_.]+))/y

type Token = { kind: 'open' | 'close' | 'literal' | 'op' | 'word'; text: string }

function tokenize(marker: string): Token[] | undefined {
  const tokens: Token[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < marker.trimEnd().length) {
    const m = TOKEN.exec(marker)
    if (!m) return undefined
    if (m[1]) tokens.push({ kind: 'open', text: '(' })
    else if (m[2]) tokens.push({ kind: 'close', text: ')' })
    else if (m[3] !== undefined || m[4] !== undefined) tokens.push({ kind: 'literal', text: m[3] ?? m[4] })
    else if (m[5]) tokens.push({ kind: 'op', text: m[5] })
    else tokens.push({ kind: 'word', text: m[6] })
  }
  return tokens
}

class MarkerParser {
  private i = 0
  constructor(private readonly tokens: Token[]) {}

  parse(): boolean {
    return this.expr() && this.i === this.tokens.length
  }

  private expr(): boolean {
    if (!this.atom()) return false
    while (this.isWord('and') || this.isWord('or')) {
      this.i++
      if (!this.atom()) return false
    }
    return true
  }

  private atom(): boolean {
    if (this.tokens[this.i]?.kind === 'open') {
      this.i++
      if (!this.expr() || this.tokens[this.i]?.kind !== 'close') return false
      this.i++
      return true
    }
    return this.value() && this.operator() && this.value()
  }

  private value(): boolean {
    const t = this.tokens[this.i]
    const ok = t !== undefined && (t.kind === 'literal' || (t.kind === 'word' && VARIABLES.has(t.text)))
    if (ok) this.i++
    return ok
  }

  private operator(): boolean {
    if (this.tokens[this.i]?.kind === 'op' || this.isWord('in')) return ++this.i > 0
    if (this.isWord('not') && this.tokens[this.i + 1]?.text === 'in') return (this.i += 2) > 0
    return false
  }

  private isWord(text: string): boolean {
    const t = this.tokens[this.i]
    return t?.kind === 'word' && t.text === text
  }
}

/** True when `marker` (the text after `;`) is a well-formed environment marker. */
export function isValidMarker(marker: string): boolean {
  const tokens = tokenize(marker)
  return tokens !== undefined && tokens.length > 0 && new MarkerParser(tokens).parse()
}
