#!/usr/bin/env bash
# The JS package: builds it, then runs the node tests (shared vectors, error
# behaviour, CSV reading) and the browser test of the demo in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_wasm_bindgen
ensure_chromium
ensure_node_modules

bash scripts/build-wasm.sh
# Node's test runner prints every test; keep the failures and the summary.
out=$(mktemp)
trap 'rm -f "$out"' EXIT
if node --test --test-reporter=tap bindings-wasm/tests/ >"$out" 2>&1; then
  grep -E '^# (tests|pass|fail|duration_ms)' "$out" | sed 's/^# /js: /'
else
  cat "$out"
  echo "js tests FAILED" >&2
  exit 1
fi
