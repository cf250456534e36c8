/**
 * The workspace on a remote engine (tcp+TLS, a test host in its own network namespace: side-engine.ts) without
 * `workspace = "remote:…"`: `up` uploads it into the environment's volume there, leaving out what .gitignore
 * files and `[workspace] exclude` name, owned by the invoking user; `sync --pull` brings back what was made
 * there; the next `up` sends only what changed; `down` keeps the volume and `down --volumes` removes it; the
 * local engine never sees any of it.
 */
import { existsSync } from 'node:fs'
import { readFile, rm, writeFile } from 'node:fs/promises'
import Docker from 'dockerode'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { testRunId } from './support/cleanup.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { remoteCli } from './support/remote-cli.js'
import { describeSideEngine, SideEngine } from './support/side-engine.js'

const id = testRunId().replace(/[^a-z0-9]/g, '')
const env = `rws-${id}`
const BASE = 'node:20-bookworm-slim'

const STACK = [`name = "${env}"`, '[node]\nversion = "20"', '[workspace]\nexclude = ["data/"]', ''].join('\n')

interface Upload { volume: string; engine: string; created: boolean; uploaded: number; removed: number; unchanged: number; files: number }

describeSideEngine('the workspace uploaded to a remote engine', () => {
  let engine: SideEngine
  let ws: Workspace
  let state: Workspace
  let volume: string

  const { envctl, ok } = remoteCli(() => ({ engine, ws, state }))
  const inside = async (script: string) => ok(await envctl(['exec', '--', 'sh', '-c', script])).stdout

  beforeAll(async () => {
    engine = await SideEngine.start({ remote: true })
    await engine.loadImage(BASE)
    ws = await makeWorkspace({
      'envctl.toml': STACK,
      '.gitignore': '*.log\nbuild/\n',
      '.git/HEAD': 'ref: refs/heads/main\n',
      'src/app.js': 'console.log(1)\n',
      'src/.gitignore': 'secret.txt\n',
      'src/secret.txt': 'not for the server\n',
      'old.txt': 'to be deleted\n',
      'local.log': 'ignored, and never deleted by a pull\n',
      'build/out.txt': 'ignored folder\n',
      'data/big.bin': 'excluded by the stack file\n',
    })
    state = await makeWorkspace()
  }, 120_000)

  afterAll(async () => {
    await engine?.teardown()
    await ws?.remove()
    await state?.remove()
  })

  // Six files: the five not ignored, and envctl.lock, which up writes before it uploads.
  it('up uploads the workspace into a volume there, ignored files left out, and exec sees it as the user\'s', async () => {
    const up = ok(await envctl(['up', '--json']))
    const r = up.json as { workspaceUpload: Upload; mounts: Array<{ source: string; target: string }>; notes: string[] }
    volume = r.workspaceUpload.volume
    expect(r.workspaceUpload).toMatchObject({ engine: engine.remote!.tcpHost, created: true, uploaded: 6, removed: 0, unchanged: 0, files: 6 })
    expect(r.mounts).toContainEqual({ source: volume, target: '/workspace' })
    expect(r.notes).toContainEqual(expect.stringMatching(new RegExp(`^workspace: uploaded 6 files \\([\\d.]+ K?B\\) to volume ${volume} on ${engine.remote!.tcpHost.replace(/\./g, '\\.')}$`)))
    const listed = await inside('cd /workspace && find . -type f | sort && stat -c %u:%g . src src/app.js')
    expect(listed).toBe(`./.gitignore\n./envctl.lock\n./envctl.toml\n./old.txt\n./src/.gitignore\n./src/app.js\n${`${ws.user.uid}:${ws.user.gid}\n`.repeat(3)}`)
    const labels = (await engine.docker.getVolume(volume).inspect()).Labels
    expect(labels).toMatchObject({ 'dev.envctl.managed': '1', 'dev.envctl.workspace-of': expect.stringMatching(/^[0-9a-f]{64}$/) })
  }, 240_000)

  it('a file made in the container comes back with sync --pull; ignored files are neither brought nor deleted', async () => {
    await inside('echo made-there > /workspace/result.txt && echo ignored > /workspace/there.log && rm /workspace/old.txt && echo edited > /workspace/src/app.js')
    const pull = ok(await envctl(['sync', '--pull', '--json']))
    const r = pull.json as { action: string; pull: { written: string[]; deleted: string[]; conflicts: string[] } }
    expect(r).toMatchObject({ action: 'pull', pull: { written: ['result.txt', 'src/app.js'], deleted: ['old.txt'], conflicts: [] } })
    expect(await readFile(ws.path('result.txt'), 'utf8')).toBe('made-there\n')
    expect(await readFile(ws.path('src/app.js'), 'utf8')).toBe('edited\n')
    expect(existsSync(ws.path('old.txt'))).toBe(false)
    expect(existsSync(ws.path('there.log'))).toBe(false)
    expect(await readFile(ws.path('local.log'), 'utf8')).toBe('ignored, and never deleted by a pull\n')
    expect(ok(await envctl(['sync', '--pull'])).stdout).toContain(`workspace: nothing changed in volume ${volume}`)
    // Changed on both sides since the last sync: yours is kept, and named.
    await inside('echo changed-there > /workspace/result.txt')
    await writeFile(ws.path('result.txt'), 'changed here\n')
    const both = ok(await envctl(['sync', '--pull']))
    expect(both.stdout).toContain('kept your result.txt: it changed here and in the volume since the last sync')
    expect(await readFile(ws.path('result.txt'), 'utf8')).toBe('changed here\n')
  }, 120_000)

  it('a second up uploads only the changed file and removes a deleted one; sync with nothing changed says so', async () => {
    await writeFile(ws.path('src/app.js'), 'console.log(2)\n')
    await rm(ws.path('result.txt'))
    const up = ok(await envctl(['up', '--json']))
    const r = up.json as { action: string; workspaceUpload: Upload; notes: string[] }
    expect(r.action).toBe('running')
    expect(r.workspaceUpload).toMatchObject({ created: false, uploaded: 1, removed: 1, unchanged: 4 })
    expect(r.notes).toContain(`workspace: 1 changed file uploaded (15 B) to volume ${volume} on ${engine.remote!.tcpHost}; 4 unchanged; 1 file removed there`)
    // For people, the line is on stderr.
    expect(ok(await envctl(['up'])).stderr).toContain(`workspace: up to date in volume ${volume} on ${engine.remote!.tcpHost} (5 files,`)
    expect(await inside('cat /workspace/src/app.js; test -e /workspace/result.txt || echo gone')).toBe('console.log(2)\ngone\n')
    await writeFile(ws.path('new.txt'), 'pushed without up\n')
    expect(ok(await envctl(['sync', '--json'])).json).toMatchObject({ action: 'push', push: { uploaded: 1, unchanged: 5 } })
    expect(await inside('cat /workspace/new.txt')).toBe('pushed without up\n')
    expect(ok(await envctl(['sync'])).stdout).toContain(`workspace: up to date in volume ${volume}`)
  }, 180_000)

  it('sync against the local engine has nothing to do: there /workspace is this folder', async () => {
    const r = ok(await envctl(['sync'], { DOCKER_HOST: undefined, DOCKER_TLS_VERIFY: undefined, DOCKER_CERT_PATH: undefined }))
    expect(r.stdout).toMatch(/^nothing to do: the engine at unix:\/\/\S+ is on this machine: \/workspace is this folder, bind-mounted/)
  })

  it('down keeps the workspace volume, down --volumes removes it, and sync then says there is no environment', async () => {
    expect(ok(await envctl(['down'])).stdout).toContain(`kept workspace volume ${volume} (down --volumes removes it`)
    expect((await engine.docker.getVolume(volume).inspect()).Name).toBe(volume)
    ok(await envctl(['up']))
    expect(ok(await envctl(['down', '--volumes'])).stdout).toContain(`removed workspace volume ${volume}`)
    expect((await engine.docker.listVolumes()).Volumes?.map((v) => v.Name) ?? []).not.toContain(volume)
    const sync = await envctl(['sync', '--pull'])
    expect(sync.code).toBe(16)
    expect(sync.stderr).toContain(`error[NOT_FOUND]: no environment of yours for ${ws.dir}`)
  }, 180_000)

  it('never touches the local engine: no container or volume of this test there', async () => {
    const local = new Docker()
    expect(await local.listContainers({ all: true, filters: { label: [`dev.envctl.project=${env}`] } })).toEqual([])
    expect((await local.listVolumes({ filters: { label: [`dev.envctl.service-env=${env}`] } })).Volumes ?? []).toEqual([])
  })
})
