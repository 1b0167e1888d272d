#pragma once

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

// `smtpeek mcp [--api URL]`: an MCP server over stdio (one JSON-RPC message per line) whose
// tools work on a running smtpeek through its API. Runs until standard input ends.
int runMcpCommand(const QStringList &arguments, QIODevice *input, QIODevice *output,
                  QTextStream &err);
