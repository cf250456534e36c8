import type { ResolvedStack } from '../../resolvers/types.js'
import { renderRefusal, shellWord, xmlText } from '../escape.js'
import { caMounts, withCa } from '../ca.js'
import { MAVEN_SETTINGS, mavenCredentials, secretMounts, SECRETS_MOUNT, withSecrets } from '../secrets.js'
import { cacheMount, runInstruction, sortedUnique, type Section, type Step } from '../instructions.js'
import { checkMavenCoord, checkUrl } from '../validate.js'

/** Pinned so that the same Dockerfile runs the same goal next year (3.6.x runs on Maven 3.2.5+, Java 8+). */
const DEPENDENCY_GET = 'org.apache.maven.plugins:maven-dependency-plugin:3.6.1:get'
/** Build-time only: written and removed in the same RUN, so the mirror setting never enters a layer. */
const SETTINGS = '/tmp/envctl-maven-settings.xml'

function settingsXml(mirror: string): string {
  const url = xmlText(checkUrl(mirror, 'maven mirror URL'))
  return `<settings><mirrors><mirror><id>envctl-mirror</id><mirrorOf>*</mirrorOf><url>${url}</url></mirror></mirrors></settings>`
}

function steps(r: ResolvedStack, coords: string[]): Step[] {
  const mirror = r.mirrors.maven
  // A mirror with credentials: the settings (with its <server> entry) come from the step's secrets mount.
  const secret = mavenCredentials(r) !== null
  const settingsFlag = mirror === undefined ? '' : ` -s ${secret ? `${SECRETS_MOUNT}/${MAVEN_SETTINGS}` : SETTINGS}`
  const fetches = coords.map(
    (c) => `mvn -B -q${settingsFlag} -Dmaven.repo.local=/root/.m2/repository ${DEPENDENCY_GET} -Dartifact=${shellWord(c, 'maven artifact')}`,
  )
  if (mirror === undefined || secret) return fetches
  // printf '%s\n' so that a % in the URL is not read as a format directive.
  const write = `printf '%s\\n' ${shellWord(settingsXml(mirror), 'maven mirror URL')} > ${SETTINGS}`
  return [write, ...fetches, `rm -f ${SETTINGS}`]
}

/**
 * Maven artifacts fetched with dependency:get into the ~/.m2 cache mount: this checks that every
 * coordinate resolves and warms the build cache. The artifacts stay in BuildKit's cache, not in the image.
 */
export const mavenPackages: Section = (r) => {
  if (r.maven.length === 0) return []
  if (r.runtime !== 'java' || r.java?.build !== 'maven') {
    throw renderRefusal('maven artifacts for build tool', String(r.java?.build ?? r.runtime), 'only maven base images bring mvn')
  }
  return [
    '# Maven artifacts, fetched through the ~/.m2 cache mount',
    ...runInstruction([cacheMount('/root/.m2'), ...caMounts(r), ...secretMounts(r)], withSecrets(r, withCa(r, 'maven', steps(r, sortedUnique(r.maven.map(checkMavenCoord)))))),
  ]
}
