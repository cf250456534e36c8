// Bundles dist/cli.js (tsc's output) into dist/bundle/envctl.cjs, the file bin/run.js runs: envctl's own modules
// and its pure-JS dependencies in one file, dockerode included. What dockerode needs only for a build or an ssh://
// engine stays outside and loads on first use, as src/engine/load-dockerode.ts arranges for the unbundled dist/:
// its BuildKit session (gRPC) and docker-modem's ssh2 agent become stand-ins that require the real file when
// first called, and its BuildKit trace decoder (protobufjs, reading .proto files beside itself) is required
// from node_modules where dockerode requires it. Native add-ons and typescript (oclif's dev mode) stay outside.
// Run by `npm run build` after tsc, and by test/support/fresh-dist.ts when dist/ is stale.
import { build } from 'esbuild'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

// CommonJS, so that bin/bundle-loader.js can compile it with V8's code cache (an ES module cannot be, on Node 20);
// envctl's own modules read import.meta.url, which becomes the bundle's file URL.
const banner = "const __envctlUrl = require('node:url').pathToFileURL(__filename).href;"

// The real file of a dockerode-family module, found from dockerode's own location at run time (docker-modem may be
// nested under dockerode or hoisted beside it).
// (createRequire: esbuild leaves its resolve() to run time, where a plain require.resolve would be bundled.)
const fromBundle = "require('node:module').createRequire(__filename)"
const locate = {
  dockerode: `require('node:path').join(require('node:path').dirname(${fromBundle}.resolve('dockerode')), FILE)`,
  'docker-modem': `require('node:path').join(require('node:path').dirname(${fromBundle}.resolve('docker-modem', { paths: [${fromBundle}.resolve('dockerode')] })), FILE)`,
}
const outside = [
  { importer: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, path: './session', pkg: 'dockerode', file: 'session.js', lazy: true },
  { importer: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, path: './buildkit', pkg: 'dockerode', file: 'buildkit.js', lazy: false },
  { importer: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, path: './ssh', pkg: 'docker-modem', file: 'ssh.js', lazy: true },
]

function outsideContents({ pkg, file, lazy }) {
  const real = `require(${locate[pkg].replace('FILE', JSON.stringify(file))})`
  // Both lazy modules export one function: calling the real one with the same this and arguments is exact.
  if (lazy) return `let real; module.exports = function (...args) { real ??= ${real}; return real.apply(this, args) }`
  return `module.exports = ${real}`
}

const dockerodeOutsidePlugin = {
  name: 'dockerode-outside',
  setup(b) {
    b.onResolve({ filter: /^\.\/(session|buildkit|ssh)$/ }, (args) => {
      const hit = outside.find((o) => o.path === args.path && o.importer.test(args.importer))
      return hit ? { path: `${hit.pkg}/${hit.file}`, namespace: 'dockerode-outside', pluginData: hit } : undefined
    })
    b.onLoad({ filter: /.*/, namespace: 'dockerode-outside' }, (args) => ({ contents: outsideContents(args.pluginData), loader: 'js' }))
    // dockerode is in the bundle, with the stand-ins above: the bundle loads it with a plain require.
    b.onLoad({ filter: /[\\/]dist[\\/]engine[\\/]load-dockerode\.js$/ }, () => ({
      // require(), not import: dockerode (and node:https with it) is evaluated on the first call, not at start-up.
      contents: "/** dockerode, bundled, with its BuildKit session and ssh2 loading on first use (scripts/bundle.mjs). */\nexport function loadDockerode() { return require('dockerode') }\n",
      loader: 'js',
    }))
  },
}

await build({
  absWorkingDir: root,
  entryPoints: ['dist/cli.js'],
  outfile: 'dist/bundle/envctl.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  define: { 'import.meta.url': '__envctlUrl' },
  target: 'node20',
  external: ['typescript', 'ts-node', '*.node'],
  plugins: [dockerodeOutsidePlugin],
  banner: { js: banner },
  logLevel: 'warning',
})

// The code cache for this node, written beside the bundle (bin/bundle-loader.js); in a child, because loading the
// bundle runs its top level.
const r = spawnSync(process.execPath, ['--input-type=module', '-e', "await (await import('./bin/bundle-loader.js')).writeCodeCache()"], { cwd: root, stdio: 'inherit' })
if (r.status !== 0) process.exit(r.status ?? 1)
