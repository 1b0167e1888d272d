#!/usr/bin/env bash
# Writes a file made from smtpeek's own --help, so that it cannot drift from the options:
#   generate.sh bash|zsh|environment BINARY OUTPUT [COMMAND...]
# bash, zsh: the shell completions; environment: the man page's ENVIRONMENT section.
# Each COMMAND (a subcommand; smtpeek has none yet) adds the options of `BINARY COMMAND --help`,
# completed after that command's word.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
format=$1 binary=$2 output=$3
shift 3

# One row per option: command ("" for the top level), then parse-help.awk's columns.
options_table() {
    local command
    "$binary" --help | awk -f "$here/parse-help.awk" | sed 's/^/\t/'
    for command in "$@"; do
        "$binary" "$command" --help | awk -f "$here/parse-help.awk" | sed "s/^/$command\t/"
    done
}

case $format in
    bash | zsh) emitter=$format-completion.awk ;;
    environment) emitter=environment.awk ;;
    *) echo "generate.sh: unknown format '$format'" >&2; exit 2 ;;
esac
table="$(options_table "$@")"
if [ -z "$table" ]; then
    echo "generate.sh: no options found in '$binary --help'" >&2
    exit 1
fi
awk -f "$here/$emitter" <<<"$table" > "$output.tmp"
mv "$output.tmp" "$output"
