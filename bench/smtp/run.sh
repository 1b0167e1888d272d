#!/usr/bin/env bash
# Engine benchmark for smtpeek (issue 2, section 8). Not a test: nothing here passes or fails on
# timing. Postfix's smtp-source is the load generator, smtp-sink (which discards everything) the
# reference server. Everything runs on 127.0.0.1 only.
#
#   bench/smtp/run.sh                         # build Release, run W1, W1R, W3 against all servers
#   bench/smtp/run.sh -w W1 -S "sink sqlite"  # a subset
#   bench/smtp/run.sh --scale 10              # every message count divided by 10 (a smoke run)
#   bench/smtp/run.sh --rev HEAD              # build exactly a commit (git archive), not the tree
#   bench/smtp/run.sh -S "sink qtfloor"       # the floor: a minimal Qt sink (bench/smtp/floor)
#
# Results: one TSV row per run appended to bench/out/results.tsv and a Markdown table on stdout.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=${SMTPEEK_BENCH_OUT:-$ROOT/bench/out}
WORKLOADS="W1 W1R W3"
SERVERS="sink memory sqlite"
SCALE=1
REPEAT=1
REV=""
BINARY=""
BUILD=1
MAX_LOAD=${SMTPEEK_BENCH_MAX_LOAD:-1.5}   # wait (bounded) for the 1-minute load to drop below this
LOAD_WAIT_S=${SMTPEEK_BENCH_LOAD_WAIT:-120}
RUN_TIMEOUT_S=900

usage() {
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    cat <<EOF
Options:
  -w, --workloads "W1 W1R W3"       workloads to run (default: all)
  -S, --servers "sink memory sqlite" servers to run against (default: these three; also
                                    qtfloor: bench/smtp/floor, a minimal sink in smtpeek's shape)
      --scale N                     divide message counts by N (default 1)
      --repeat N                    run every workload x server N times (default 1)
      --rev REV                     build commit REV (git archive into $OUT/src-bench)
      --binary PATH                 use this smtpeek binary, build nothing
      --no-build                    reuse the existing Release build
      --max-load L                  before each run wait up to ${LOAD_WAIT_S}s for load < L (default $MAX_LOAD)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
    -w | --workloads) WORKLOADS=$2; shift 2 ;;
    -S | --servers) SERVERS=$2; shift 2 ;;
    --scale) SCALE=$2; shift 2 ;;
    --repeat) REPEAT=$2; shift 2 ;;
    --rev) REV=$2; shift 2 ;;
    --binary) BINARY=$2; BUILD=0; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    --max-load) MAX_LOAD=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
    esac
done

mkdir -p "$OUT"
# shellcheck source=common.sh
. "$ROOT/bench/smtp/common.sh"

# --- tools -------------------------------------------------------------------------------------
need_apt=()
[ -x /usr/bin/time ] || need_apt+=(time)
command -v ss >/dev/null || need_apt+=(iproute2)
command -v python3 >/dev/null || need_apt+=(python3)
if [ ${#need_apt[@]} -gt 0 ]; then
    log "installing ${need_apt[*]}"
    apt-get install -y "${need_apt[@]}" >/dev/null
fi

fetch_postfix

# --- smtpeek -------------------------------------------------------------------------------------
if [ -n "$REV" ]; then
    COMMIT=$(git -C "$ROOT" rev-parse "$REV")
    SRC=$OUT/src-bench          # exactly the files of the commit, updated in place
    BUILD_DIR=$ROOT/build-bench-rev
    TREE=${COMMIT:0:12}
else
    SRC=$ROOT
    BUILD_DIR=$ROOT/build-bench
    COMMIT=$(git -C "$ROOT" rev-parse HEAD)
    TREE=${COMMIT:0:12}
    # Uncommitted changes to the engine (core/, app/) make the numbers those of no commit.
    if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no -- core app CMakeLists.txt)" ]; then
        TREE="$TREE+dirty"
    fi
fi
if [ -z "$BINARY" ]; then
    BINARY=$BUILD_DIR/app/smtpeek
    if [ "$BUILD" = 1 ]; then
        [ -n "$REV" ] && export_rev "$COMMIT" "$SRC"
        log "building smtpeek Release in $BUILD_DIR from $SRC (tree $TREE)"
        build_smtpeek "$SRC" "$BUILD_DIR" Release "$OUT/build.log"
        echo "$TREE" >"$BUILD_DIR/.bench-tree"
    elif [ -f "$BUILD_DIR/.bench-tree" ]; then
        TREE=$(cat "$BUILD_DIR/.bench-tree")   # what that build was made from, not today's HEAD
    else
        TREE="$TREE?"   # unknown: an older build
    fi
else
    TREE="$TREE (binary $BINARY)"
fi
if [[ "$SERVERS" =~ qtfloor ]]; then
    log "building the Qt floor (bench/smtp/floor) in $OUT/build-floor"
    cmake -S "$ROOT/bench/smtp/floor" -B "$OUT/build-floor" -DCMAKE_BUILD_TYPE=Release >"$OUT/build-floor.log" 2>&1 &&
        cmake --build "$OUT/build-floor" >>"$OUT/build-floor.log" 2>&1 || die "see $OUT/build-floor.log"
    FLOOR=$OUT/build-floor/qt_floor
fi
EXTRA=()
if [[ "$SERVERS" =~ memory|sqlite ]]; then
    [ -x "$BINARY" ] || die "no smtpeek binary at $BINARY"
    # Newer builds also serve the HTTP API (default 127.0.0.1:8025): keep it on, as users get it,
    # but on a free port so that runs never collide with each other or anything else.
    help=$("$BINARY" --help 2>/dev/null || true)
    if grep -q -- '--api ' <<<"$help"; then EXTRA=(--api 127.0.0.1:0); fi
fi

# --- helpers -------------------------------------------------------------------------------------
load1() { cut -d' ' -f1 /proc/loadavg; }
cpu_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat; }

