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

# Always -p: a workspace build would unify features and bring rayon back.
cargo build -q --release --target wasm32-unknown-unknown -p participatienetwerk-wasm

rm -rf "$pkg"
for t in nodejs web; do
  out="$pkg/${t%js}"
  wasm-bindgen --target "$t" --out-dir "$out" "$wasm"
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-reference-types --enable-multivalue --enable-mutable-globals \
    -o "$out/participatienetwerk_wasm_bg.wasm" "$out/participatienetwerk_wasm_bg.wasm"
done
echo "built $pkg ($(gzip -9 < "$pkg/web/participatienetwerk_wasm_bg.wasm" | wc -c) bytes of wasm gzipped)" >&2
