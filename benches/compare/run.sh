#!/usr/bin/env bash
# Side-by-side comparisons with the peers a user would reach for instead.
# Installs the peers into their own virtualenv (not the test suite's), builds
# the Python package in release mode, and runs every comparison:
#   benches/compare/run.sh            # all
#   benches/compare/run.sh assign     # one (rank, assign, stable, similarity)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="$ROOT/.venv-bench"
cd "$ROOT"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
if [ ! -f "$VENV/.peers" ]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check maturin numpy scipy rapidfuzz ortools matching
  touch "$VENV/.peers"
fi
VIRTUAL_ENV="$VENV" "$VENV/bin/maturin" develop --release -q -m bindings-python/Cargo.toml >/dev/null
for name in ${1:-rank assign stable similarity}; do
  echo "== $name"
  "$VENV/bin/python" "benches/compare/$name.py"
done
