#!/usr/bin/env bash
# Installs what is missing, builds smtpeek (Release) and its Debian package, and prints the
# package's path. Arguments go to cmake; build output goes to stderr.
#   scripts/package.sh                    # then: sudo apt install ./build-rel/smtpeek_0.1.0_amd64.deb
#   CXX=clang++ scripts/package.sh        # with Clang
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SMTPEEK_PACKAGE_BUILD_DIR:-$root/build-rel}"

"$root/scripts/deps.sh" build
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DSMTPEEK_TESTS=OFF "$@" >&2
rm -f "$build"/smtpeek_*.deb
cmake --build "$build" -j"$(nproc)" --target package >&2
ls "$build"/smtpeek_*.deb
