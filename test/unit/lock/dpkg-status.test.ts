import { describe, expect, it } from 'vitest'
import { addedPackages, parseDpkgStatus } from '../../../src/lock/dpkg-status.js'

const STATUS = `Package: jq
Status: install ok installed
Priority: optional
Architecture: amd64
Version: 1.6-2.1+deb12u3
Depends: libjq1 (= 1.6-2.1+deb12u3), libc6 (>= 2.34)
Description: lightweight and flexible command-line JSON processor
 jq is like sed for JSON data.
 .
 Version: this continuation line is not a field

Package: removed-one
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Version: 2.36-9+deb12u10

Package: libc6
Status: install ok installed
Architecture: i386
Multi-Arch: same
Version: 2.36-9+deb12u10

Package: held
Status: hold ok installed
Architecture: all
Version: 2:3.0
`

describe('dpkg status', () => {
  it('lists installed packages with their versions; config-files leftovers are not installed', () => {
    expect(parseDpkgStatus(STATUS)).toEqual({
      jq: '1.6-2.1+deb12u3',
      'libc6:amd64': '2.36-9+deb12u10',
      'libc6:i386': '2.36-9+deb12u10',
      held: '2:3.0',
    })
  })

  it('what the apt step added: new packages and changed versions, not the base image’s own', () => {
    const base = { libc6: '2.36-9+deb12u9', bash: '5.2.15-2+b7' }
    const image = { libc6: '2.36-9+deb12u10', bash: '5.2.15-2+b7', jq: '1.6-2.1+deb12u3' }
    expect(addedPackages(base, image)).toEqual({ libc6: '2.36-9+deb12u10', jq: '1.6-2.1+deb12u3' })
  })
})
