// Replaces (or appends) one "## <title>" section of a markdown file, so each benchmark owns its section.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'

const [file, title, sectionFile] = process.argv.slice(2)
const section = readFileSync(sectionFile, 'utf8').trimEnd() + '\n'
const doc = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n\nEach section is written by the script it names; ratios compare against a baseline measured in the same run.\n'
const start = doc.indexOf(`## ${title}\n`)
if (start < 0) {
  writeFileSync(file, doc.trimEnd() + '\n\n' + section)
} else {
  const next = doc.indexOf('\n## ', start + 1)
  writeFileSync(file, doc.slice(0, start) + section + (next < 0 ? '' : '\n' + doc.slice(next + 1)))
}
