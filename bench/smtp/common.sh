# Shared by run.sh and profile.sh (sourced, not run). Expects ROOT and OUT to be set.

log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }

# Postfix's smtp-source and smtp-sink without installing or starting the Postfix daemon:
# apt-get download + dpkg -x into $OUT/postfix. Sets SOURCE, SINK and LD_LIBRARY_PATH.
fetch_postfix() {
    local pfx=$OUT/postfix
    if [ ! -x "$pfx/usr/sbin/smtp-source" ]; then
        log "fetching postfix (apt-get download) for smtp-source and smtp-sink"
        (cd "$OUT" && rm -f postfix_*.deb && apt-get download postfix >/dev/null 2>&1) ||
            die "apt-get download postfix failed (run apt-get update?)"
        rm -rf "$pfx" && dpkg -x "$OUT"/postfix_*.deb "$pfx"
    fi
    export LD_LIBRARY_PATH="$pfx/usr/lib/postfix${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    SOURCE=$pfx/usr/sbin/smtp-source
    SINK=$pfx/usr/sbin/smtp-sink
}

# export_rev REV DIR: make DIR hold exactly the files of commit REV (git archive), touching only
# files whose content changed so that a build directory on DIR stays incremental.
export_rev() {
    local rev=$1 dir=$2 tmp
    tmp=$(mktemp -d "$OUT/.export.XXXXXX")
    git -C "$ROOT" archive "$rev" | tar -x -C "$tmp"
    mkdir -p "$dir"
    python3 - "$tmp" "$dir" <<'EOF'
import filecmp, os, shutil, sys
src, dst = sys.argv[1], sys.argv[2]
keep = set()
for base, dirs, files in os.walk(src):
    rel = os.path.relpath(base, src)
    os.makedirs(os.path.join(dst, rel), exist_ok=True)
    for f in files:
        s, d = os.path.join(base, f), os.path.normpath(os.path.join(dst, rel, f))
        keep.add(d)
        if not (os.path.isfile(d) and filecmp.cmp(s, d, shallow=False)):
            shutil.copy2(s, d)
            os.utime(d)  # newer than any object built from the old content
for base, dirs, files in os.walk(dst):
    for f in files:
        p = os.path.normpath(os.path.join(base, f))
        if p not in keep:
            os.remove(p)
EOF
    rm -rf "$tmp"
}

# build_smtpeek SRC BUILD_DIR BUILD_TYPE LOGFILE: configure and build the smtpeek target.
build_smtpeek() {
    local src=$1 build=$2 type=$3 logfile=$4
    # A build directory configured for another source tree cannot be reused.
    if [ -f "$build/CMakeCache.txt" ] &&
        ! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$src" "$build/CMakeCache.txt"; then
        rm -rf "$build"
    fi
    cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE="$type" -DSMTPEEK_TESTS=OFF \
        -DSMTPEEK_WEBENGINE=OFF >"$logfile" 2>&1 ||
        { tail -20 "$logfile" >&2; die "cmake configure failed (see $logfile)"; }
    cmake --build "$build" -j2 --target smtpeek >>"$logfile" 2>&1 ||
        { tail -30 "$logfile" >&2; die "build failed (see $logfile; with uncommitted work in the tree, try --rev HEAD)"; }
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_listening() {   # port -> 0 once something listens on 127.0.0.1:port (at most 10 s)
    local i
    for ((i = 0; i < 100; i++)); do
        [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ] && return 0
        sleep 0.1
    done
    return 1
}

# Workloads of issue 2, section 8, as smtp-source arguments; SCALE divides the message count.
workload_count() {
    case "$1" in
    W1 | W1R) echo $((20000 / SCALE)) ;;
    W3) echo $((2000 / SCALE)) ;;
    *) die "unknown workload $1" ;;
    esac
}
workload_args() {
    local n
    n=$(workload_count "$1")
    case "$1" in
    W1) echo "-c -s 20 -m $n -l 2048" ;;        # 20 sessions, one connection per message, 2 KB
    W1R) echo "-c -d -s 20 -m $n -l 2048" ;;    # the same, connections reused
    W3) echo "-c -s 4 -m $n -l 204800" ;;       # 4 sessions, 200 KB messages
    esac
}
