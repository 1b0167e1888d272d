#pragma once

#include <QStringList>
#include <QTextStream>

// `smtpeek wait`: asks a running smtpeek's GET /api/v1/wait and prints the matches.
// Exit codes: 0 enough mail arrived, 1 timeout, 2 bad arguments (or refused by the server),
// 3 the API could not be reached.
int runWaitCommand(const QStringList &arguments, QTextStream &out, QTextStream &err);
