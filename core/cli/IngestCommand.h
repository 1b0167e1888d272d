#pragma once

#include <QStringList>
#include <QTextStream>

// `smtpeek ingest PATH...`: the .eml files, mbox files and Maildir folders below PATH, submitted
// over SMTP to a running smtpeek (--smtp-addr, over one connection) or written straight into a
// database (--db). Progress on a terminal, then a summary with the reason for each skipped
// input. Exit 0 (every message in), 1 (some message could not be submitted or stored, or
// nothing was found), 2 (bad arguments).
int runIngestCommand(const QStringList &arguments, QTextStream &err);
