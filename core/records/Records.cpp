#include "Records.h"

namespace {
const char *const kSessionEndNames[] = {"active", "quit", "dropped", "timeout", "shutdown", "error"};
const char *const kBodyNames[] = {"", "7BIT", "8BITMIME", "BINARYMIME"};

template <typename Enum, size_t N>
Enum fromName(const char *const (&names)[N], const QString &name, Enum fallback)
{
    for (size_t i = 0; i < N; ++i) {
        if (name.compare(QLatin1String(names[i]), Qt::CaseInsensitive) == 0)
            return static_cast<Enum>(i);
    }
    return fallback;
}
} // namespace

QString sessionEndName(SessionEnd end)
{
    return QLatin1String(kSessionEndNames[static_cast<int>(end)]);
}

SessionEnd sessionEndFromName(const QString &name)
{
    return fromName(kSessionEndNames, name, SessionEnd::Error);
}

QString envelopeBodyName(Envelope::Body body)
{
    return QLatin1String(kBodyNames[static_cast<int>(body)]);
}

Envelope::Body envelopeBodyFromName(const QString &name)
{
    return fromName(kBodyNames, name, Envelope::Body::Unspecified);
}

MessageSummary MessageRecord::summary() const
{
    MessageSummary s;
    s.id = id;
    s.sessionId = sessionId;
    s.receivedMs = receivedMs;
    s.size = raw.size();
    s.headline = headline;
    s.envelopeFrom = envelope.mailFrom;
    s.envelopeTo = envelope.rcptTo;
    s.warningCount = int(warnings.size());
    s.read = read;
    return s;
}
