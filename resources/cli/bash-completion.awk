# Prints smtpeek's bash completion from options-table rows (command, names, kind, words, value,
# description; see generate.sh). Rows of a subcommand complete after that command's word.
BEGIN { FS = "\t" }

# "-h --help" of command "" -> "/-h|/--help"
function patterns(command, names,    n, i, spellings, out) {
    n = split(names, spellings, " ")
    for (i = 1; i <= n; i++)
        out = out (i > 1 ? "|" : "") command "/" spellings[i]
    return out
}

function append(list, item, separator) {
    return list == "" ? item : list separator item
}

{
    if (!($1 in options)) {
        contexts[++context_count] = $1
        if ($1 != "")
            commands = append(commands, $1, "|")
    }
    options[$1] = append(options[$1], $2, " ")
    if ($3 == "file")
        file_values = append(file_values, patterns($1, $2), "|")
    else if ($3 == "text")
        free_values = append(free_values, patterns($1, $2), "|")
    else if ($3 == "choice")
        choices[++choice_count] = patterns($1, $2) ") COMPREPLY=($(compgen -W '" $4 "' -- \"$cur\")) ;;"
}

END {
    print "# bash completion for smtpeek(1), generated from `smtpeek --help` by resources/cli."
    print "_smtpeek()"
    print "{"
    print "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} command="
    print "    # bash splits --option=value at '=' (COMP_WORDBREAKS)."
    print "    if [[ $cur == = ]]; then"
    print "        cur="
    print "    elif [[ $prev == = ]]; then"
    print "        prev=${COMP_WORDS[COMP_CWORD-2]}"
    print "    fi"
    if (commands != "") {
        print "    local word"
        print "    for word in \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"; do"
        print "        case $word in " commands ") command=$word; break ;; esac"
        print "    done"
    }
    print "    case $command/$prev in"
    if (file_values != "") {
        print "        " file_values ")"
        print "            compopt -o filenames 2>/dev/null || true # fails outside a real completion"
        print "            COMPREPLY=($(compgen -f -- \"$cur\")) ;;"
    }
    for (i = 1; i <= choice_count; i++)
        print "        " choices[i]
    if (free_values != "")
        print "        " free_values ") COMPREPLY=() ;; # the user's own value"
    print "        *)"
    print "            case $command in"
    for (i = 1; i <= context_count; i++) {
        c = contexts[i]
        offered = options[c]
        if (c == "" && commands != "") {
            offered = offered " " commands
            gsub(/\|/, " ", offered)
        }
        print "                '" c "') COMPREPLY=($(compgen -W '" offered "' -- \"$cur\")) ;;"
    }
    print "            esac ;;"
    print "    esac"
    print "}"
    print "complete -F _smtpeek smtpeek"
}
