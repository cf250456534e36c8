import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCredentialHelper, type HelperCall } from '../../../src/engine/credential-helper.js'
import { readRegistryAuth } from '../../../src/engine/docker-config-file.js'
import { EnvctlError, renderError } from '../../../src/errors/envctl-error.js'

const SECRET = 's3cr3t-never-shown'

/** A folder holding docker-credential-<name> with the given shell body; its PATH finds it and sh, nothing else of the host's. */
function helperOnPath(name: string, body: string): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), 'envctl-helper-'))
  const file = join(dir, `docker-credential-${name}`)
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, 0o755)
  return { dir, env: { PATH: `${dir}:/usr/bin:/bin` } }
}

const call = (name: string, serverUrl = '127.0.0.1:5001'): HelperCall => ({ name, via: 'credsStore', serverUrl, configFile: '/home/ada/.docker/config.json' })

async function rejection(p: Promise<unknown>): Promise<EnvctlError> {
  const err = await p.then(() => undefined, (e: unknown) => e)
  expect(err).toBeInstanceOf(EnvctlError)
  return err as EnvctlError
}

describe('runCredentialHelper', () => {
  it('runs `docker-credential-<name> get` with the server URL on stdin (no newline) and reads the JSON answer', async () => {
    const { dir, env } = helperOnPath('t1', `[ "$1" = get ] || exit 3\ncat > "$(dirname "$0")/stdin"\necho '{"ServerURL":"127.0.0.1:5001","Username":"ada","Secret":"${SECRET}"}'`)
    expect(await runCredentialHelper(call('t1'), { env })).toEqual({ serveraddress: '127.0.0.1:5001', username: 'ada', password: SECRET })
    expect(readFileSync(join(dir, 'stdin'), 'utf8')).toBe('127.0.0.1:5001')
  })

  it('passes an identity token (Username "<token>") as one', async () => {
    const { env } = helperOnPath('t2', `echo '{"ServerURL":"x","Username":"<token>","Secret":"tok"}'`)
    expect(await runCredentialHelper(call('t2'), { env })).toEqual({ serveraddress: '127.0.0.1:5001', identitytoken: 'tok' })
  })

  it('means anonymous when the helper has no credentials for the server', async () => {
    const { env } = helperOnPath('t3', 'echo "credentials not found in native keychain"; exit 1')
    expect(await runCredentialHelper(call('t3'), { env })).toBeUndefined()
  })

  it('names the helper, the setting, the registry and the fix when the helper is not on PATH', async () => {
    const err = await rejection(runCredentialHelper(call('nowhere'), { env: { PATH: '/nonexistent' } }))
    expect(err.code).toBe('PULL_FAILED')
    expect(err.message).toBe('cannot get credentials for 127.0.0.1:5001 from the credential helper "nowhere" (credsStore in /home/ada/.docker/config.json): docker-credential-nowhere is not on PATH')
    expect(err.hint).toMatch(/install docker-credential-nowhere .*remove credsStore from \/home\/ada\/\.docker\/config\.json/)
  })

  it('says a helper that is there but not executable is not an executable file on PATH', async () => {
    const { dir } = helperOnPath('t7', 'exit 0')
    chmodSync(join(dir, 'docker-credential-t7'), 0o644)
    const err = await rejection(runCredentialHelper(call('t7'), { env: { PATH: dir } }))
    expect(err.message).toMatch(/docker-credential-t7 is not an executable file on PATH \(EACCES\)$/)
    expect(err.hint).toMatch(/chmod \+x/)
  })

  it('reports a failing helper with its message, and never its answer', async () => {
    const { env } = helperOnPath('t4', 'echo "error getting credentials: keychain locked"; exit 2')
    const err = await rejection(runCredentialHelper(call('t4'), { env }))
    expect(err.message).toMatch(/"t4" .*: it exited with 2: error getting credentials: keychain locked$/)
    expect(err.hint).toMatch(/docker login 127\.0\.0\.1:5001/)
  })

  it('does not show an answer that is not JSON (it may hold the secret)', async () => {
    const { env } = helperOnPath('t5', `echo "user ${SECRET}"`)
    const err = await rejection(runCredentialHelper(call('t5'), { env }))
    expect(err.message).toMatch(/not the JSON/)
    expect(renderError(err)).not.toContain(SECRET)
  })

  it('gives up on a helper that hangs', async () => {
    const { env } = helperOnPath('t6', 'sleep 5')
    const started = Date.now()
    const err = await rejection(runCredentialHelper(call('t6'), { env, timeoutMs: 300 }))
    expect(err.message).toMatch(/"t6" .*did not answer within 0\.3s/)
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('refuses a helper name that is a path', async () => {
    const err = await rejection(runCredentialHelper(call('../../bin/sh'), { env: {} }))
    expect(err.message).toMatch(/is not a credential helper name/)
  })
})

describe('readRegistryAuth', () => {
  it('runs the credHelpers helper for its registry and keeps the auths entry for others', async () => {
    const { env } = helperOnPath('envctltest', `echo '{"Username":"ada","Secret":"${SECRET}"}'`)
    const configDir = mkdtempSync(join(tmpdir(), 'envctl-docker-config-'))
    const auths = { 'ghcr.io': { auth: Buffer.from('octo:tok').toString('base64') } }
    writeFileSync(join(configDir, 'config.json'), JSON.stringify({ credHelpers: { '127.0.0.1:5001': 'envctltest' }, auths }))
    const saved = process.env.PATH
    process.env.PATH = env.PATH
    try {
      expect(await readRegistryAuth('127.0.0.1:5001/team/base:1', configDir)).toEqual({ auth: { serveraddress: '127.0.0.1:5001', username: 'ada', password: SECRET }, helper: 'envctltest' })
      expect(await readRegistryAuth('ghcr.io/octo/img:1', configDir)).toEqual({ auth: { serveraddress: 'ghcr.io', username: 'octo', password: 'tok' } })
    } finally {
      process.env.PATH = saved
    }
  })
})
