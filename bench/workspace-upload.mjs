#!/usr/bin/env node
// The workspace upload to a remote engine (docs/REMOTE.md): a project of 1,000 files / 200 MB (random bytes,
// so nothing compresses), first `envctl up` (new volume: everything is sent), second `up` (nothing changed:
// the manifest says so without reading a file), and an `up` after one file changed. The image is built once
// before the runs, so each `up` is the upload plus creating or keeping the container.
//
//   npm run build && node bench/workspace-upload.mjs [--runs 3] [--append]
//
// The "remote" engine is this machine's, reached as tcp://127.0.0.1:PORT through a plain TCP relay to its
// socket (envctl treats every tcp:// engine as remote): it measures envctl's work (scan, hash, tar, Engine API)
// without a network in between. Against a real remote engine add the transfer time of 200 MB on that link.
// --append writes the result as "## Workspace upload" in docs/BENCHMARKS.md. Not part of the test suite.
import { spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'bin/run.js')
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3
const append = process.argv.includes('--append')
const FILES = 1000
const BINS = FILES - 3 // besides envctl.toml, .gitignore and the envctl.lock the first up writes
const SIZE = Math.round(200e6 / BINS)

const relay = createServer((c) => c.pipe(connect('/var/run/docker.sock')).pipe(c))
await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve))
const host = `tcp://127.0.0.1:${relay.address().port}`

const ws = mkdtempSync(join(tmpdir(), 'envctl-bench-ws-'))
const name = `bench-ws-${randomBytes(3).toString('hex')}`
writeFileSync(join(ws, 'envctl.toml'), `name = "${name}"\n[node]\nversion = "20"\n`)
for (let i = 0; i < BINS; i++) {
  const dir = join(ws, `d${i % 20}`)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, `f${i}.bin`), randomBytes(SIZE))
}
const env = { ...process.env, DOCKER_HOST: host, DOCKER_TLS_VERIFY: '', XDG_STATE_HOME: join(ws, '.state') }
writeFileSync(join(ws, '.gitignore'), '.state/\n')

// The relay runs in this process: the CLI must run asynchronously (spawnSync would block it).
async function timed(...args) {
  const started = process.hrtime.bigint()
  const out = await new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [cli, ...args], { cwd: ws, env })
    const chunks = []
    const errs = []
    p.stdout.on('data', (c) => chunks.push(c))
    p.stderr.on('data', (c) => errs.push(c))
    p.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks).toString()) : reject(new Error(`envctl ${args.join(' ')} failed (${code}): ${Buffer.concat(errs)}`))))
  })
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, json: args.includes('--json') ? JSON.parse(out) : null }
}

const rows = { first: [], second: [], oneChanged: [] }
let line = ''
try {
  await timed('build')
  for (let i = 0; i < runs; i++) {
    const first = await timed('up', '--json')
    rows.first.push(first.seconds)
    line = first.json.notes.find((n) => n.startsWith('workspace: '))
    const second = await timed('up', '--json')
    rows.second.push(second.seconds)
    writeFileSync(join(ws, 'd0', 'f0.bin'), randomBytes(SIZE))
    const third = await timed('up', '--json')
    rows.oneChanged.push(third.seconds)
    if (third.json.workspaceUpload.uploaded !== 1) throw new Error(`expected 1 file uploaded, got ${JSON.stringify(third.json.workspaceUpload)}`)
    await timed('down', '--volumes')
  }
} finally {
  relay.close()
  rmSync(ws, { recursive: true, force: true })
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const fmt = (xs) => `| ${median(xs).toFixed(2)} | ${Math.min(...xs).toFixed(2)} | ${Math.max(...xs).toFixed(2)} | ${xs.map((x) => x.toFixed(2)).join(', ')} |`
const docker = spawnSync('docker', ['version', '--format', '{{.Server.Version}}'], { encoding: 'utf8' }).stdout.trim()
const section = `## Workspace upload

Measured ${new Date().toISOString().slice(0, 16)}Z on ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}, ${Math.round(totalmem() / 2 ** 30)} GiB, Docker ${docker}, node ${process.version}; ${runs} runs each.
Command: \`node bench/workspace-upload.mjs --runs ${runs} --append\`: a project of ${FILES.toLocaleString('en-US')} files / ${(BINS * SIZE / 1e6).toFixed(0)} MB of random bytes, \`envctl up --json\` against the local engine reached as a tcp:// engine (a loopback TCP relay to its socket, so envctl uploads into a volume as on a remote engine, without a network's transfer time); the image is built before the runs and \`envctl down --volumes\` ends each run. First \`up\` said: \`${line}\`.

| \`envctl up\` | median s | min s | max s | runs (s) |
| --- | --- | --- | --- | --- |
| first (new volume: everything uploaded, container created) ${fmt(rows.first)}
| second (nothing changed: no file read, no helper) ${fmt(rows.second)}
| after one ${Math.round(SIZE / 1000)} KB file changed (1 file uploaded) ${fmt(rows.oneChanged)}

The first \`up\` is dominated by moving the bytes: reading and hashing every file, packing archives of at most
64 MB and the engine unpacking them into the volume through a helper container. The second reads no file (size
and mtime match the manifest) and starts no helper, so it costs what a no-op \`up\` costs. After one changed file
the difference is hashing that file, starting and removing the helper and one small archive. On a shared
machine (see the load average) read the numbers as upper bounds.
`
console.log(section)
if (append) {
  const file = join(ws + '-section.md')
  writeFileSync(file, section)
  spawnSync(process.execPath, [join(root, 'bench/write-section.mjs'), join(root, 'docs/BENCHMARKS.md'), 'Workspace upload', file], { stdio: 'inherit' })
  rmSync(file)
}
