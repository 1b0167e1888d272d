#pragma once

// `smtpeek --inspect FILE.eml [--json]`: the decoded structure of a message file, for people
// (text) or scripts (JSON). Needs GMime initialised (see DecodedMessage.h).

#include "DecodedMessage.h"

#include <QJsonObject>
#include <QString>
#include <QTextStream>

// Body excerpts are cut after this many characters.
constexpr int kInspectExcerptChars = 2000;

// The report of `message` (read from `raw`) as a JSON object: headers, addresses, part tree,
// body excerpts, remote resources of the HTML body, warnings.
QJsonObject inspectJson(const DecodedMessage &message, const QByteArray &raw);

// Reads and decodes `path`, writes the report to `out` (as JSON when `json`). Returns the
// process exit code: 0, or 2 after a message on `err` when the file cannot be read.
int runInspect(const QString &path, bool json, QTextStream &out, QTextStream &err);