wait_quiet() {   # bounded wait for the machine (shared, 2 cores) to calm down before a run
    local i
    for ((i = 0; i < LOAD_WAIT_S; i += 5)); do
        awk -v l="$(load1)" -v m="$MAX_LOAD" 'BEGIN { exit !(l < m) }' && return 0
        sleep 5
    done
    log "load still $(load1) after ${LOAD_WAIT_S}s; running anyway (noted in the results)"
}

thread_cpu() {   # server pid, messages -> "name µs, ..." per thread that used 1 µs a message or more
    python3 - "$1" "$2" "$(getconf CLK_TCK)" <<'EOF'
import glob, sys
pid, count, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
used = []
for path in sorted(glob.glob(f"/proc/{pid}/task/*/stat")):
    try:
        stat = open(path).read()
    except OSError:
        continue
    name = stat[stat.index("(") + 1:stat.rindex(")")].removeprefix("smtpeek-")
    fields = stat[stat.rindex(")") + 2:].split()
    us = (int(fields[11]) + int(fields[12])) * 1e6 / hz / count  # utime + stime
    if us >= 1:
        used.append(f"{name} {us:.0f}")
print(", ".join(used) or "-")
EOF
}

stored_count() {   # server logfile db -> number of messages the server says it stored
    local server=$1 logfile=$2 db=$3
    if [ "$server" = sqlite ]; then
        python3 - "$db" <<'EOF'
import sqlite3, sys
con = sqlite3.connect("file:%s?mode=ro" % sys.argv[1], uri=True, timeout=30)
# a message counts only with its envelope row and its raw bytes
print(min(con.execute("SELECT COUNT(*) FROM messages").fetchone()[0],
          con.execute("SELECT COUNT(*) FROM message_raw").fetchone()[0]))
EOF
    else
        grep -c '^message [0-9]* stored:' "$logfile" || true
    fi
}

RESULTS=$OUT/results.tsv
[ -f "$RESULTS" ] && ! head -1 "$RESULTS" | grep -q thread_us_per_msg && mv "$RESULTS" "$RESULTS.old"
[ -f "$RESULTS" ] || printf 'date\ttree\tworkload\tserver\tmessages\tstored\tseconds\tmsg_per_s\tpeak_rss_mb\tserver_cpu_s\tcpu_us_per_msg\tmachine_busy_cores\tthread_us_per_msg\tload_before\tload_after\tstatus\n' >"$RESULTS"
ROWS=()

