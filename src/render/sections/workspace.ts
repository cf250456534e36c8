import type { ResolvedStack } from '../../resolvers/types.js'
import { byCodeUnit, envInstruction, runInstruction, type Section } from '../instructions.js'
import { needsPython } from '../python.js'

export const HOME = '/home/envctl'
export const WORKSPACE = '/workspace'

type EnvPair = [string, string]

/** A cache folder (a named volume at run time) and the variables that point its tool at it. */
interface CacheDir {
  dir: string
  env: EnvPair[]
}

const PYTHON_CACHES: CacheDir[] = [
  { dir: '/cache/pip', env: [['PIP_CACHE_DIR', '/cache/pip']] },
  { dir: '/cache/huggingface', env: [['HF_HOME', '/cache/huggingface']] },
]
const NPM_CACHES: CacheDir[] = [{ dir: '/cache/npm', env: [['npm_config_cache', '/cache/npm']] }]
const MAVEN_CACHES: CacheDir[] = [
  {
    dir: '/cache/maven',
    env: [
      ['MAVEN_OPTS', '-Dmaven.repo.local=/cache/maven/repository'],
      // The maven image's entrypoint copies its reference settings into $MAVEN_CONFIG, /root/.m2 there,
      // which the run-time uid cannot write; the container would not start.
      ['MAVEN_CONFIG', `${HOME}/.m2`],
    ],
  },
]

function caches(r: ResolvedStack): CacheDir[] {
  return [
    ...(needsPython(r) ? PYTHON_CACHES : []),
    ...(r.runtime === 'node' ? NPM_CACHES : []),
    ...(r.runtime === 'java' && r.java?.build === 'maven' ? MAVEN_CACHES : []),
  ]
}

/** NVIDIA_VISIBLE_DEVICES is left to the runtime: envctl's GPU request decides which devices appear. */
const GPU_ENV: EnvPair[] = [['NVIDIA_DRIVER_CAPABILITIES', 'compute,utility']]

/**
 * The image creates no user: the container runs as the host user's uid:gid and envctl adds the passwd
 * entry when it creates the container. So HOME and the cache folders are world-writable with the sticky
 * bit (1777, like /tmp); named volumes mounted on the cache folders copy that mode on first use.
 */
export const workspace: Section = (r) => {
  const cacheDirs = caches(r)
  const dirs = [HOME, ...cacheDirs.map((c) => c.dir).sort(byCodeUnit)].join(' ')
  const env: EnvPair[] = [['HOME', HOME], ...cacheDirs.flatMap((c) => c.env), ...(r.gpu ? GPU_ENV : [])]
  return [
    '# Workspace and home: the container runs as the host uid:gid (no user in the image),',
    '# so home and cache folders are writable by anyone, with the sticky bit, like /tmp',
    ...runInstruction([], [`mkdir -p ${dirs}`, `chmod 1777 ${dirs}`]),
    `WORKDIR ${WORKSPACE}`,
    ...envInstruction(env.sort(([a], [b]) => byCodeUnit(a, b))),
  ]
}
