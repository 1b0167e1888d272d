#pragma once

#include "records/DeliveryRecord.h"
#include "records/Records.h"
#include "relay/RecipientRules.h"
#include "relay/RelaySettings.h"

#include <QRegularExpression>

class MessageStore;

// The deliveries a captured message starts without being asked: auto-relay (--relay-all,
// --relay-matching) to its allowed envelope recipients, and --forward to fixed addresses.
// The store asks it in its own thread (MessageStore::setDeliveryPlan).
class AutoRelayPlan
{
public:
    AutoRelayPlan(MessageStore *store, const RelaySettings &settings);

    QList<DeliveryRecord> operator()(const MessageSummary &message) const;

private:
    MessageStore *m_store; // only for delivery ids
    RelaySettings m_settings;
    RecipientRules m_rules;
    QRegularExpression m_matching;
};

// A pending delivery of a message, due now, without attempts yet.
DeliveryRecord newDelivery(qint64 id, qint64 messageId, DeliveryRecord::Kind kind,
                           const QByteArray &from, const QList<QByteArray> &recipients,
                           qint64 nowMs);