run_one() {   # workload server
    local workload=$1 server=$2
    local count args port dir logfile timefile db="" srvpid timepid
    count=$(workload_count "$workload")
    args=$(workload_args "$workload")
    port=$(free_port)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/smtpeek-bench.XXXXXX")
    logfile=$dir/server.log
    timefile=$dir/time.txt

    wait_quiet
    case "$server" in
    sink)
        local user=()
        [ "$(id -u)" = 0 ] && user=(-u nobody)
        /usr/bin/time -v -o "$timefile" "$SINK" "${user[@]}" "127.0.0.1:$port" 1024 >"$logfile" 2>&1 &
        ;;
    qtfloor)
        /usr/bin/time -v -o "$timefile" "$FLOOR" "$port" >"$logfile" 2>&1 &
        ;;
    memory)
        /usr/bin/time -v -o "$timefile" "$BINARY" --headless --listen "127.0.0.1:$port" "${EXTRA[@]}" --memory \
            >"$logfile" 2>&1 &
        ;;
    sqlite)
        db=$dir/bench.sqlite
        /usr/bin/time -v -o "$timefile" "$BINARY" --headless --listen "127.0.0.1:$port" "${EXTRA[@]}" --db "$db" \
            >"$logfile" 2>&1 &
        ;;
    *) die "unknown server $server" ;;
    esac
    timepid=$!
    if ! wait_listening "$port"; then
        kill "$timepid" 2>/dev/null || true
        cat "$logfile" >&2
        die "$server did not listen on 127.0.0.1:$port"
    fi
    srvpid=$(pgrep -P "$timepid" | head -1)

    local before after t0 t1 ticks0 ticks1 threads rc=0 status=ok
    before=$(load1)
    log "$workload vs $server: smtp-source $args 127.0.0.1:$port (load $before)"
    ticks0=$(cpu_ticks)
    t0=$(date +%s.%N)
    timeout "$RUN_TIMEOUT_S" "$SOURCE" $args "127.0.0.1:$port" >"$dir/source.log" 2>&1 || rc=$?
    t1=$(date +%s.%N)
    ticks1=$(cpu_ticks)
    # Where the server's CPU went, thread by thread, up to the end of the load.
    threads=$(thread_cpu "$srvpid" "$count")
    after=$(load1)
    [ "$rc" = 0 ] || { status="smtp-source-exit-$rc"; tail -3 "$dir/source.log" >&2; }

    # The 250 comes only after the store committed, so everything acknowledged is there by now;
    # give the log a moment (bounded) to catch up before counting.
    local stored="-" i
    if [[ "$server" =~ memory|sqlite ]]; then
        for ((i = 0; i < 50; i++)); do
            stored=$(stored_count "$server" "$logfile" "$db")
            [ "$stored" -ge "$count" ] && break
            sleep 0.2
        done
    fi
    kill -TERM "$srvpid" 2>/dev/null || true
    for ((i = 0; i < 300; i++)); do
        kill -0 "$timepid" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$timepid" 2>/dev/null && { kill -KILL "$srvpid" 2>/dev/null || true; status="$status,server-hung"; }
    wait "$timepid" 2>/dev/null || true
    if [[ "$server" =~ memory|sqlite ]]; then
        [ "$server" = sqlite ] && stored=$(stored_count "$server" "$logfile" "$db")
        [ "$stored" = "$count" ] || status="$status,STORED-$stored-OF-$count"
        grep -q '^stopped:' "$logfile" || status="$status,no-clean-stop"
    fi

    local seconds rate rss cpu cpumsg busy
    seconds=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
    rate=$(awk -v n="$count" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
    rss=$(awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$timefile")
    # CPU the server used (user + system): less sensitive to the other jobs on a shared machine.
    cpu=$(awk -F: '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$timefile")
    cpumsg=$(awk -v c="$cpu" -v n="$count" 'BEGIN { printf "%.0f", c * 1e6 / n }')
    # How many of the machine's cores were busy (every process) while smtp-source ran: near
    # nproc, the run was limited by CPU, not by waiting.
    busy=$(awk -v a="$ticks0" -v b="$ticks1" -v n="$(nproc)" 'BEGIN {
        split(a, x, " "); split(b, y, " "); printf "%.2f", n * (y[1] - x[1]) / (y[2] - x[2]) }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" \
        "$TREE" "$workload" "$server" "$count" "$stored" "$seconds" "$rate" "$rss" "$cpu" \
        "$cpumsg" "$busy" "$threads" "$before" "$after" "$status" >>"$RESULTS"
    ROWS+=("| $workload | $server | $count | $seconds | $rate | $rss | $cpumsg | $busy | $threads | $before / $after | $status |")
    log "$workload vs $server: $count msgs in ${seconds}s = $rate msg/s, peak RSS ${rss} MB, server CPU ${cpu}s (${cpumsg} us/msg; $threads), stored $stored, $status"
    if [ "$status" = ok ]; then rm -rf "$dir"; else log "kept $dir for inspection"; fi
    sleep 2   # let TIME_WAIT sockets and the page cache settle between runs
}

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
for ((r = 1; r <= REPEAT; r++)); do
    for workload in $WORKLOADS; do
        for server in $SERVERS; do
            run_one "$workload" "$server"
        done
    done
done

echo
echo "Tree $TREE, $(date -u '+%F %H:%M UTC'), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk '/MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo)"
echo
echo "| Workload | Server | Messages | Seconds | msg/s | Peak RSS (MB) | Server CPU µs/msg | Busy cores | Per thread µs/msg | Load before / after | Status |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---|---|---|"
printf '%s\n' "${ROWS[@]}"
