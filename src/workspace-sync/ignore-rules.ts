import ignore, { type Ignore } from 'ignore'

/** Never uploaded nor pulled, whatever the rules say: git's own data (of the project and of any submodule). */
const ALWAYS = new Set(['.git'])

interface Matcher {
  /** The folder of the .gitignore, relative to the workspace ("" for its root). */
  dir: string
  rules: Ignore
}

/**
 * What the workspace upload leaves out, with git's rules: each .gitignore applies below its own folder and a
 * deeper one has the last word (a `!pattern` there brings a file back); `[workspace] exclude` in the stack
 * file is read like a .gitignore at the root, after every .gitignore, so it wins. Paths are "/" separated and
 * relative to the workspace. A folder that is left out is not walked into, so nothing below it comes back.
 */
export class IgnoreRules {
  private readonly matchers: Matcher[] = []
  private readonly exclude: Ignore

  constructor(exclude: readonly string[] = []) {
    this.exclude = ignore().add([...exclude])
  }

  /** Adds the rules of the .gitignore in `dir` (relative; "" for the root). Shallower folders must come first. */
  addGitignore(dir: string, text: string): void {
    this.matchers.push({ dir, rules: ignore().add(text) })
  }

  ignored(path: string, isDir: boolean): boolean {
    if (path.split('/').some((part) => ALWAYS.has(part))) return true
    let out = false
    for (const m of this.matchers) {
      if (m.dir !== '' && !path.startsWith(`${m.dir}/`)) continue
      out = verdict(m.rules, m.dir === '' ? path : path.slice(m.dir.length + 1), isDir, out)
    }
    return verdict(this.exclude, path, isDir, out)
  }
}

function verdict(rules: Ignore, path: string, isDir: boolean, before: boolean): boolean {
  const t = rules.test(isDir ? `${path}/` : path)
  return t.ignored ? true : t.unignored ? false : before
}
