#!/usr/bin/env bash
# Memory bounds (issue 20): peak RSS of a headless smtpeek (Release, SQLite store) with 1,000
# idle connections, 1,000 sessions each sending a 25 MB message at once, and a pipelining
# flood that never reads its replies. Not a test: it prints the figures for bench/README.md.
#
#   bench/limits/run.sh --binary PATH [--megabytes M] [--sessions N] [--max-in-flight BYTES]
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BINARY=""
MEGABYTES=25
SESSIONS=1000
BUDGET=268435456
while [ $# -gt 0 ]; do
    case "$1" in
    --binary) BINARY=$2; shift 2 ;;
    --megabytes) MEGABYTES=$2; shift 2 ;;
    --sessions) SESSIONS=$2; shift 2 ;;
    --max-in-flight) BUDGET=$2; shift 2 ;;
    -h | --help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
[ -x "$BINARY" ] || { echo "run.sh: --binary PATH to a smtpeek build is needed" >&2; exit 2; }
ulimit -n 8192
WORK=$(mktemp -d /tmp/smtpeek-limits-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

for scenario in idle big-slow pipelining; do
    "$BINARY" --headless --listen 127.0.0.1:0 --db "$WORK/$scenario.sqlite" --no-api \
        --max-sessions $((SESSIONS + 10)) --max-in-flight "$BUDGET" >"$WORK/log" 2>&1 &
    server=$!
    port=""
    for _ in $(seq 100); do
        port=$(sed -n 's/^smtpeek .* listening on .*:\([0-9]*\)$/\1/p' "$WORK/log" | head -1)
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { cat "$WORK/log" >&2; exit 1; }
    python3 "$ROOT/bench/limits/rss_probe.py" "$server" "$port" "$scenario" \
        --sessions "$SESSIONS" --megabytes "$MEGABYTES"
    kill -TERM "$server"
    wait "$server" || true
done
