#pragma once

#include "records/DeliveryRecord.h"
#include "relay/RelaySettings.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

class MessageStore;
class DeliveryWorker;

// Hands captured messages on to the upstream from a thread of its own, so that a slow or dead
// upstream never holds up capture. Every delivery is a record in the store from the moment it
// is asked for: those still pending when smtpeek stops are resumed when it starts again.
// Temporary failures (4xx, no connection, timeouts) are retried with a doubling delay; 5xx are
// final. Auto-relay (--relay-all, --relay-matching) and --forward add a delivery for every
// message the store announces.
class DeliveryQueue : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const DeliveryRecord &delivery)>;

    DeliveryQueue(MessageStore *store, const RelaySettings &settings, QObject *parent = nullptr);
    // Connections in progress are dropped; their deliveries stay pending in the store.
    ~DeliveryQueue() override;

    // Resumes the pending deliveries and, as the settings say, relays new messages.
    void start();
    const RelaySettings &settings() const { return m_settings; }

    // Thread-safe. One attempt, no retries (the user sees the answer): `done` runs in the
    // queue's thread once the upstream has answered, or at once when the request is refused.
    // Releases go before auto-relay and forwards that are waiting for a connection.
    void release(qint64 messageId, const QList<QByteArray> &recipients, Done done);

private:
    MessageStore *m_store;
    const RelaySettings m_settings;
    QThread m_thread;
    DeliveryWorker *m_worker = nullptr; // lives in m_thread
};
