// The checks bench/gpu-check.sh runs on a real GPU machine, with the packed envctl ($ENVCTL_BIN). Plain Node, no
// dependencies: prints a report and ends with `gpu-check: PASS` or `FAIL` (exit 1). See docs/GPU.md.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'

const [ENVCTL_NODE, ...ENVCTL_ARGS] = (process.env.ENVCTL_BIN ?? '').split(' ')
const PYTHON = process.env.PYTHON ?? 'python3'
const BUILT_INS = ['pytorch', 'tensorflow-gpu', 'node', 'java']
const failures = []

const say = (line = '') => console.log(line)
const section = (title) => say(`\n## ${title}\n`)
function verdict(ok, what) {
  say(`${ok ? 'PASS' : 'FAIL'}  ${what}`)
  if (!ok) failures.push(what)
}

function run(file, args, opts = {}) {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 120_000, ...opts })
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? String(r.error) : '') }
}
const envctl = (args, cwd) => run(ENVCTL_NODE, [...ENVCTL_ARGS, ...args], { cwd })
const json = (text) => {
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

function machine() {
  section('machine')
  say(`date: ${new Date().toISOString()}`)
  say(`host: ${hostname()}`)
  const os = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1]
  say(`os: ${os ?? 'unknown'}; kernel ${execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim()}`)
  say(`node: ${process.version}; envctl: ${envctl(['--version']).stdout.trim()}`)
  const banner = run('nvidia-smi', [])
  say(banner.stdout.split('\n').filter((l) => /NVIDIA-SMI|Driver Version/.test(l)).join('\n'))
  say(run('nvidia-smi', ['-L']).stdout.trim())
  const csv = run('nvidia-smi', ['--query-gpu=index,name,uuid,driver_version,compute_cap,memory.total', '--format=csv,noheader,nounits'])
  verdict(csv.code === 0, 'nvidia-smi answers')
  return csv.stdout.trim().split('\n').filter(Boolean).map((l) => {
    const [index, name, uuid, driver, cc, memory] = l.split(',').map((v) => v.trim())
    return { index: Number(index), name, uuid, driver, cc, memoryMiB: Number(memory) }
  })
}

function doctor(gpus) {
  section('envctl doctor --json (no Docker here: the engine checks fail)')
  const r = envctl(['doctor', '--json'], tmpdir())
  const report = json(r.stdout)
  say(r.stdout.trim())
  const gpu = report?.checks?.find((c) => c.name === 'gpu')
  verdict(gpu?.status === 'ok', `doctor's gpu check is ok (${gpu?.detail ?? r.stderr.trim()})`)
  for (const g of gpus) {
    const expected = [`GPU ${g.index}: ${g.name}`, `sm_${g.cc.replace('.', '')}`, `${Math.round(g.memoryMiB / 1024)} GiB`, `driver ${g.driver}`]
    verdict(expected.every((e) => gpu?.detail?.includes(e)), `doctor reads GPU ${g.index} right: ${expected.join(', ')}`)
  }
}

function resolveLine(label, r) {
  const j = json(r.stdout)
  if (!j || j.error) {
    say(`${label}: error ${j?.error?.code ?? r.code}: ${j?.error?.message ?? r.stderr.trim()}`)
    return null
  }
  const fw = Object.entries(j.frameworks ?? {}).map(([k, v]) => `${k} ${v}${j.variants?.[k] ? ` (${j.variants[k]})` : ''}`).join(', ')
  say(`${label}: ${j.gpu ? 'GPU' : 'CPU'} build, cuda ${j.cuda ?? '-'}, ${fw || j.runtime}, base ${j.base?.image}${j.warnings?.length ? `; ${j.warnings.length} warning(s)` : ''}`)
  return j
}

