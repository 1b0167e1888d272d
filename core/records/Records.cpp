#include "Records.h"

#include "DeliveryRecord.h"

namespace {
const char *const kSessionEndNames[] = {"active", "quit", "dropped", "timeout", "shutdown", "error"};
const char *const kBodyNames[] = {"", "7BIT", "8BITMIME", "BINARYMIME"};
const char *const kResultNames[] = {"delivered", "partial", "temporary-failure",
                                    "permanent-failure"};
const char *const kKindNames[] = {"release", "auto-relay", "forward"};
const char *const kStatusNames[] = {"pending", "delivered", "partial", "failed"};

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
    s.relay = relay;
    s.tags = tags;
    return s;
}

bool DeliveryAttempt::operator==(const DeliveryAttempt &o) const
{
    const auto sameRecipients = [](const QList<RecipientOutcome> &a,
                                   const QList<RecipientOutcome> &b) {
        if (a.size() != b.size())
            return false;
        for (qsizetype i = 0; i < a.size(); ++i) {
            if (a[i].address != b[i].address || a[i].code != b[i].code || a[i].reply != b[i].reply)
                return false;
        }
        return true;
    };
    return startedMs == o.startedMs && endedMs == o.endedMs && upstream == o.upstream &&
           tls == o.tls && insecure == o.insecure && authUser == o.authUser &&
           sameRecipients(recipients, o.recipients) && result == o.result && reason == o.reason &&
           transcript == o.transcript;
}

bool DeliveryRecord::operator==(const DeliveryRecord &o) const
{
    return id == o.id && messageId == o.messageId && createdMs == o.createdMs && kind == o.kind &&
           status == o.status && mailFrom == o.mailFrom && recipients == o.recipients &&
           nextAttemptMs == o.nextAttemptMs && attempts == o.attempts;
}

QString attemptResultName(DeliveryAttempt::Result result)
{
    return QLatin1String(kResultNames[static_cast<int>(result)]);
}

DeliveryAttempt::Result attemptResultFromName(const QString &name)
{
    return fromName(kResultNames, name, DeliveryAttempt::Result::PermanentFailure);
}

QString deliveryKindName(DeliveryRecord::Kind kind)
{
    return QLatin1String(kKindNames[static_cast<int>(kind)]);
}

DeliveryRecord::Kind deliveryKindFromName(const QString &name)
{
    return fromName(kKindNames, name, DeliveryRecord::Kind::Release);
}

QString deliveryStatusName(DeliveryRecord::Status status)
{
    return QLatin1String(kStatusNames[static_cast<int>(status)]);
}

DeliveryRecord::Status deliveryStatusFromName(const QString &name)
{
    return fromName(kStatusNames, name, DeliveryRecord::Status::Failed);
}

RelayMark relayMarkOf(DeliveryRecord::Status status)
{
    switch (status) {
    case DeliveryRecord::Status::Pending:
        return RelayMark::Pending;
    case DeliveryRecord::Status::Delivered:
        return RelayMark::Delivered;
    case DeliveryRecord::Status::Partial:
        return RelayMark::Partial;
    case DeliveryRecord::Status::Failed:
        break;
    }
    return RelayMark::Failed;
}
