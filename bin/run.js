#!/usr/bin/env node
// `envctl --version` is asked by scripts and shell prompts: answer it without loading the CLI framework.
// The text is what oclif itself prints for --version.
if (process.argv.length === 3 && (process.argv[2] === '--version' || process.argv[2] === 'version')) {
  const { readFileSync } = await import('node:fs')
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`envctl/${version} ${process.platform}-${process.arch} node-${process.version}\n`)
} else {
  // One file with its code cache instead of ~360 modules: see src/cli.ts and bin/bundle-loader.js.
  const { BUNDLE, loadBundle } = await import('./bundle-loader.js')
  const { existsSync } = await import('node:fs')
  if (!existsSync(BUNDLE)) {
    process.stderr.write(`error: envctl is not built: ${BUNDLE} is missing\n  fix: run \`npm run build\` in ${new URL('..', import.meta.url).pathname}\n`)
    process.exit(1)
  }
  await loadBundle().exports.run()
}
