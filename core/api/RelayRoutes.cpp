// The routes of releasing messages upstream: Mailpit's release and webui, smtpeek's deliveries.
#include "ApiRoutes.h"

#include "ApiPendingResponse.h"
#include "DeliveryJson.h"

#include "relay/DeliveryQueue.h"
#include "relay/RecipientRules.h"
#include "store/MessageStore.h"

#include <QJsonArray>

namespace {
// "a@b" or, as Mailpit's clients may send, "Name <a@b>".
QByteArray mailboxOf(const QString &text)
{
    const QString trimmed = text.trimmed();
    const qsizetype open = trimmed.lastIndexOf(u'<');
    if (open >= 0 && trimmed.endsWith(u'>'))
        return trimmed.mid(open + 1, trimmed.size() - open - 2).toUtf8();
    return trimmed.toUtf8();
}

// Mailpit answers a refused release with the reason in plain text; so does smtpeek, adding
// what each refused recipient was told.
QString refusal(const DeliveryRecord &delivery)
{
    if (delivery.attempts.isEmpty())
        return QStringLiteral("the message was not sent");
    const DeliveryAttempt &attempt = delivery.attempts.constLast();
    QStringList refused;
    for (const RecipientOutcome &outcome : attempt.recipients) {
        if (outcome.code != 0 && !outcome.accepted())
            refused.append(QStringLiteral("%1: %2").arg(QString::fromUtf8(outcome.address),
                                                        QString::fromLatin1(outcome.reply)));
    }
    return refused.isEmpty() || delivery.status == DeliveryRecord::Status::Failed
               ? attempt.reason
               : QStringLiteral("%1 (refused: %2)")
                     .arg(attempt.reason, refused.join(QStringLiteral("; ")));
}
} // namespace

void ApiRoutes::addRelayRoutes()
{
    using Args = const QStringList &;
    m_router.add("GET", QStringLiteral("/api/v1/webui"),
                 [this](const ApiRequest &, Args) { return webui(); });
    m_router.add("POST", QStringLiteral("/api/v1/message/{}/release"),
                 [this](const ApiRequest &r, Args a) { return release(r, a[0]); });
    m_router.add("GET", QStringLiteral("/api/v1/message/{}/deliveries"),
                 [this](const ApiRequest &r, Args a) { return deliveries(r, a[0]); });
}

ApiResponse ApiRoutes::webui() const
{
    return ApiResponse::json(QJsonDocument(QJsonObject{
        {QStringLiteral("Label"), QString()},
        {QStringLiteral("MessageRelay"),
         messageRelayJson(m_relay ? m_relay->settings() : RelaySettings())},
        {QStringLiteral("SpamAssassin"), false},
        {QStringLiteral("ChaosEnabled"), false},
        {QStringLiteral("DuplicatesIgnored"), false},
        {QStringLiteral("HideDeleteAllButton"), false},
    }));
}

// Answers when the upstream has: Mailpit's clients expect "ok" or the reason, not a ticket.
ApiResponse ApiRoutes::release(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    if (!resolved || !m_store->message(*resolved))
        return ApiResponse::notFound();
    ApiResponse error;
    const std::optional<QJsonObject> body = objectBody(request, &error);
    if (!body)
        return error;
    const QJsonValue to = body->value(QStringLiteral("To"));
    if (!to.isArray() && !to.isUndefined())
        return ApiResponse::error(400, QStringLiteral("To must be an array of addresses"));
    if (!m_relay || !m_relay->settings().target.configured())
        return ApiResponse::error(400, QStringLiteral("no SMTP relay is configured (--relay "
                                                      "HOST:PORT)"));
    const RelaySettings &settings = m_relay->settings();
    const RecipientRules rules(settings.allowedRecipients, settings.blockedRecipients);
    QList<QByteArray> recipients;
    for (const QJsonValue &item : to.toArray()) {
        if (!item.isString())
            return ApiResponse::error(400, QStringLiteral("To must be an array of addresses"));
        const QByteArray address = mailboxOf(item.toString());
        const QString problem = rules.problem(address);
        if (!problem.isEmpty())
            return ApiResponse::error(400, problem);
        if (!recipients.contains(address))
            recipients.append(address);
    }
    if (recipients.isEmpty())
        return ApiResponse::error(400, QStringLiteral("No valid addresses found"));
    // The answer comes from the queue's thread; finish() hands it to this one. Until the
    // upstream has answered, this thread goes on serving other requests.
    auto *pending = new ApiPendingResponse;
    m_relay->release(*resolved, recipients, [pending](const DeliveryRecord &delivery) {
        pending->finish(delivery.status == DeliveryRecord::Status::Delivered
                            ? ApiResponse::ok()
                            : ApiResponse::error(400, refusal(delivery)));
    });
    return ApiResponse::later(pending);
}

ApiResponse ApiRoutes::deliveries(const ApiRequest &request, const QString &id) const
{
    const std::optional<qint64> resolved = resolveMessageId(request, id);
    if (!resolved || !m_store->message(*resolved))
        return ApiResponse::notFound();
    QJsonArray list;
    for (const DeliveryRecord &delivery : m_store->deliveries(*resolved))
        list.append(deliveryJson(delivery));
    return ApiResponse::json(QJsonDocument(list));
}
