#pragma once

#include "protocol/SaslExchange.h"
#include "protocol/SmtpReply.h"

#include <optional>

// What an upstream's EHLO reply offers (RFC 5321 4.1.1.1 and the extension RFCs). Pure.
struct UpstreamCapabilities
{
    bool esmtp = false; // false after a HELO fallback: no extension at all
    qint64 maxSize = 0; // SIZE; 0: not announced or no limit
    bool sizeOffered = false;
    bool eightBitMime = false;
    bool smtpUtf8 = false;
    bool pipelining = false;
    bool chunking = false;
    bool binaryMime = false;
    bool startTls = false;
    QList<QByteArray> authMechanisms; // upper case, as offered

    static UpstreamCapabilities fromEhlo(const SmtpReply &reply);

    // The strongest mechanism both sides know: CRAM-MD5 (the password never crosses the wire),
    // then PLAIN (one round trip), then LOGIN.
    std::optional<SaslExchange::Mechanism> strongestAuth() const;
};
