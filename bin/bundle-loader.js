// Loads dist/bundle/envctl.cjs (scripts/bundle.mjs) as require() would, but compiled with V8's code cache from
// envctl.cjs.cache beside it: Node 20 has no compile cache of its own, and compiling the 1.5 MB bundle is the
// largest single cost of a short command's start-up. A cache that V8 rejects (another node version, a bundle
// built since) only costs the compile it would have saved. The module is put in require's cache under its
// own path first, so oclif's require() of the same file (its commands target) finds this instance. esbuild
// turns envctl's own dynamic imports into requires; the import() left in oclif (an ES module plugin, tsx in
// development) goes to node's own loader, which node 20 calls experimental and warns about when it is used.
import { readFileSync, writeFileSync } from 'node:fs'
import { Module } from 'node:module'
import vm from 'node:vm'
import { fileURLToPath } from 'node:url'
import { dirname } from 'node:path'

export const BUNDLE = fileURLToPath(new URL('../dist/bundle/envctl.cjs', import.meta.url))
const CACHE = `${BUNDLE}.cache`

function readCache() {
  try {
    return readFileSync(CACHE)
  } catch {
    return undefined
  }
}

/** The bundle's exports, and the compiled script (for writeCodeCache). */
export function loadBundle() {
  const mod = new Module(BUNDLE, undefined)
  mod.filename = BUNDLE
  mod.paths = Module._nodeModulePaths(dirname(BUNDLE))
  Module._cache[BUNDLE] = mod
  const script = new vm.Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), {
    filename: BUNDLE,
    cachedData: readCache(),
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  })
  const require = (id) => mod.require(id)
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options)
  require.cache = Module._cache
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, BUNDLE, dirname(BUNDLE))
  mod.loaded = true
  return { exports: mod.exports, script }
}

/**
 * Writes the code cache for this node: run by scripts/bundle.mjs after the bundle is built. V8 caches the
 * functions compiled so far, so the hot path's modules are loaded first (not run).
 */
export async function writeCodeCache() {
  const { exports, script } = loadBundle()
  await exports.preloadHotPath()
  writeFileSync(CACHE, script.createCachedData())
}
