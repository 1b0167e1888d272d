#!/usr/bin/env bash
# Relay benchmark (issue 14). Not a test: nothing here passes or fails on timing.
# W1 (smtp-source: 20 sessions, 2 KB messages, one connection per message) against smtpeek with
# its SQLite store, once without a relay and once with --relay-all to a local smtp-sink
# upstream. Reports the capture rate of both and the auto-relay throughput (deliveries a
# second, until the last one is recorded as delivered) and the server's CPU time per message
# (user + system, all its threads, relaying included: the figure a busy machine does not
# distort). 127.0.0.1 only.
#
#   bench/relay/run.sh                 # Release build of the tree in build-bench, 20,000 messages
#   bench/relay/run.sh --scale 10      # 2,000 messages
#   bench/relay/run.sh --binary PATH   # use this smtpeek, build nothing
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${SMTPEEK_BENCH_OUT:-$ROOT/bench/out}
SCALE=1
BINARY=""
while [ $# -gt 0 ]; do
    case "$1" in
    --scale) SCALE=$2; shift 2 ;;
    --binary) BINARY=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
mkdir -p "$OUT"
# shellcheck source=../smtp/common.sh
. "$ROOT/bench/smtp/common.sh"
fetch_postfix
if [ -z "$BINARY" ]; then
    log "building smtpeek Release in $ROOT/build-bench"
    build_smtpeek "$ROOT" "$ROOT/build-bench" Release "$OUT/build-relay.log"
    BINARY=$ROOT/build-bench/app/smtpeek
fi
COUNT=$(workload_count W1)
ARGS=$(workload_args W1)
WORK=$(mktemp -d /tmp/smtpeek-relay-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

now() { date +%s.%N; }

# CPU seconds (user + system) a process has used so far.
cpu_seconds() {
    awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$1/stat"
}

# run MODE -> "capture_rate relay_rate cpu_us_per_message" (relay_rate "-" without a relay)
run() {
    local mode=$1 port upstream log start captured delivered relay=() i sink=""
    port=$(free_port)
    log="$WORK/$mode.log"
    if [ "$mode" = relay ]; then
        upstream=$(free_port)
        "$SINK" -u nobody "127.0.0.1:$upstream" 1024 &
        sink=$!
        wait_listening "$upstream" || die "smtp-sink did not listen"
        relay=(--relay "127.0.0.1:$upstream" --relay-tls off --relay-all)
    fi
    "$BINARY" --headless --listen "127.0.0.1:$port" --db "$WORK/$mode.sqlite" --api 127.0.0.1:0 \
        "${relay[@]}" >"$log" 2>"$WORK/$mode.err" &
    local server=$!
    wait_listening "$port" || die "smtpeek did not listen (see $WORK/$mode.err)"
    start=$(now)
    # shellcheck disable=SC2086
    timeout 900 "$SOURCE" $ARGS "127.0.0.1:$port" >/dev/null
    captured=$(now)
    local relayRate="-"
    if [ "$mode" = relay ]; then
        for ((i = 0; i < 9000; i++)); do
            [ "$(grep -c '(auto-relay): delivered' "$log")" -ge "$COUNT" ] && break
            sleep 0.1
        done
        delivered=$(now)
        relayRate=$(awk -v n="$COUNT" -v a="$start" -v b="$delivered" 'BEGIN { printf "%.0f", n / (b - a) }')
    fi
    local cpu
    cpu=$(cpu_seconds "$server")
    kill -TERM "$server"
    wait "$server" || true
    [ -z "$sink" ] || { kill "$sink"; wait "$sink" 2>/dev/null || true; }
    awk -v n="$COUNT" -v a="$start" -v b="$captured" -v r="$relayRate" -v c="$cpu" \
        'BEGIN { printf "%.0f %s %.0f\n", n / (b - a), r, c * 1e6 / n }'
}

read -r plain _ plainCpu < <(run plain)
read -r withRelay relayed relayCpu < <(run relay)
cat <<EOF

| $(date -u +%Y-%m-%d) $(nproc) cores, $(uname -m) | messages | capture msg/s | auto-relay deliveries/s | server CPU µs/message |
|---|---|---|---|---|
| W1, SQLite, no relay | $COUNT | $plain | - | $plainCpu |
| W1, SQLite, --relay-all to smtp-sink | $COUNT | $withRelay | $relayed | $relayCpu |
EOF
