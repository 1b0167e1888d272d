# Prints the man page's ENVIRONMENT section (help2man include format) from options-table rows
# (command, names, kind, words, value, description; see generate.sh). Options of the top level
# only: that is what smtpeek reads from the environment.
BEGIN {
    FS = "\t"
    print "[ENVIRONMENT]"
    print "Every option can also be set from the environment as SMTPEEK_<OPTION>, the option's"
    print "name in capitals with dashes as underscores. The command line wins. A flag is on when"
    print "its variable is 1, true or yes."
}

# --help, --help-all and --version belong to the command-line parser: never read from the environment.
$1 != "" || $2 ~ /(^| )--(help|help-all|version)$/ { next }

{
    option = $2
    sub(/.* /, "", option) # the long spelling
    variable = "SMTPEEK_" toupper(substr(option, 3))
    gsub(/-/, "_", variable)
    print ".TP"
    if ($5 == "")
        print "\\fB" variable "\\fR=1"
    else
        print "\\fB" variable "\\fR=\\fI" $5 "\\fR"
    roff_option = option
    gsub(/-/, "\\-", roff_option)
    print "As \\fB" roff_option "\\fR."
}
