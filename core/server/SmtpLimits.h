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
    // Messages being received or waiting for the store, over all sessions (0: no limit): past
    // it MAIL gets 452 4.3.1, and a body that would pass it is read, thrown away, and refused.
    qint64 maxBytesInFlight = qint64(256) * 1024 * 1024;
    qint64 maxTranscriptBytes = 4 * 1024 * 1024; // per session; later entries counted, not kept
    int maxTranscriptEntries = 20000;
    int maxDataMs = 600 * 1000;            // from DATA or the first BDAT to the message's end
    int tlsHandshakeTimeoutMs = 30 * 1000; // STARTTLS and SMTPS
    bool strictLineLength = false; // refuse messages with over-long lines instead of warning
};
