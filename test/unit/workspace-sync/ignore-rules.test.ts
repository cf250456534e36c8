import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { IgnoreRules } from '../../../src/workspace-sync/ignore-rules.js'
import { scanWorkspace } from '../../../src/workspace-sync/scan.js'

describe('IgnoreRules', () => {
  it('leaves .git out at any depth, whatever the rules say', () => {
    const r = new IgnoreRules(['!.git'])
    expect(r.ignored('.git', true)).toBe(true)
    expect(r.ignored('vendor/lib/.git', false)).toBe(true)
    expect(r.ignored('.gitignore', false)).toBe(false)
  })

  it('applies a nested .gitignore below its folder only, and a deeper one has the last word', () => {
    const r = new IgnoreRules()
    r.addGitignore('', '*.log\nbuild/\n')
    r.addGitignore('app', '!keep.log\ntmp\n')
    expect(r.ignored('a.log', false)).toBe(true)
    expect(r.ignored('app/keep.log', false)).toBe(false)
    expect(r.ignored('keep.log', false)).toBe(true)
    expect(r.ignored('app/tmp', false)).toBe(true)
    expect(r.ignored('tmp', false)).toBe(false)
    expect(r.ignored('build', true)).toBe(true)
    expect(r.ignored('build', false)).toBe(false)
  })

  it('reads [workspace] exclude after every .gitignore, so it wins both ways', () => {
    const r = new IgnoreRules(['data/', '!important.log'])
    r.addGitignore('', '*.log\n')
    r.addGitignore('sub', '!data/\n')
    expect(r.ignored('data', true)).toBe(true)
    expect(r.ignored('sub/data', true)).toBe(true)
    expect(r.ignored('important.log', false)).toBe(false)
    expect(r.ignored('other.log', false)).toBe(true)
  })
})

describe('scanWorkspace', () => {
  let dir: string
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  async function tree(files: Record<string, string>): Promise<string> {
    dir = await mkdtemp(join(tmpdir(), 'envctl-scan-'))
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true })
      await writeFile(join(dir, path), content)
    }
    return dir
  }

  it('finds every file not ignored, with nested .gitignore files, .git/info/exclude and the exclude list; links travel as links', async () => {
    const root = await tree({
      '.gitignore': 'node_modules/\n*.pyc\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/info/exclude': 'secret.txt\n',
      'secret.txt': 's',
      'src/a.py': 'print(1)\n',
      'src/a.pyc': 'x',
      'src/.gitignore': 'generated/\n',
      'src/generated/g.py': 'g',
      'node_modules/x/index.js': 'x',
      'data/big.bin': 'b',
      'README.md': '# r\n',
    })
    await symlink('README.md', join(root, 'LINK.md'))
    const scan = await scanWorkspace(root, ['data/'])
    expect(Object.keys(scan.files).sort()).toEqual(['.gitignore', 'LINK.md', 'README.md', 'src/.gitignore', 'src/a.py'])
    expect(scan.files['src/a.py']).toMatchObject({ size: 9, mode: 0o644 })
    expect(scan.files['LINK.md']).toMatchObject({ link: 'README.md' })
    expect(scan.skipped).toEqual([])
  })
})
