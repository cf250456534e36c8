import type { ResolvedStack } from '../../resolvers/types.js'
import { mountId, sedReplacement, shellWord } from '../escape.js'
import { caMounts, withCa } from '../ca.js'
import { APT_AUTH, aptCredentials, secretMounts, SECRETS_MOUNT, withSecrets } from '../secrets.js'
import { cacheMount, runInstruction, sortedUnique, type Section, type Step } from '../instructions.js'
import { pythonAptPackages } from '../python.js'
import { checkAptPackage, checkUrl } from '../validate.js'

/** Official archive hosts (any scheme), as sed BREs; the mirror replaces scheme and host, the path stays. */
const ARCHIVE_HOSTS = [
  'deb\\.debian\\.org',
  'security\\.debian\\.org',
  '[a-z.]*archive\\.ubuntu\\.com',
  'security\\.ubuntu\\.com',
  'ports\\.ubuntu\\.com',
]
/** Classic one-line and deb822 source files; the glob may match nothing, hence the -f test. */
const SOURCE_FILES = '/etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources'

/** Rewrites the sources to the mirror, e.g. http://deb.debian.org/debian → <mirror>/debian. */
function mirrorStep(mirror: string): Step {
  const to = sedReplacement(checkUrl(mirror, 'apt mirror URL').replace(/\/+$/, ''))
  const expressions = ARCHIVE_HOSTS.map((host) => `  -e ${shellWord(`s|http[s]*://${host}|${to}|g`, 'apt mirror URL')}`)
  return {
    command: `for f in ${SOURCE_FILES}; do`,
    args: ['[ ! -f "$f" ] || sed -i', ...expressions, '  "$f" || exit 1;', 'done'],
  }
}

/**
 * The packages asked for. With a lock: every package the first build's apt step added, dependencies too, at
 * the version recorded, plus any asked-for package the lock does not pin yet.
 */
function aptPackages(r: ResolvedStack): string[] {
  const asked = [...r.apt.map(checkAptPackage), ...pythonAptPackages(r)]
  const pins = r.locked?.apt ?? {}
  const pinned = Object.keys(pins).map((name) => checkAptPackage(`${name}=${pins[name]}`))
  return sortedUnique([...pinned, ...asked.filter((p) => !(p.split('=')[0]! in pins))])
}

/**
 * apt in one RUN. Lists and .debs live in cache mounts (one pair per OS, since lists of one release are
 * useless to another), so neither stays in the layer and no `rm -rf /var/lib/apt/lists` is needed. The
 * image's docker-clean hook would delete the .debs after each install, so it goes. With a mirror the sources
 * are rewritten first; the running environment keeps using the mirror, by design.
 */
export const systemPackages: Section = (r) => {
  const packages = aptPackages(r)
  if (packages.length === 0) return []
  const os = mountId(r.base.os)
  // A mirror with credentials: the sources name it without them, apt reads them from the step's secrets.
  const apt = aptCredentials(r)
  const mirror = apt?.url ?? r.mirrors.apt
  const aptGet = apt ? `apt-get -o Dir::Etc::netrc=${SECRETS_MOUNT}/${APT_AUTH}` : 'apt-get'
  return [
    '# System packages: apt lists and .debs stay in BuildKit cache mounts, never in the layer',
    ...(r.mirrors.apt === undefined ? [] : ['# Debian/Ubuntu archives are rewritten to the apt mirror, which the environment keeps using']),
    ...(Object.keys(r.locked?.apt ?? {}).length ? ['# At the versions envctl.lock records: every package this step added, dependencies too'] : []),
    ...runInstruction(
      [
        cacheMount('/var/cache/apt', { id: `envctl-apt-cache-${os}`, locked: true }),
        cacheMount('/var/lib/apt', { id: `envctl-apt-lib-${os}`, locked: true }),
        ...caMounts(r),
        ...secretMounts(r),
      ],
      withSecrets(r, withCa(r, 'apt', [
        'rm -f /etc/apt/apt.conf.d/docker-clean',
        `echo 'Binary::apt::APT::Keep-Downloaded-Packages "true";' > /etc/apt/apt.conf.d/keep-cache`,
        ...(mirror === undefined ? [] : [mirrorStep(mirror)]),
        `${aptGet} update`,
        {
          command: `DEBIAN_FRONTEND=noninteractive ${aptGet} install -y --no-install-recommends`,
          args: packages.map((p) => shellWord(p, 'apt package')),
        },
      ])),
    ),
  ]
}
