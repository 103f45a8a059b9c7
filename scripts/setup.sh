#!/usr/bin/env bash
# Idempotent, quiet installs of what the tests need. Source it and call the
# ensure_* functions; each skips work already done.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '==> %s\n' "$*" >&2; }

# The Rust toolchain and the wasm target.
ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; exit 1; }
}

ensure_wasm_target() {
  ensure_rust
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown >/dev/null 2>&1
  fi
}

# wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock.
ensure_wasm_bindgen() {
  ensure_wasm_target
  local want
  want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock")
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (about 2 minutes, once)"
    cargo install -q wasm-bindgen-cli --version "$want" --no-default-features >/dev/null 2>&1
  fi
}

# A virtualenv with maturin, pytest and the test-only peers.
ensure_python() {
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating $VENV"
    python3 -m venv "$VENV"
  fi
  local stamp="$VENV/.requirements-installed"
  local req="$ROOT/bindings-python/requirements-test.txt"
  if [ ! -f "$stamp" ] || [ "$req" -nt "$stamp" ]; then
    say "installing Python test requirements"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
    touch "$stamp"
  fi
}

# Debian's Chromium for the browser tests.
ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    say "installing Chromium from Debian"
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get update -qq >/dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null 2>&1
  fi
}

# npm packages of the JS package (binaryen for wasm-opt, playwright-core).
ensure_node_modules() {
  command -v npm >/dev/null || { echo "npm not found: install Node.js 20 first" >&2; exit 1; }
  local dir="$ROOT/bindings-wasm"
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing npm packages"
    (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
}
