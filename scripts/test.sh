#!/usr/bin/env bash
# Every test: Rust, Python, JS in Node and in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$SECONDS
bash scripts/test-rust.sh
[ -f scripts/test-python.sh ] && bash scripts/test-python.sh
[ -f scripts/test-wasm.sh ] && bash scripts/test-wasm.sh
echo "all tests passed in $((SECONDS - start)) s"
