#!/usr/bin/env bash
# Runs the main job on the embedded demo data: rank, explain, assign.
set -euo pipefail
cd "$(dirname "$0")/.."
exec cargo run -q --release -p participatienetwerk-cli -- demo "$@"
