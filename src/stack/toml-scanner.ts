import { formatKeyPath } from './key-path.js'

// smol-toml returns values without positions, so this scanner walks the source text once and records
// the offset of every key, table header and array element under its key path. It only ever sees text
// that smol-toml already accepted, so it recovers from surprises by skipping to the next line.

type Path = Array<string | number>

export class TomlScanner {
  private pos = 0
  private table: Path = []
  private readonly arrayTables = new Map<string, number>()
  /** Key path (formatKeyPath) → offset of its first appearance. */
  readonly offsets = new Map<string, number>()

  constructor(private readonly src: string) {}

  scan(): Map<string, number> {
    while (this.pos < this.src.length) {
      this.skipBlank(true)
      if (this.pos >= this.src.length) break
      if (this.peek() === '[') this.header()
      else this.keyValue(this.table)
      this.skipToNextLine()
    }
    return this.offsets
  }

  private header(): void {
    const start = this.pos
    const isArray = this.src.startsWith('[[', this.pos)
    this.pos += isArray ? 2 : 1
    const names = this.keyParts().map((p) => p.name)
    let path = this.resolve(names, !isArray)
    for (let i = 1; i <= path.length; i++) this.record(path.slice(0, i), start)
    if (isArray) {
      const key = formatKeyPath(path)
      const index = (this.arrayTables.get(key) ?? -1) + 1
      this.arrayTables.set(key, index)
      path = [...path, index]
      this.record(path, start)
    }
    this.table = path
  }

  /** Inserts the current index after every prefix that names an array of tables ([[x]]). */
  private resolve(names: string[], includeLast: boolean): Path {
    const path: Path = []
    names.forEach((name, i) => {
      path.push(name)
      const index = this.arrayTables.get(formatKeyPath(path))
      if (index !== undefined && (includeLast || i < names.length - 1)) path.push(index)
    })
    return path
  }

  private keyValue(base: Path): void {
    const parts = this.keyParts()
    if (parts.length === 0) return
    let path = base
    for (const part of parts) {
      path = [...path, part.name]
      this.record(path, part.at)
    }
    this.skipBlank(false)
    if (this.peek() !== '=') return
    this.pos++
    this.skipBlank(false)
    this.value(path)
  }

  private value(path: Path): void {
    if (this.src.startsWith('"""', this.pos)) this.skipMultiline('"""')
    else if (this.src.startsWith("'''", this.pos)) this.skipMultiline("'''")
    else if (this.peek() === '"' || this.peek() === "'") this.readQuoted()
    else if (this.peek() === '[') this.array(path)
    else if (this.peek() === '{') this.inlineTable(path)
    else while (this.pos < this.src.length && !/[,\]}#\r\n]/.test(this.src[this.pos])) this.pos++
  }

  private array(path: Path): void {
    this.pos++
    for (let i = 0; ; i++) {
      this.skipBlank(true)
      if (this.pos >= this.src.length || this.peek() === ']') break
      const before = this.pos
      this.record([...path, i], this.pos)
      this.value([...path, i])
      this.skipBlank(true)
      if (this.peek() === ',') this.pos++
      else if (this.peek() !== ']' || this.pos === before) return
    }
    this.pos++
  }

  private inlineTable(path: Path): void {
    this.pos++
    for (;;) {
      this.skipBlank(true)
      if (this.pos >= this.src.length || this.peek() === '}') break
      const before = this.pos
      this.keyValue(path)
      this.skipBlank(true)
      if (this.peek() === ',') this.pos++
      else if (this.peek() !== '}' || this.pos === before) return
    }
    this.pos++
  }

  private keyParts(): Array<{ name: string; at: number }> {
    const parts: Array<{ name: string; at: number }> = []
    for (;;) {
      this.skipBlank(false)
      const at = this.pos
      const name = this.peek() === '"' || this.peek() === "'" ? this.readQuoted() : this.readBare()
      if (name === undefined) break
      parts.push({ name, at })
      this.skipBlank(false)
      if (this.peek() !== '.') break
      this.pos++
    }
    return parts
  }

  private readBare(): string | undefined {
    const m = /[A-Za-z0-9_-]+/y
    m.lastIndex = this.pos
    const found = m.exec(this.src)
    if (!found) return undefined
    this.pos += found[0].length
    return found[0]
  }

  /** Reads a one-line '…' or "…" string and returns its value. */
  private readQuoted(): string {
    const quote = this.src[this.pos++]
    const start = this.pos
    while (this.pos < this.src.length && this.src[this.pos] !== quote && this.src[this.pos] !== '\n') {
      this.pos += quote === '"' && this.src[this.pos] === '\\' ? 2 : 1
    }
    const raw = this.src.slice(start, this.pos)
    this.pos++
    return quote === "'" ? raw : unescapeBasic(raw)
  }

  private skipMultiline(delimiter: string): void {
    this.pos += 3
    while (this.pos < this.src.length && !this.src.startsWith(delimiter, this.pos)) {
      this.pos += delimiter === '"""' && this.src[this.pos] === '\\' ? 2 : 1
    }
    this.pos += 3
    // A closing delimiter may be preceded by up to two quotes that belong to the string.
    for (let extra = 0; extra < 2 && this.src[this.pos] === delimiter[0]; extra++) this.pos++
  }

  private skipBlank(newlines: boolean): void {
    while (this.pos < this.src.length) {
      const c = this.src[this.pos]
      if (c === '#') while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++
      else if (c === ' ' || c === '\t' || (newlines && (c === '\n' || c === '\r'))) this.pos++
      else break
    }
  }

  private skipToNextLine(): void {
    while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos++
    this.pos++
  }

  private peek(): string {
    return this.src[this.pos]
  }

  private record(path: Path, offset: number): void {
    const key = formatKeyPath(path)
    if (!this.offsets.has(key)) this.offsets.set(key, offset)
  }
}

function unescapeBasic(raw: string): string {
  const escapes: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001b', '"': '"', '\\': '\\' }
  return raw.replace(/\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))/g, (_, u4?: string, u8?: string, c?: string) =>
    u4 || u8 ? String.fromCodePoint(parseInt((u4 ?? u8) as string, 16)) : (escapes[c as string] ?? (c as string)),
  )
}
