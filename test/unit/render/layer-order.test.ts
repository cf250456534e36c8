/**
 * Heavy layers before light ones, in every era the render fixtures cover (2018's CUDA 9 set to today's): what a
 * one-pin change rebuilds is decided here. A user package change must leave the base, the system packages, the
 * runtime and the framework layer byte-identical (so BuildKit reuses them), and every pip download goes through
 * a cache mount (so the user layer that does rebuild fetches nothing it fetched before).
 */
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { renderDockerfile } from '../../../src/render/render-dockerfile.js'
import { renderContextFiles } from '../../../src/render/context-files.js'
import { parseDockerfile } from './dockerfile-parser.js'
import { loadResolved } from './fixtures.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/render/', import.meta.url))
const withFramework = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && (loadResolved(d.name).pip ?? []).length > 0 && renderDockerfile(loadResolved(d.name)).includes('# Framework packages'))
  .map((d) => d.name)
  .sort()

const heavyToLight = ['FROM ', '# System packages', '# Python runtime', '# Framework packages', '# Tooling', '# User packages', 'WORKDIR', 'LABEL', 'CMD']

function lineIndex(lines: string[], marker: string): number {
  return lines.findIndex((l) => l.startsWith(marker))
}

describe('layer order in every era', () => {
  it('covers the 2018 seed set and today\'s stacks', () => {
    expect(withFramework).toEqual(expect.arrayContaining(['legacy-2018', 'pytorch-cpu', 'tensorflow-gpu']))
  })

  it.each(withFramework)('%s: base, system packages, runtime, framework, then user packages, workspace, labels', (name) => {
    const lines = renderDockerfile(loadResolved(name)).split('\n')
    const at = heavyToLight.map((m) => lineIndex(lines, m)).filter((i) => i >= 0)
    expect(at.length).toBeGreaterThanOrEqual(6)
    expect([...at].sort((a, b) => a - b)).toEqual(at)
    expect(lineIndex(lines, '# Framework packages')).toBeGreaterThan(0)
    const user = lineIndex(lines, '# User packages')
    if (user >= 0) expect(user).toBeGreaterThan(lineIndex(lines, '# Framework packages'))
    const tooling = lineIndex(lines, '# Tooling')
    if (tooling >= 0) expect(tooling).toBeGreaterThan(lineIndex(lines, '# Framework packages'))
  })

  it("today's stacks put JupyterLab in its own layer between the framework and the user's packages", () => {
    const r = loadResolved('pytorch-gpu-cu126')
    r.pip = [...r.pip, { name: 'numpy', version: '2.2.6', requirement: 'numpy==2.2.6', reason: 'stack' }]
    const text = renderDockerfile(r)
    const [framework, tooling, user] = [text.indexOf('# Framework packages'), text.indexOf('# Tooling'), text.indexOf('# User packages')]
    expect(framework).toBeGreaterThan(0)
    expect(tooling).toBeGreaterThan(framework)
    expect(user).toBeGreaterThan(tooling)
    const layer = text.slice(tooling, user)
    expect(layer).toContain('pip-report-tooling.json')
    expect(layer).toContain("'jupyterlab")
    expect(layer).not.toContain("'numpy==2.2.6'")
    expect(text.slice(user)).toContain("'numpy==2.2.6'")
  })

  const unlocked = withFramework.filter((n) => !loadResolved(n).locked)
  const locked = withFramework.filter((n) => loadResolved(n).locked)

  it.each(unlocked)('%s: a changed user pin leaves every line before the user packages as it was', (name) => {
    const a = loadResolved(name)
    const b = loadResolved(name)
    // A stack with no package of its own gets one, so that every fixture has a user layer to change.
    const own = { name: 'envctl-own-pin', version: '1.0', requirement: 'envctl-own-pin==1.0', reason: 'stack' as const }
    if (!renderDockerfile(a).includes('# User packages')) for (const r of [a, b]) r.pip = [...r.pip, own]
    const user = b.pip.find((p) => renderDockerfile(a).split('# User packages')[1]?.includes(`'${p.requirement}'`) && !renderDockerfile(a).split('# User packages')[0]!.includes(`'${p.requirement}'`))
    expect(user, 'a package only in the user layer').toBeDefined()
    b.pip = b.pip.map((p) => (p === user ? { ...p, version: '9.9.9', requirement: `${p.name}==9.9.9` } : p))
    const [ta, tb] = [renderDockerfile(a), renderDockerfile(b)]
    expect(tb).not.toBe(ta)
    expect(tb.split('# User packages')[0]).toBe(ta.split('# User packages')[0])
  })

  it.each(withFramework)('%s: every pip install downloads through a BuildKit cache mount', (name) => {
    const runs = parseDockerfile(renderDockerfile(loadResolved(name))).instructions.filter((i) => i.keyword === 'RUN' && i.args.includes('pip install'))
    expect(runs.length).toBeGreaterThanOrEqual(2)
    for (const r of runs) expect(r.args).toMatch(/--mount=type=cache,[^ ]*target=\/root\/\.cache\/pip/)
  })

  it.each(locked)('%s (locked): a changed user pin changes the user requirements file only; the Dockerfile stays as it was', (name) => {
    const a = loadResolved(name)
    const b = loadResolved(name)
    const user = b.locked!.pip.find((p) => p.layer === 'user')
    expect(user, 'a locked user package').toBeDefined()
    b.locked!.pip = b.locked!.pip.map((p) => (p === user ? { ...p, version: '9.9.9', sha256: 'f'.repeat(64) } : p))
    const [fa, fb] = [renderContextFiles(a), renderContextFiles(b)]
    const userFile = Object.keys(fa).find((k) => k.endsWith('pip-user.txt'))!
    const frameworkFile = Object.keys(fa).find((k) => k.endsWith('pip-framework.txt'))!
    expect(fb[userFile]).not.toBe(fa[userFile])
    expect(fb[frameworkFile]).toBe(fa[frameworkFile])
    const toolingFile = Object.keys(fa).find((k) => k.endsWith('pip-tooling.txt'))
    if (toolingFile) expect(fb[toolingFile]).toBe(fa[toolingFile])
    expect(renderDockerfile(b)).toBe(renderDockerfile(a))
  })
})
