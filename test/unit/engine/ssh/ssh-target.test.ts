import { describe, expect, it } from 'vitest'
import { resolveSshTarget } from '../../../../src/engine/ssh/ssh-target.js'
import { EnvctlError } from '../../../../src/errors/envctl-error.js'

const local = (configText: string) => ({ configText, home: '/home/me', localUser: 'me' })
const config = `
Host gpu
  HostName 10.0.0.5
  User dev
  Port 2222
  IdentityFile ~/.ssh/gpu_key
  ProxyJump jump-user@bastion:2200

Host bastion
  HostName bastion.example
  IdentityFile %d/.ssh/bastion_%r

Host *
  User fallback
`

describe('resolveSshTarget', () => {
  it('takes HostName, User, Port, IdentityFile and ProxyJump from ~/.ssh/config', () => {
    const t = resolveSshTarget({ host: 'gpu' }, local(config))
    expect(t).toMatchObject({ alias: 'gpu', hostName: '10.0.0.5', user: 'dev', port: 2222, identityFiles: ['/home/me/.ssh/gpu_key'] })
    expect(t.jump).toMatchObject({ alias: 'bastion', hostName: 'bastion.example', user: 'jump-user', port: 2200, identityFiles: ['/home/me/.ssh/bastion_jump-user'] })
  })

  it("lets the address's user and port win over the config, as ssh does", () => {
    expect(resolveSshTarget({ host: 'gpu', user: 'root', port: 22 }, local(config))).toMatchObject({ user: 'root', port: 22, hostName: '10.0.0.5' })
  })

  it('falls back to Host * and then to the local user and port 22', () => {
    expect(resolveSshTarget({ host: 'other.example' }, local(config))).toMatchObject({ hostName: 'other.example', user: 'fallback', port: 22, identityFiles: [] })
    expect(resolveSshTarget({ host: 'other.example' }, local(''))).toMatchObject({ user: 'me', port: 22 })
    expect(resolveSshTarget({ host: 'other.example' }, local('')).jump).toBeUndefined()
  })

  it('refuses a Port that is not a port number, naming the host', () => {
    expect(() => resolveSshTarget({ host: 'x' }, local('Host x\n  Port ssh\n'))).toThrow(EnvctlError)
    expect(() => resolveSshTarget({ host: 'x' }, local('Host x\n  Port ssh\n'))).toThrow(/gives x the port "ssh"/)
  })

  it('refuses a ProxyJump loop instead of recursing forever', () => {
    expect(() => resolveSshTarget({ host: 'a' }, local('Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n'))).toThrow(/loops through more than 5 hosts/)
  })
})