function resolves(driverCuda, torchVersion) {
  section('envctl resolve --json: the built-ins, for this host')
  for (const stack of BUILT_INS) {
    const j = resolveLine(stack, envctl(['resolve', stack, '--json'], tmpdir()))
    verdict(j !== null, `${stack} resolves here`)
    if (j?.gpu && j.cuda) verdict(Number(j.cuda) <= Number(driverCuda), `${stack}'s CUDA ${j.cuda} runs on this driver (CUDA ≤ ${driverCuda})`)
  }
  section('envctl resolve --json: pinned torch releases, for this host')
  const releases = JSON.parse(readFileSync('data/matrix/pytorch.json', 'utf8')).releases.map((r) => r.torch)
  const pins = [...new Set([torchVersion, ...releases.slice(-4), '2.4.1', '2.0.1', '1.13.1'].filter((v) => v && releases.includes(v)))]
  for (const v of pins) {
    const dir = mkdtempSync(join(tmpdir(), 'envctl-pin-'))
    writeFileSync(join(dir, 'envctl.toml'), `name = "pin"\nextends = "pytorch"\n[frameworks]\npytorch = "==${v}"\n`)
    resolveLine(`torch ${v}`, envctl(['resolve', '--json'], dir))
  }
}

const PY = `
import json, time, torch
out = {"version": torch.__version__, "cuda": torch.version.cuda, "available": torch.cuda.is_available()}
if out["available"]:
    out["archs"] = torch.cuda.get_arch_list()
    out["capability"] = "%d.%d" % torch.cuda.get_device_capability(0)
    out["name"] = torch.cuda.get_device_name(0)
    a = torch.randn(2048, 2048, device="cuda")
    torch.cuda.synchronize(); t = time.perf_counter(); b = a @ a; torch.cuda.synchronize()
    out["matmul_ms"] = round((time.perf_counter() - t) * 1000, 2)
    out["matmul_max_err"] = float((b.cpu() - a.cpu() @ a.cpu()).abs().max() / (a.cpu() @ a.cpu()).abs().max())
print(json.dumps(out))
`

function torchFacts() {
  section(`torch on this machine (${PYTHON})`)
  const r = run(PYTHON, ['-c', PY])
  const t = json(r.stdout.trim().split('\n').at(-1) ?? '')
  say(t ? JSON.stringify(t) : r.stderr.trim())
  verdict(t?.available === true, 'torch sees the GPU')
  return t
}

function dataAgainstHardware(t) {
  section('data/matrix against the hardware')
  const [version, local] = t.version.split('+')
  const release = JSON.parse(readFileSync('data/matrix/pytorch.json', 'utf8')).releases.find((r) => r.torch === version)
  const variant = release?.variants.find((v) => v.localTag === `+${local}` || v.name === local)
  verdict(Boolean(variant), `data/matrix records torch ${version} ${local ?? '(no local tag)'}`)
  if (!variant) return
  const recorded = [...(variant.archs ?? []).map((cc) => `sm_${cc.replace('.', '')}`), ...(variant.ptx ?? []).map((cc) => `compute_${cc.replace('.', '')}`)]
  say(`recorded: cuda ${variant.cuda}, archs ${recorded.join(' ')}`)
  say(`torch:    cuda ${t.cuda}, archs ${t.archs.join(' ')}`)
  verdict(variant.cuda === t.cuda, `CUDA of ${t.version}: data ${variant.cuda}, torch.version.cuda ${t.cuda}`)
  verdict([...recorded].sort().join(' ') === [...t.archs].sort().join(' '), `arch list of ${t.version} equals torch.cuda.get_arch_list()`)
  verdict((variant.archs ?? []).includes(t.capability), `the GPU's sm_${t.capability.replace('.', '')} (${t.name}) is among the recorded archs`)
  verdict(t.matmul_max_err < 1e-2, `a 2048×2048 CUDA matmul runs (${t.matmul_ms} ms, relative error ${t.matmul_max_err.toExponential(2)} against the CPU)`)
}

const gpus = machine()
const driverCuda = run('nvidia-smi', []).stdout.match(/CUDA Version\s*:\s*(\d+\.\d+)/)?.[1] ?? '0'
doctor(gpus)
const t = torchFacts()
resolves(driverCuda, t?.version?.split('+')[0])
if (t?.available) dataAgainstHardware(t)
say(`\ngpu-check: ${failures.length ? `FAIL (${failures.length}: ${failures.join('; ')})` : 'PASS'}`)
process.exitCode = failures.length ? 1 : 0
