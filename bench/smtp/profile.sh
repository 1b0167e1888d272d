#!/usr/bin/env bash
# Profile smtpeek under one benchmark workload (a smaller run than run.sh's).
#
#   bench/smtp/profile.sh -w W1 -S sqlite                 # perf, 2,000 messages
#   bench/smtp/profile.sh -w W3 -S memory --scale 10      # 200 messages of 200 KB
#   bench/smtp/profile.sh -w W1R -S sqlite --tool callgrind
#   bench/smtp/profile.sh -w W1 -S memory --tool massif     # where the heap goes
#   bench/smtp/profile.sh --binary PATH ...                 # profile this build, build nothing
#
# Builds RelWithDebInfo from commit --rev (default HEAD, via git archive) in build-prof, runs the
# headless server under `perf record` (software cpu-clock event, DWARF call graphs; the VM has no
# hardware counters), `valgrind --tool=callgrind` or `valgrind --tool=massif`, drives it with smtp-source on 127.0.0.1, and
# writes reports to bench/out/prof/<workload>-<server>-<tool>.*:
#   *.children.txt  inclusive % per symbol (perf --children / callgrind --inclusive=yes)
#   *.self.txt      exclusive % per symbol
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${SMTPEEK_BENCH_OUT:-$ROOT/bench/out}
WORKLOAD=W1
SERVER=sqlite
SCALE=10
TOOL=perf
REV=HEAD
BUILD=1
FREQ=999

while [ $# -gt 0 ]; do
    case "$1" in
    -w | --workload) WORKLOAD=$2; shift 2 ;;
    -S | --server) SERVER=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    --tool) TOOL=$2; shift 2 ;;
    --rev) REV=$2; shift 2 ;;
    --freq) FREQ=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --binary) BINARY=$2; BUILD=0; shift 2 ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
    esac
done
case "$SERVER" in memory | sqlite) ;; *) echo "server: memory or sqlite" >&2; exit 2 ;; esac
case "$TOOL" in perf | callgrind | massif) ;; *) echo "tool: perf, callgrind or massif" >&2; exit 2 ;; esac

mkdir -p "$OUT/prof"
# shellcheck source=common.sh
. "$ROOT/bench/smtp/common.sh"

if [ "$TOOL" = perf ] && ! command -v perf >/dev/null; then apt-get install -y linux-perf >/dev/null; fi
if [ "$TOOL" != perf ] && ! command -v valgrind >/dev/null; then apt-get install -y valgrind >/dev/null; fi
fetch_postfix

COMMIT=$(git -C "$ROOT" rev-parse "$REV")
SRC=$OUT/src-prof
BUILD_DIR=$ROOT/build-prof
if [ "$BUILD" = 1 ]; then
    export_rev "$COMMIT" "$SRC"
    log "building smtpeek RelWithDebInfo in $BUILD_DIR (commit ${COMMIT:0:12})"
    build_smtpeek "$SRC" "$BUILD_DIR" RelWithDebInfo "$OUT/build-prof.log"
fi
BINARY=${BINARY:-$BUILD_DIR/app/smtpeek}

NAME=$OUT/prof/$WORKLOAD-$SERVER-$TOOL
COUNT=$(workload_count "$WORKLOAD")
ARGS=$(workload_args "$WORKLOAD")
PORT=$(free_port)
DIR=$(mktemp -d "${TMPDIR:-/tmp}/smtpeek-prof.XXXXXX")
STORE=(--memory)
HELP=$("$BINARY" --help 2>/dev/null || true)
if grep -q -- '--api ' <<<"$HELP"; then STORE+=(--api 127.0.0.1:0); fi   # API on, on a free port
[ "$SERVER" = sqlite ] && STORE=("${STORE[@]:1}" --db "$DIR/prof.sqlite")

if [ "$TOOL" = perf ]; then
    perf record -e cpu-clock -F "$FREQ" --call-graph dwarf,16384 -o "$NAME.data" -- \
        "$BINARY" --headless --listen "127.0.0.1:$PORT" "${STORE[@]}" >"$DIR/server.log" 2>"$DIR/perf.err" &
elif [ "$TOOL" = callgrind ]; then
    valgrind --tool=callgrind --callgrind-out-file="$NAME.out" --separate-threads=no \
        "$BINARY" --headless --listen "127.0.0.1:$PORT" "${STORE[@]}" >"$DIR/server.log" 2>"$DIR/valgrind.err" &
else
    valgrind --tool=massif --massif-out-file="$NAME.out" --depth=12 --threshold=0.5 \
        "$BINARY" --headless --listen "127.0.0.1:$PORT" "${STORE[@]}" >"$DIR/server.log" 2>"$DIR/valgrind.err" &
fi
TOOLPID=$!
wait_listening "$PORT" || { cat "$DIR"/*.err >&2; die "smtpeek did not listen"; }
# perf record and valgrind run the server as their child (valgrind: the same pid).
SRVPID=$(pgrep -P "$TOOLPID" | head -1 || true)
[ -n "$SRVPID" ] || SRVPID=$TOOLPID

log "$WORKLOAD vs $SERVER under $TOOL: smtp-source $ARGS (load $(cut -d' ' -f1 /proc/loadavg))"
T0=$(date +%s.%N)
timeout 1800 "$SOURCE" $ARGS "127.0.0.1:$PORT" >"$DIR/source.log" 2>&1 || log "smtp-source failed: $(tail -1 "$DIR/source.log")"
T1=$(date +%s.%N)
kill -TERM "$SRVPID" 2>/dev/null || true
for ((i = 0; i < 600; i++)); do kill -0 "$TOOLPID" 2>/dev/null || break; sleep 0.1; done
wait "$TOOLPID" 2>/dev/null || true
STORED=$(grep -c '^message [0-9]* stored:' "$DIR/server.log" || true)
log "sent $COUNT in $(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.1f", b - a }')s under $TOOL; server logged $STORED stored"

if [ "$TOOL" = perf ]; then
    # Inlined frames and unnamed addresses (libraries without debug info) are left out.
    tidy() { grep -v -e '^#' -e '^$' -e '(inlined)' -e '\] 0x0000' | cut -c1-160 | sed 's/ *$//'; }
    perf report -i "$NAME.data" --children --sort symbol --stdio -g none --percent-limit 1 \
        2>/dev/null | tidy >"$NAME.children.txt"
    perf report -i "$NAME.data" --no-children --sort dso,symbol --stdio -g none --percent-limit 0.5 \
        2>/dev/null | tidy >"$NAME.self.txt"
    perf report -i "$NAME.data" --no-children --sort dso --stdio -g none 2>/dev/null | tidy >"$NAME.dso.txt"
    # Per thread: the server thread, the store's writer, the main thread (log lines).
    perf report -i "$NAME.data" --no-children --sort comm --stdio -g none 2>/dev/null | tidy >"$NAME.threads.txt"
elif [ "$TOOL" = massif ]; then
    ms_print "$NAME.out" >"$NAME.txt"
    log "report: $NAME.txt (peak snapshot with the allocation tree)"
else
    callgrind_annotate --inclusive=yes "$NAME.out" 2>/dev/null | head -80 >"$NAME.children.txt"
    callgrind_annotate "$NAME.out" 2>/dev/null | head -80 >"$NAME.self.txt"
fi
rm -rf "$DIR"
[ "$TOOL" = massif ] || log "reports: $NAME.children.txt (inclusive), $NAME.self.txt (self)"
