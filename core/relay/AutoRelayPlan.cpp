#include "AutoRelayPlan.h"

#include "store/MessageStore.h"

#include <QDateTime>

DeliveryRecord newDelivery(qint64 id, qint64 messageId, DeliveryRecord::Kind kind,
                           const QByteArray &from, const QList<QByteArray> &recipients,
                           qint64 nowMs)
{
    DeliveryRecord delivery;
    delivery.id = id;
    delivery.messageId = messageId;
    delivery.createdMs = nowMs;
    delivery.kind = kind;
    delivery.mailFrom = from;
    delivery.recipients = recipients;
    delivery.nextAttemptMs = nowMs;
    return delivery;
}

AutoRelayPlan::AutoRelayPlan(MessageStore *store, const RelaySettings &settings)
    : m_store(store), m_settings(settings),
      m_rules(settings.allowedRecipients, settings.blockedRecipients),
      m_matching(settings.relayMatching, QRegularExpression::CaseInsensitiveOption)
{}

QList<DeliveryRecord> AutoRelayPlan::operator()(const MessageSummary &message) const
{
    QList<DeliveryRecord> planned;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QByteArray from =
        m_settings.returnPath.isEmpty() ? message.envelopeFrom : m_settings.returnPath;
    if (m_settings.relayAll || !m_settings.relayMatching.isEmpty()) {
        QList<QByteArray> recipients;
        for (const QByteArray &address : message.envelopeTo) {
            const bool matches =
                m_settings.relayAll || m_matching.match(QString::fromUtf8(address)).hasMatch();
            if (matches && m_rules.problem(address).isEmpty())
                recipients.append(address);
        }
        if (!recipients.isEmpty())
            planned.append(newDelivery(m_store->allocateDeliveryId(), message.id,
                                       DeliveryRecord::Kind::AutoRelay, from, recipients, now));
    }
    if (!m_settings.forward.isEmpty())
        planned.append(newDelivery(m_store->allocateDeliveryId(), message.id,
                                   DeliveryRecord::Kind::Forward, from, m_settings.forward, now));
    return planned;
}
