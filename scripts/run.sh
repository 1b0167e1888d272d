#!/usr/bin/env bash
# Installs what is missing, builds smtpeek (Release) and launches it with the given arguments.
#   scripts/run.sh                 # the desktop app
#   scripts/run.sh --headless      # the capture server alone, for CI and containers
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SMTPEEK_BUILD_DIR:-$root/build}"

"$root/scripts/deps.sh" build
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSMTPEEK_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
exec "$build/app/smtpeek" "$@"
