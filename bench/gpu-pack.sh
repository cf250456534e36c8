#!/usr/bin/env bash
# Packs what bench/gpu-check.sh needs on a machine with a GPU but neither Node nor node_modules, into .device/
# (git-ignored, carried to the device machine): this machine's node binary, xz-compressed, and envctl as one
# esbuild bundle with its package.json, data/, stacks/ and schema/ beside it (src/package-root.ts finds them).
# Run here, from anywhere: bash bench/gpu-pack.sh. Prints the sizes; the bundle is smoke-tested with --help.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=.device
rm -rf "$OUT/envctl"
mkdir -p "$OUT/envctl/bundle"
npm run build >/dev/null
# ESM output of CommonJS dependencies needs require(), __filename and __dirname (dockerode reads its BuildKit
# .proto files from there, copied beside the bundle below); ssh2's optional native add-ons stay out (it falls
# back to JavaScript without them).
node_modules/.bin/esbuild bench/gpu-entry.mjs --bundle --platform=node --format=esm --target=node20 \
  --outfile="$OUT/envctl/bundle/envctl.mjs" --log-level=warning --external:*.node \
  --banner:js="import { createRequire as __r } from 'node:module'; import { fileURLToPath as __f } from 'node:url'; import { dirname as __d } from 'node:path'; const require = __r(import.meta.url); const __filename = __f(import.meta.url); const __dirname = __d(__filename);"
node -e '
  const pkg = require("./package.json")
  const out = { name: pkg.name, version: pkg.version, type: "module", oclif: { ...pkg.oclif, commands: { strategy: "explicit", target: "./bundle/envctl.mjs", identifier: "COMMANDS" }, hooks: { command_not_found: { target: "./bundle/envctl.mjs", identifier: "commandNotFound" } } } }
  require("fs").writeFileSync(process.argv[1], JSON.stringify(out, null, 2) + "\n")
' "$OUT/envctl/package.json"
cp -r data stacks schema "$OUT/envctl/"
cp -r node_modules/dockerode/lib/proto "$OUT/envctl/bundle/proto"
NODE=$(command -v node)
# Compressing node takes most of a minute: done again only when this machine's node changed.
if [ ! -s "$OUT/node.xz" ] || [ "$NODE" -nt "$OUT/node.xz" ]; then xz -T0 -6 -c "$NODE" >"$OUT/node.xz.tmp" && mv "$OUT/node.xz.tmp" "$OUT/node.xz"; fi
node "$OUT/envctl/bundle/envctl.mjs" --help >/dev/null
du -sh "$OUT/node.xz" "$OUT/envctl" | sed 's/^/packed /'
