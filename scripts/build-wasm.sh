#!/usr/bin/env bash
# Builds the npm package's WebAssembly: bindings-wasm/pkg/node (CommonJS, for
# Node) and bindings-wasm/pkg/web (ES module, for browsers and bundlers).
# Needs wasm-bindgen-cli at the version in Cargo.lock and the npm packages
# (`source scripts/setup.sh; ensure_wasm_bindgen; ensure_node_modules`).
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
wasm="$target_dir/wasm32-unknown-unknown/release/participatienetwerk_wasm.wasm"
pkg=bindings-wasm/pkg
wasm_opt=bindings-wasm/node_modules/.bin/wasm-opt

# Size over speed for the download: with fat LTO, opt-level z and wasm-opt -Oz
# the module is about 390 KB gzipped, against about 460 KB with the
# workspace's release profile (budget: 400 KB). Set here rather than in the
# workspace profile so native release builds keep opt-level 3.
export CARGO_PROFILE_RELEASE_LTO="${CARGO_PROFILE_RELEASE_LTO:-fat}"
export CARGO_PROFILE_RELEASE_CODEGEN_UNITS="${CARGO_PROFILE_RELEASE_CODEGEN_UNITS:-1}"
export CARGO_PROFILE_RELEASE_OPT_LEVEL="${CARGO_PROFILE_RELEASE_OPT_LEVEL:-z}"
export CARGO_PROFILE_RELEASE_DEBUG=false

# Always -p: a workspace build would unify features and bring rayon back.
cargo build -q --release --target wasm32-unknown-unknown -p participatienetwerk-wasm

rm -rf "$pkg"
wasm-bindgen --target nodejs --out-dir "$pkg/node" "$wasm"
wasm-bindgen --target web --out-dir "$pkg/web" "$wasm"
# Both targets emit the same module; optimise it once.
"$wasm_opt" -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-reference-types --enable-multivalue --enable-mutable-globals \
  -o "$pkg/web/participatienetwerk_wasm_bg.wasm" "$pkg/node/participatienetwerk_wasm_bg.wasm"
cp "$pkg/web/participatienetwerk_wasm_bg.wasm" "$pkg/node/participatienetwerk_wasm_bg.wasm"
# The entry points load the knowledge part (the built-in taxonomy, municipality
# list and demo templates, one compressed file shared by both targets) beside
# the module.
cp bindings-wasm/js/node.cjs "$pkg/node/index.js"
cp bindings-wasm/js/node.d.ts "$pkg/node/index.d.ts"
cp bindings-wasm/js/web.mjs "$pkg/web/index.js"
cp bindings-wasm/js/web.d.ts "$pkg/web/index.d.ts"
node bindings-wasm/js/build-knowledge.mjs "$pkg/knowledge.json.gz"
echo "built $pkg: code $(gzip -9 < "$pkg/web/participatienetwerk_wasm_bg.wasm" | wc -c) bytes gzipped, knowledge $(wc -c < "$pkg/knowledge.json.gz") bytes gzipped" >&2
