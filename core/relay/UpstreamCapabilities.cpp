#include "UpstreamCapabilities.h"

UpstreamCapabilities UpstreamCapabilities::fromEhlo(const SmtpReply &reply)
{
    UpstreamCapabilities caps;
    caps.esmtp = true;
    // The first line greets; every further line is "KEYWORD [params]".
    for (qsizetype i = 1; i < reply.lines.size(); ++i) {
        const QList<QByteArray> words = reply.lines[i].simplified().split(' ');
        const QByteArray keyword = words.value(0).toUpper();
        if (keyword == "SIZE") {
            caps.sizeOffered = true;
            bool ok = false;
            const qint64 size = words.value(1).toLongLong(&ok);
            caps.maxSize = ok && size > 0 ? size : 0;
        } else if (keyword == "8BITMIME") {
            caps.eightBitMime = true;
        } else if (keyword == "SMTPUTF8") {
            caps.smtpUtf8 = true;
        } else if (keyword == "PIPELINING") {
            caps.pipelining = true;
        } else if (keyword == "CHUNKING") {
            caps.chunking = true;
        } else if (keyword == "BINARYMIME") {
            caps.binaryMime = true;
        } else if (keyword == "STARTTLS") {
            caps.startTls = true;
        } else if (keyword == "AUTH" || keyword.startsWith("AUTH=")) {
            // "AUTH=PLAIN LOGIN" is the pre-RFC 4954 form some servers still send.
            QList<QByteArray> names = words.mid(1);
            if (keyword.startsWith("AUTH="))
                names.prepend(words.value(0).mid(5));
            for (const QByteArray &name : std::as_const(names)) {
                const QByteArray upper = name.toUpper();
                if (!upper.isEmpty() && !caps.authMechanisms.contains(upper))
                    caps.authMechanisms.append(upper);
            }
        }
    }
    return caps;
}

std::optional<SaslExchange::Mechanism> UpstreamCapabilities::strongestAuth() const
{
    for (const char *name : {"CRAM-MD5", "PLAIN", "LOGIN"}) {
        if (authMechanisms.contains(QByteArray(name)))
            return SaslExchange::mechanismFromName(name);
    }
    return std::nullopt;
}
