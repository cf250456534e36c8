#!/usr/bin/env node
// Time to a usable notebook, on a cached image: `envctl up --notebook` (until its printed URL answers
// /api/status with the token) against a bare `docker run` of the same image with the same jupyter command,
// polled on the same endpoint. Runs alternate (envctl, docker, envctl, ...) so drift hits both alike.
//
//   npm run build && node bench/notebook.mjs [--runs 5] [--append]
//
// Run it as the user who would use envctl (not root): the container runs as that uid.
//
// --append adds the result under "## Notebook" in docs/BENCHMARKS.md. Not part of the test suite.
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync, chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { get } from 'node:http'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cli = join(root, 'bin/run.js')
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5
const append = process.argv.includes('--append')
const docker = (...args) => execFileSync('/usr/bin/docker', args, { encoding: 'utf8' }).trim()
const envctl = (cwd, ...args) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, XDG_STATE_HOME: join(cwd, '.state') } })

// The config path and command envctl uses (src/notebook/server-config.ts).
const CONFIG = '/home/envctl/.config/envctl/jupyter_server_config.json'
const JUPYTER = ['jupyter', 'lab', `--config=${CONFIG}`, '--no-browser', '--ip=0.0.0.0', '--port=8888']

function status(url) {
  return new Promise((resolve) => {
    const req = get(url, (res) => (res.resume(), resolve(res.statusCode)))
    req.setTimeout(2000, () => req.destroy())
    req.on('error', () => resolve(null))
  })
}

async function until200(url, timeoutMs = 120_000) {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if ((await status(url)) === 200) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${url} did not answer 200`)
}

const ws = mkdtempSync(join(tmpdir(), 'envctl-bench-nb-'))
cpSync(join(root, 'test/fixtures/stacks/pytorch-cpu/envctl.toml'), join(ws, 'envctl.toml'))
const name = `bench-nb-${randomBytes(3).toString('hex')}`
const uid = process.getuid()
const gid = process.getgid()

// Warm-up, twice: the first up writes envctl.lock, and the image built from the lock is the one every
// timed run (and the docker baseline) uses, from the cache.
const images = new Set()
for (let i = 0; i < 2; i++) {
  const warm = envctl(ws, 'up', '--name', name, '--json')
  if (warm.status !== 0) throw new Error(`warm-up up failed:\n${warm.stdout}\n${warm.stderr}`)
  images.add(JSON.parse(warm.stdout).image)
  envctl(ws, 'down', name)
}
const image = [...images].at(-1)

const cfgDir = mkdtempSync(join(tmpdir(), 'envctl-bench-cfg-'))
const token = randomBytes(32).toString('hex')
// What envctl writes, allow_root included when the bench runs as root (envctl's container then runs as root too).
writeFileSync(join(cfgDir, 'config.json'), JSON.stringify({ IdentityProvider: { token }, ServerApp: { root_dir: '/workspace', ...(uid === 0 ? { allow_root: true } : {}) } }))
chmodSync(join(cfgDir, 'config.json'), 0o644)
const dockerArgs = (port) => ['run', '-d', '--name', `${name}-docker`, '--init', '-u', `${uid}:${gid}`, '-e', 'HOME=/home/envctl', '-p', `127.0.0.1:${port}:8888`,
  '-v', `${ws}:/workspace`, '-v', `${cfgDir}/config.json:${CONFIG}:ro`, '-w', '/workspace', image, ...JUPYTER]

async function timeEnvctl() {
  const t0 = performance.now()
  const r = envctl(ws, 'up', '--notebook', '--name', name, '--json')
  if (r.status !== 0) throw new Error(`envctl up --notebook failed:\n${r.stdout}\n${r.stderr}`)
  const result = JSON.parse(r.stdout)
  const { url, port } = result.notebook
  images.add(result.image)
  await until200(`http://127.0.0.1:${port}/api/status?token=${new URL(url).searchParams.get('token')}`)
  const ms = performance.now() - t0
  envctl(ws, 'down', name)
  return ms
}

async function timeDocker(port) {
  const t0 = performance.now()
  docker(...dockerArgs(port))
  await until200(`http://127.0.0.1:${port}/api/status?token=${token}`)
  const ms = performance.now() - t0
  docker('rm', '-f', `${name}-docker`)
  return ms
}

const times = { envctl: [], docker: [] }
try {
  for (let i = 0; i < runs; i++) {
    times.envctl.push(await timeEnvctl())
    times.docker.push(await timeDocker(18_888))
  }
} finally {
  spawnSync('/usr/bin/docker', ['rm', '-f', `envctl-${name}`, `${name}-docker`], { stdio: 'ignore' })
  // Every tag of this run's repository (envctl may tag the image before and after writing the lock).
  // Untags only: the layers stay cached for the tests.
  const repos = [...new Set([...images].map((i) => i.replace(/:[^:/]+$/, '')))]
  for (const tag of repos.flatMap((repo) => docker('images', repo, '--format', '{{.Repository}}:{{.Tag}}').split('\n').filter(Boolean))) {
    const r = spawnSync('/usr/bin/docker', ['rmi', tag], { encoding: 'utf8' })
    if (r.status !== 0) process.stderr.write(`could not untag ${tag}: ${r.stderr}`)
  }
  rmSync(ws, { recursive: true, force: true })
  rmSync(cfgDir, { recursive: true, force: true })
}

const sorted = (xs) => [...xs].sort((a, b) => a - b)
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)]
const s = (ms) => (ms / 1000).toFixed(2)
const row = (k) => `| ${k} | ${s(median(times[k]))} | ${s(sorted(times[k])[0])} | ${s(sorted(times[k]).at(-1))} | ${times[k].map(s).join(', ')} |`
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} CPUs, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, Docker ${docker('version', '--format', '{{.Server.Version}}')}, node ${process.version}`
const section = `
## Notebook

Time until the notebook URL answers \`GET /api/status?token=…\` with 200, image cached (${new Date().toISOString().slice(0, 10)}, \`node bench/notebook.mjs --runs ${runs}\`).

- envctl: \`envctl up --notebook --name ${name} --json\` in a copy of test/fixtures/stacks/pytorch-cpu, then one GET on the printed URL's status endpoint; the environment is removed (\`envctl down\`) between runs, so every run creates its container, writes the user and the token config into it, starts it and waits for JupyterLab.
- docker: \`docker run -d --init -u UID:GID -e HOME=/home/envctl -p 127.0.0.1:18888:8888 -v WS:/workspace -v CFG:${CONFIG}:ro -w /workspace ${image} ${JUPYTER.join(' ')}\`, then GET every 50 ms until 200; \`docker rm -f\` between runs.
- Runs alternate envctl/docker, as uid ${uid}. Machine: ${machine}.

| | median s | min s | max s | runs (s) |
| --- | --- | --- | --- | --- |
${row('envctl')}
${row('docker')}

Ratio of medians (envctl / docker run): **${(median(times.envctl) / median(times.docker)).toFixed(2)}×**. envctl's extra time is its own start-up (node + oclif), resolving the stack and checking the image, and the config written into the container before it starts; JupyterLab's own start dominates both.
`
process.stdout.write(section)
if (append) {
  const file = join(root, 'docs/BENCHMARKS.md')
  if (!existsSync(file) || !readFileSync(file, 'utf8').trim()) writeFileSync(file, '# Benchmarks\n')
  appendFileSync(file, section)
}
