#pragma once

#include "records/Records.h"

#include <QJsonArray>
#include <QJsonObject>

// smtpeek's own endpoints: what Mailpit cannot show, the SMTP session and its transcript.

// A session without its transcript; "Ended" is null while it is active, "TLS" null without TLS.
QJsonObject sessionJson(const SessionRecord &session);

// [{"Time", "Direction": "client" | "server" | "event", "Text"}], text decoded as UTF-8.
QJsonArray transcriptJson(const Transcript &transcript);

// One line per transcript line: "<time> C: EHLO x", "S:" for the server, "*:" for events.
QByteArray transcriptText(const Transcript &transcript);
