#!/usr/bin/env bash
# Python: build the package into the venv (incrementally), then pytest,
# which also runs mypy's stubtest on the hand-written stubs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
ensure_rust
ensure_python

start=$SECONDS
VIRTUAL_ENV="$VENV" "$VENV/bin/maturin" develop --release -q -m bindings-python/Cargo.toml >/dev/null 2>"$VENV/maturin.log" \
  || { cat "$VENV/maturin.log" >&2; exit 1; }
built=$SECONDS

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "$VENV/bin/python" -m pytest -q -p no:cacheprovider bindings-python/tests >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
echo "python: $(tail -n 1 "$log") (build $((built - start)) s)"
