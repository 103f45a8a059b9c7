#!/usr/bin/env bash
# Match quality of the current build on the development set
# (../shared/quality beside the repository, or QUALITY_DIR): builds the Python
# package in release mode into the test virtualenv, runs the set's own
# evaluate.py, then the ablation table (each signal switched off in turn).
# Reports figures, asserts nothing: not a test.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/setup.sh
ensure_python
dir="${QUALITY_DIR:-../shared/quality}"
[ -f "$dir/data.json" ] || { echo "no development set in $dir (set QUALITY_DIR)" >&2; exit 1; }
VIRTUAL_ENV="$VENV" "$VENV/bin/maturin" develop --release -q -m bindings-python/Cargo.toml >/dev/null
"$VENV/bin/python" "$dir/evaluate.py" --data "$dir/data.json" | tail -n 6
echo
"$VENV/bin/python" benches/quality/ablation.py --data "$dir/data.json"
