#pragma once

#include <QtGlobal>

// Every limit the server enforces, in one place (design.md, "Limits"). Defaults are RFC 5321's
// minimums or common practice.
struct SmtpLimits
{
    qsizetype maxCommandLine = 512;           // octets, CRLF included (4.5.3.1.4)
    qsizetype maxTextLine = 1000;             // octets, CRLF included (4.5.3.1.6)
    qint64 maxMessageSize = 25 * 1024 * 1024; // octets, after dot-unstuffing
    int maxRecipients = 1000;                 // RFC minimum is 100 (4.5.3.1.8)
    int maxBadCommands = 20;
    int idleTimeoutMs = 300 * 1000; // 4.5.3.2.7
    int maxSessions = 1000;
    bool strictLineLength = false; // refuse messages with over-long lines instead of warning
};
