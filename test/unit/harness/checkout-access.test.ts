/**
 * The integration preflight's check that the test user can read the checkout. Under root it probes as
 * `nobody` (a clone inside a 0700 folder of root's is closed to it); otherwise as this user, whose own
 * folder is closed to it with mode 0000 (the owner's own bits apply, root's would not).
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { checkoutUnreadable, type CheckUser } from '../../integration/support/checkout-access.js'

const isRoot = process.getuid?.() === 0
const prober: CheckUser = isRoot ? { name: 'nobody', uid: 65534, gid: 65534 } : { name: userInfo().username, uid: userInfo().uid, gid: userInfo().gid }

describe('checkoutUnreadable', () => {
  let outer: string
  let checkout: string

  function cloneInside(mode: number): void {
    outer = mkdtempSync(join(tmpdir(), 'envctl-private-'))
    checkout = join(outer, 'envctl')
    mkdirSync(join(checkout, 'bin'), { recursive: true })
    writeFileSync(join(checkout, 'package.json'), '{}\n')
    writeFileSync(join(checkout, 'bin/run.js'), '\n')
    chmodSync(checkout, 0o755)
    chmodSync(outer, mode)
  }

  afterEach(() => {
    chmodSync(outer, 0o700)
    rmSync(outer, { recursive: true, force: true })
  })

  it('names the user, the unreadable path, the closed folder and both fixes for a clone under a private folder', () => {
    cloneInside(isRoot ? 0o700 : 0o000)
    const message = checkoutUnreadable(checkout, prober, ['package.json', 'bin/run.js'])
    expect(message).toContain(`${prober.name} (uid ${prober.uid}), the user the integration tests run the CLI as, cannot read the checkout at ${checkout}: ${checkout}: EACCES`)
    expect(message).toContain('clone the repository where every user can read it')
    expect(message).toContain(`chmod o+x ${outer}`)
    expect(message!.split('\n')).toHaveLength(3)
  })

  it('is undefined when the user can read every path (missing optional ones are fine)', () => {
    cloneInside(0o755)
    expect(checkoutUnreadable(checkout, prober, ['package.json', 'bin/run.js', 'dist'])).toBeUndefined()
  })

  it('names an unreadable file inside an open checkout', () => {
    cloneInside(0o755)
    chmodSync(join(checkout, 'bin/run.js'), 0o000)
    expect(checkoutUnreadable(checkout, prober, ['package.json', 'bin/run.js'])).toContain(`${checkout}/bin/run.js: EACCES`)
  })
})
