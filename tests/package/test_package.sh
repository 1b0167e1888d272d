#!/usr/bin/env bash
# Checks a built Debian package: lintian, the desktop file and AppStream data, the man page and
# the shell completions against the binary's own --help and, as root, that it installs, runs
# headless, stops on SIGTERM with exit code 0 and is removed without leaving files behind (an
# smtpeek installed before is replaced, then removed).
#   tests/package/test_package.sh DEB
# Prints one PASS/FAIL line per check and "N passed, N failed"; non-zero on any failure.
set -euo pipefail
deb="$(realpath "$1")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

pass() { echo "PASS: $1"; passed=$((passed + 1)); }
fail() { echo "FAIL: $1"; failed=$((failed + 1)); }
check() { # NAME COMMAND...: passes when the command succeeds
    local name=$1
    shift
    if "$@"; then pass "$name"; else fail "$name"; fi
}
contains_all() { # FILE WORD...: every word occurs in the file
    local file=$1 word missing=()
    shift
    for word in "$@"; do
        grep -qF -- "$word" "$file" || missing+=("$word")
    done
    [ ${#missing[@]} -eq 0 ] || { echo "  missing from $(basename "$file"): ${missing[*]}"; return 1; }
}

root="$work/root"
dpkg-deb -x "$deb" "$root"
binary="$root/usr/bin/smtpeek"
version="$(dpkg-deb -f "$deb" Version)"

# Every spelling of every option, read from --help independently of resources/cli.
"$binary" --help > "$work/help"
mapfile -t spellings < <(sed -n 's/^  \(-[^ ].*\)/\1/p' "$work/help" | sed 's/  .*//; s/ <[^>]*>//; s/, /\n/g')
long_options=()
for spelling in "${spellings[@]}"; do
    [[ $spelling == --* ]] && long_options+=("$spelling")
done
check "--help lists options (${#spellings[@]} spellings)" test ${#long_options[@]} -gt 20
# Options whose value is a file (<path>, <pem>, <file...>): these at least, and --config if any.
mapfile -t file_options < <(sed -n 's/^  \(--[a-z-]*\) <\(path\|pem\|file[^>]*\)>.*/\1/p' "$work/help")
printf '%s\n' "${file_options[@]}" > "$work/file-options"
check "--db, --tls-cert, --tls-key and --inspect take file names" \
    contains_all "$work/file-options" --db --tls-cert --tls-key --inspect
if grep -q -- '^  --config ' "$work/help"; then
    check "--config takes a file name" contains_all "$work/file-options" --config
fi

echo "== lintian"
status=0
lintian --fail-on error "$deb" > "$work/lintian" 2>&1 || status=$?
check "lintian reports no errors" test "$status" -eq 0 -a "$(grep -c '^E:' "$work/lintian")" -eq 0
grep -v '^running with root privileges' "$work/lintian" | sed 's/^/  /' || true

echo "== desktop file and AppStream"
check "desktop-file-validate (hints are printed, not failures)" \
    desktop-file-validate "$root/usr/share/applications/smtpeek.desktop"
check "appstreamcli validate --no-net" \
    appstreamcli validate --no-net "$root/usr/share/metainfo/io.github.smtpeek.metainfo.xml"
{
    grep -o 'release version="[^"]*"' "$root/usr/share/metainfo/io.github.smtpeek.metainfo.xml" | head -1
    zcat "$root/usr/share/doc/smtpeek/changelog.gz" | head -1
    "$binary" --version | head -1
} > "$work/versions"
check "the AppStream release, the changelog and --version all say $version" contains_all \
    "$work/versions" "release version=\"$version\"" "smtpeek ($version)" "smtpeek $version"
check "copyright is machine-readable (DEP-5)" \
    grep -qx 'Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/' \
    "$root/usr/share/doc/smtpeek/copyright"

echo "== man page"
page="$root/usr/share/man/man1/smtpeek.1.gz"
if MANWIDTH=200 LC_ALL=C.UTF-8 man --warnings -l "$page" > "$work/man.txt" 2> "$work/man.err" &&
    [ ! -s "$work/man.err" ]; then
    pass "man -l renders smtpeek(1) without warnings"
else
    fail "man -l renders smtpeek(1) without warnings"
    sed 's/^/  /' "$work/man.err"
fi
check "the man page names every option" contains_all "$work/man.txt" "${spellings[@]}"
environment=()
for option in "${long_options[@]}"; do
    case $option in --help | --help-all | --version) continue ;; esac
    variable="${option#--}"
    variable="SMTPEEK_${variable^^}"
    environment+=("${variable//-/_}")
done
check "ENVIRONMENT names SMTPEEK_<OPTION> for every option" contains_all "$work/man.txt" \
    "${environment[@]}"
check "the man page has EXIT STATUS, FILES, EXAMPLES and COPYRIGHT" contains_all "$work/man.txt" \
    "EXIT STATUS" FILES EXAMPLES COPYRIGHT "MIT licence" smtpeek.ini smtpeek.sqlite

echo "== bash completion"
completion="$root/usr/share/bash-completion/completions/smtpeek"
complete_bash() { # WORD...: what the completion offers for the command line's last word
    (cd "$work/files" && bash --norc --noprofile -c '
        source "$1"; shift
        COMP_WORDS=(smtpeek "$@"); COMP_CWORD=$#
        _smtpeek
        printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$@")
}
mkdir -p "$work/files" && touch "$work/files/probe.pem"
complete_bash -- > "$work/bash.options"
check "bash: 'smtpeek --' offers every long option" contains_all "$work/bash.options" "${long_options[@]}"
complete_bash - > "$work/bash.options"
check "bash: 'smtpeek -' offers every option" contains_all "$work/bash.options" "${spellings[@]}"
check "bash: '--sync ' offers normal and full" \
    test "$(complete_bash --sync '' | sort | tr '\n' ' ')" = "full normal "
check "bash: '--auth ' offers any, off and users:" \
    test "$(complete_bash --auth '' | sort | tr '\n' ' ')" = "any off users: "
for option in "${file_options[@]}"; do
    check "bash: '$option pro' completes the file probe.pem" \
        test "$(complete_bash "$option" pro)" = probe.pem
done
check "bash: '--db=pro' completes the file probe.pem" test "$(complete_bash --db = pro)" = probe.pem

echo "== zsh completion"
zsh_completion="$root/usr/share/zsh/vendor-completions/_smtpeek"
if command -v zsh > /dev/null; then
    check "zsh -n accepts _smtpeek" zsh -n "$zsh_completion"
else
    echo "SKIP: zsh -n (zsh is not installed)"
fi
has_zsh_specs() { # a spec '--name[' / '--name=[' (or after an exclusion list) per spelling
    local spelling missing=()
    for spelling in "${spellings[@]}"; do
        grep -qE -- "[')]$spelling=?\[" "$zsh_completion" || missing+=("$spelling")
    done
    [ ${#missing[@]} -eq 0 ] || { echo "  missing: ${missing[*]}"; return 1; }
}
check "zsh: _smtpeek has a spec for every option" has_zsh_specs
for option in "${file_options[@]}"; do
    check "zsh: $option completes file names" grep -qE -- "'$option=\[.*:_files'" "$zsh_completion"
done
check "zsh: --sync offers normal and full" grep -qF -- ':(normal full)' "$zsh_completion"

echo "== install, run, remove"
if [ "$(id -u)" -ne 0 ]; then
    echo "SKIP: installing the package needs root (running as $(id -un))"
else
    export DEBIAN_FRONTEND=noninteractive
    quietly() { "$@" > "$work/command.log" 2>&1 || { sed 's/^/  /' "$work/command.log"; return 1; }; }
    apt() { quietly apt-get -o DPkg::Lock::Timeout=300 -qq "$@"; }
    check "apt-get install ./$(basename "$deb")" apt install -y "$deb"
    dpkg -L smtpeek > "$work/installed"
    check "/usr/bin/smtpeek --version prints $version" \
        test "$(/usr/bin/smtpeek --version | head -1)" = "smtpeek $version"
    mkdir -p "$work/runtime" && chmod 700 "$work/runtime"
    check "systemd-analyze verify --user smtpeek.service" \
        env XDG_RUNTIME_DIR="$work/runtime" systemd-analyze verify --user \
        /usr/lib/systemd/user/smtpeek.service

    # Headless with a home of its own; --memory writes nothing.
    env HOME="$work/home" XDG_CONFIG_HOME="$work/home/config" XDG_DATA_HOME="$work/home/data" \
        /usr/bin/smtpeek --headless --memory --listen 127.0.0.1:0 --api 127.0.0.1:0 \
        > "$work/headless.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
        grep -q '^api listening on ' "$work/headless.log" && break
        kill -0 "$pid" 2> /dev/null || break
        sleep 0.1
    done
    listens() {
        grep -qE '^smtpeek .* listening on 127\.0\.0\.1:[0-9]+$' "$work/headless.log" &&
            grep -qE '^api listening on http://127\.0\.0\.1:[0-9]+$' "$work/headless.log"
    }
    check "headless smtpeek listens for SMTP and the API" listens
    kill -TERM "$pid" 2> /dev/null || true
    status=0
    wait "$pid" || status=$?
    check "SIGTERM stops it with exit code 0 (got $status)" test "$status" -eq 0
    check "it says it stopped" grep -q '^stopped: ' "$work/headless.log"
    sed 's/^/  /' "$work/headless.log"

    check "apt-get remove smtpeek" apt remove -y smtpeek
    # No repository knows the package: apt-get cannot purge it, dpkg can.
    check "dpkg --purge smtpeek" quietly dpkg --purge smtpeek
    nothing_left() { # of the paths dpkg -L listed
        local path left=()
        while read -r path; do
            # Shared folders (/usr/share/man/man1, ...) stay; the package's files and its own go.
            if [ -e "$path" ] && { [ ! -d "$path" ] || [[ $path == *smtpeek* ]]; }; then
                left+=("$path")
            fi
        done < "$work/installed"
        [ ${#left[@]} -eq 0 ] || { printf '  left: %s\n' "${left[@]}"; return 1; }
    }
    check "nothing of the package is left ($(wc -l < "$work/installed") paths checked)" nothing_left
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
