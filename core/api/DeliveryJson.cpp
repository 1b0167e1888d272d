#include "DeliveryJson.h"

#include "MessageJson.h"
#include "SessionJson.h"

#include <QJsonArray>

namespace {
QJsonArray addressesJson(const QList<QByteArray> &addresses)
{
    QJsonArray array;
    for (const QByteArray &address : addresses)
        array.append(QString::fromUtf8(address));
    return array;
}

QJsonObject attemptJson(const DeliveryAttempt &attempt)
{
    QJsonArray recipients;
    for (const RecipientOutcome &outcome : attempt.recipients) {
        recipients.append(QJsonObject{
            {QStringLiteral("Address"), QString::fromUtf8(outcome.address)},
            {QStringLiteral("Code"), outcome.code},
            {QStringLiteral("Reply"), QString::fromLatin1(outcome.reply)},
            {QStringLiteral("Accepted"), outcome.accepted()},
        });
    }
    const QJsonValue tls = attempt.tls.protocol.isEmpty()
                               ? QJsonValue()
                               : QJsonObject{{QStringLiteral("Protocol"), attempt.tls.protocol},
                                             {QStringLiteral("Cipher"), attempt.tls.cipher},
                                             {QStringLiteral("Verified"), !attempt.insecure}};
    return {
        {QStringLiteral("Started"), apiTime(attempt.startedMs)},
        {QStringLiteral("Ended"), apiTime(attempt.endedMs)},
        {QStringLiteral("Upstream"), attempt.upstream},
        {QStringLiteral("TLS"), tls},
        {QStringLiteral("Insecure"), attempt.insecure},
        {QStringLiteral("AuthUser"), attempt.authUser},
        {QStringLiteral("Recipients"), recipients},
        {QStringLiteral("Result"), attemptResultName(attempt.result)},
        {QStringLiteral("Reason"), attempt.reason},
        {QStringLiteral("Transcript"), transcriptJson(attempt.transcript)},
    };
}
} // namespace

QJsonObject deliveryJson(const DeliveryRecord &delivery)
{
    QJsonArray attempts;
    for (const DeliveryAttempt &attempt : delivery.attempts)
        attempts.append(attemptJson(attempt));
    return {
        {QStringLiteral("ID"), apiId(delivery.id)},
        {QStringLiteral("MessageID"), apiId(delivery.messageId)},
        {QStringLiteral("Created"), apiTime(delivery.createdMs)},
        {QStringLiteral("Kind"), deliveryKindName(delivery.kind)},
        {QStringLiteral("Status"), deliveryStatusName(delivery.status)},
        {QStringLiteral("From"), QString::fromUtf8(delivery.mailFrom)},
        {QStringLiteral("To"), addressesJson(delivery.recipients)},
        {QStringLiteral("NextAttempt"), delivery.status == DeliveryRecord::Status::Pending
                                            ? QJsonValue(apiTime(delivery.nextAttemptMs))
                                            : QJsonValue()},
        {QStringLiteral("Attempts"), attempts},
    };
}

QJsonObject messageRelayJson(const RelaySettings &settings)
{
    const RelayTarget &target = settings.target;
    return {
        {QStringLiteral("Enabled"), target.configured()},
        {QStringLiteral("SMTPServer"), target.configured() ? target.address() : QString()},
        {QStringLiteral("AllowedRecipients"), settings.allowedRecipients},
        {QStringLiteral("BlockedRecipients"), settings.blockedRecipients},
        {QStringLiteral("ReturnPath"), QString::fromUtf8(settings.returnPath)},
        {QStringLiteral("OverrideFrom"), QString()},
        {QStringLiteral("PreserveMessageIDs"), !settings.freshHeaders},
    };
}
