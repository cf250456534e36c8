/**
 * A small Dockerfile reader for tests, following BuildKit's rules closely enough to catch injection:
 * a line ending in `\` continues the instruction, `#` lines are comments (even inside a continuation),
 * and quotes are tracked the way sh and the Dockerfile word parser track them.
 */

export interface Instruction {
  keyword: string
  /** The instruction text after the keyword, continuations joined. */
  args: string
}

export interface ParsedDockerfile {
  instructions: Instruction[]
  comments: string[]
}

export function parseDockerfile(text: string): ParsedDockerfile {
  const instructions: Instruction[] = []
  const comments: string[] = []
  let pending: string | null = null
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) {
      comments.push(line)
      continue
    }
    if (pending === null && line.trim() === '') continue
    const continued = /\\[ \t]*$/.test(line)
    const body = continued ? line.replace(/\\[ \t]*$/, '') : line
    pending = (pending ?? '') + body
    if (!continued) {
      const m = /^\s*(\S+)\s*(.*)$/s.exec(pending)!
      instructions.push({ keyword: m[1]!.toUpperCase(), args: m[2]! })
      pending = null
    }
  }
  if (pending !== null) throw new Error(`Dockerfile ends inside a continued instruction: ${pending}`)
  return { instructions, comments }
}

export interface Lexed {
  /** Characters outside any quote or escape, i.e. what a shell would interpret. */
  unquoted: string
  /** Words after quote removal, as sh would pass them. */
  words: string[]
}

/**
 * sh's quoting: '…' is literal; "…" is literal except \" \\ \$ \` ; outside quotes a backslash escapes the
 * next character. The Dockerfile's own parser for ENV/LABEL uses the same double-quote rules.
 */
export function lexShell(s: string): Lexed {
  let unquoted = ''
  const words: string[] = []
  // null between words; '' is an empty quoted word ('' or "")
  let word: string | null = null
  let i = 0
  while (i < s.length) {
    const c = s[i]!
    if (c === "'") {
      const end = s.indexOf("'", i + 1)
      if (end < 0) throw new Error(`unterminated single quote in ${s}`)
      word = (word ?? '') + s.slice(i + 1, end)
      i = end + 1
    } else if (c === '"') {
      i++
      word = word ?? ''
      while (s[i] !== '"') {
        if (i >= s.length) throw new Error(`unterminated double quote in ${s}`)
        if (s[i] === '\\' && i + 1 < s.length && '"\\$`'.includes(s[i + 1]!)) i++
        word += s[i]!
        i++
      }
      i++
    } else if (c === '\\') {
      word = (word ?? '') + (s[i + 1] ?? '')
      i += 2
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word)
      word = null
      unquoted += c
      i++
    } else {
      word = (word ?? '') + c
      unquoted += c
      i++
    }
  }
  if (word !== null) words.push(word)
  return { unquoted, words }
}
