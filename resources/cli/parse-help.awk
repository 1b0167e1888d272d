# Reads QCommandLineParser's --help text and prints one tab-separated row per option:
#   names  kind  words  value  description
# names: the option's spellings ("-h --help"); value: its <value> name, empty for a flag;
# kind: what its value is, from the value name:
#   flag    no value
#   file    a file name: value names path, file, pem, or those with an extension (file.eml)
#   choice  one of the words (value names like normal|full; any|off|users:file offers "users:")
#   text    anything else (addresses, numbers, names)
# Description lines wrapped by the parser are joined.
BEGIN { FS = "\t"; OFS = "\t" }

function flush() {
    if (names != "")
        print names, kind, words, value, description
    names = ""
}

function classify(value,    n, i, alternatives, word) {
    kind = "text"; words = ""
    if (value == "") {
        kind = "flag"
    } else if (value ~ /\|/) {
        kind = "choice"
        n = split(value, alternatives, "|")
        for (i = 1; i <= n; i++) {
            word = alternatives[i]
            sub(/:.*/, ":", word) # users:file -> users:, the user types the rest
            words = words (i > 1 ? " " : "") word
        }
    } else if (value ~ /^(path|file|pem)(\..+)?$/) {
        kind = "file"
    }
}

/^[^ ]/ { flush(); in_options = ($0 == "Options:"); next }
!in_options { next }

/^  -/ {
    flush()
    line = substr($0, 3)
    spec = line; description = ""
    if (match(line, /   */)) {
        spec = substr(line, 1, RSTART - 1)
        description = substr(line, RSTART + RLENGTH)
    }
    value = ""
    if (match(spec, /<[^>]*>/)) {
        value = substr(spec, RSTART + 1, RLENGTH - 2)
        spec = substr(spec, 1, RSTART - 1)
    }
    gsub(/,/, "", spec)
    sub(/ +$/, "", spec)
    names = spec
    classify(value)
    next
}

/^   / {
    text = $0
    sub(/^ +/, "", text)
    description = description (description == "" ? "" : " ") text
}

END { flush() }
