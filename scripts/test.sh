#!/usr/bin/env bash
# Installs what is missing, builds smtpeek and its tests with AddressSanitizer and UBSan, and
# runs every test (unit, GUI offscreen, integration with real clients); then builds the Debian
# package with Clang and checks it (tests/package). Non-zero on any failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${SMTPEEK_TEST_BUILD_DIR:-$root/build-test}"

"$root/scripts/deps.sh" test
# -g1: line tables are all the sanitizers' reports need; full debug info made the build 15%
# slower and its objects half again as large (the whole run must stay under 15 minutes).
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
      -DSMTPEEK_SANITIZE=ON >/dev/null
cmake --build "$build" -j"$(nproc)"

export ASAN_OPTIONS="detect_leaks=1:new_delete_type_mismatch=0:abort_on_error=0"
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cd "$build"
ctest --output-on-failure --timeout 300 -j2 "$@"

# The Debian package, built with Clang and -Werror: the code stays warning-free with both
# compilers. Then the package itself: lintian, man page, completions, install and removal.
"$root/tests/package/test_cli_generator.sh"
if command -v clang++ > /dev/null; then
    deb="$(CXX=clang++ SMTPEEK_PACKAGE_BUILD_DIR="${SMTPEEK_CLANG_BUILD_DIR:-$root/build-clang}" \
           "$root/scripts/package.sh" -DCMAKE_CXX_FLAGS=-Werror)"
    "$root/tests/package/test_package.sh" "$deb"
else
    echo "test.sh: no clang++, so no Clang build and no package tests" >&2
fi
