#pragma once

#include <QStringList>
#include <QTextStream>

// `smtpeek dump --db PATH (--dir DIR | --mbox FILE) [--query SEARCH]`: the stored messages,
// oldest first, as byte-exact .eml files with safe names or one mboxrd file. Exit 0, 1 when
// the database cannot be read or the output written (nothing half-written is left), 2 on bad
// arguments.
int runDumpCommand(const QStringList &arguments, QTextStream &out, QTextStream &err);
