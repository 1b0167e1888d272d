#!/usr/bin/env bash
# Checks that resources/cli/generate.sh completes a subcommand's own options after its word,
# with a stand-in binary: smtpeek has no subcommands yet, the generator is ready for them.
#   tests/package/test_cli_generator.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
generate="$here/../../resources/cli/generate.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat > "$work/stand-in" <<'STANDIN'
#!/bin/sh
if [ "$1" = demo ]; then
    printf 'Usage: stand-in demo [options]\n\nOptions:\n  --out <file>   Where.\n  --count <n>    How many.\n'
else
    printf 'Usage: stand-in [options]\n\nOptions:\n  -h, --help     Help.\n  --sync <normal|full>  Sync.\n'
fi
STANDIN
chmod +x "$work/stand-in"
bash "$generate" bash "$work/stand-in" "$work/completion.bash" demo
bash "$generate" zsh "$work/stand-in" "$work/_completion" demo

offered() { # WORD...: what the bash completion offers for the last word
    bash --norc --noprofile -c 'source "$1"; shift; COMP_WORDS=(smtpeek "$@"); COMP_CWORD=$#
        _smtpeek; printf "%s " "${COMPREPLY[@]}"' _ "$work/completion.bash" "$@"
}
failed=0
expect() { # DESCRIPTION EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then echo "PASS: $1"; else echo "FAIL: $1: '$3', not '$2'"; failed=1; fi
}
expect "the top level offers its options and the subcommand" "-h --help --sync demo " "$(offered '')"
expect "after the subcommand, its own options" "--out --count " "$(offered --sync full demo --)"
expect "a top-level value still completes" "full " "$(offered --sync f)"
if command -v zsh > /dev/null; then
    if zsh -n "$work/_completion" && grep -q "demo) _arguments" "$work/_completion"; then
        echo "PASS: zsh dispatches to the subcommand's specs"
    else
        echo "FAIL: zsh dispatches to the subcommand's specs"
        failed=1
    fi
fi
exit $failed
