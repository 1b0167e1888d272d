#!/usr/bin/env bash
# Installs whatever smtpeek needs that this Debian 12 machine lacks. Idempotent and quick when
# everything is present. Usage: scripts/deps.sh [build|test]  (test includes build)
set -euo pipefail

# help2man, librsvg2-bin: the man page and the icons, made at build time; dpkg-dev and file:
# the .deb (dpkg-shlibdeps, and CPack finding the binaries it must look at). libgumbo-dev: the
# HTML5 parser of the HTML compatibility and link checks.
build_packages=(cmake g++ make pkg-config qt6-base-dev libqt6sql6-sqlite qt6-httpserver-dev
                qt6-websockets-dev qt6-webengine-dev libgmime-3.0-dev libssl-dev libsqlite3-dev
                help2man librsvg2-bin dpkg-dev file libpsl-dev libgumbo-dev)
# clang and the rest: the Clang build and the package checks (tests/package); python3-dkim and
# its helpers sign the messages of the DKIM tests; spamassassin: a real spamd for the spam
# check's tests (smtpeek speaks the spamc protocol itself, so spamc is not used); fetchmail:
# a real POP3 client for the POP3 tests; php-cli: PHP's mail() through `smtpeek sendmail` as its
# sendmail_path (tests/api/test_automation.py).
test_packages=(swaks libnet-ssleay-perl curl python3 xvfb xauth openssl python3-dkim
               python3-authres python3-cryptography spamassassin php-cli
               clang lintian desktop-file-utils appstream man-db groff-base zsh systemd fetchmail)

wanted=("${build_packages[@]}")
[ "${1:-build}" = test ] && wanted+=("${test_packages[@]}")
command -v node >/dev/null 2>&1 || wanted+=(nodejs)
# Node.js from Debian has no npm of its own; a Node.js that ships npm conflicts with Debian's.
command -v npm >/dev/null 2>&1 || [ "${1:-build}" != test ] || wanted+=(npm)

missing=()
for package in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
        missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "smtpeek: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
