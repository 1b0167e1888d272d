# Prints smtpeek's zsh completion (_arguments specs) from options-table rows (command, names,
# kind, words, value, description; see generate.sh). Subcommands complete after the top level's
# options, each with its own specs.
BEGIN { FS = "\t"; quote = "'" }

# Text inside a single-quoted spec, with what _arguments gives a meaning escaped.
function escaped(text, colons) {
    gsub(/\\/, "\\\\", text)
    gsub(/\[/, "\\[", text)
    gsub(/\]/, "\\]", text)
    if (colons)
        gsub(/:/, "\\:", text)
    gsub(quote, quote "\\" quote quote, text)
    return text
}

# One spec per spelling; the spellings of one option exclude each other.
function specs(names, kind, words, value, description,    n, i, spellings, exclusion, argument, out) {
    n = split(names, spellings, " ")
    exclusion = n > 1 ? "(" names ")" : ""
    if (kind == "file")
        argument = ":" escaped(value, 1) ":_files"
    else if (kind == "choice")
        argument = ":" escaped(value, 1) ":(" escaped(words, 1) ")"
    else if (kind == "text")
        argument = ":" escaped(value, 1) ": "
    for (i = 1; i <= n; i++) {
        out = out " \\\n    " quote exclusion spellings[i] (kind == "flag" || spellings[i] !~ /^--/ ? "" : "=")
        out = out "[" escaped(description, 0) "]" argument quote
    }
    return out
}

{
    if (!($1 in option_specs)) {
        contexts[++context_count] = $1
        if ($1 != "")
            commands = commands (commands == "" ? "" : " ") $1
    }
    option_specs[$1] = option_specs[$1] specs($2, $3, $4, $5, $6)
}

END {
    print "#compdef smtpeek"
    print "# zsh completion for smtpeek(1), generated from `smtpeek --help` by resources/cli."
    if (commands == "") {
        print "_arguments" option_specs[""]
        exit
    }
    print "local state line"
    print "_arguments -C" option_specs[""] " \\\n    '1:command:(" commands ")' '*::argument:->argument'"
    print "[[ $state == argument ]] || return"
    print "case $words[1] in"
    for (i = 1; i <= context_count; i++)
        if (contexts[i] != "")
            print "    " contexts[i] ") _arguments" option_specs[contexts[i]] " ;;"
    print "esac"
}
