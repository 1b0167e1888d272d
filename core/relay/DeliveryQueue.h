#pragma once

#include "records/DeliveryRecord.h"
#include "relay/RelaySettings.h"

#include <QMutex>
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
    // Thread-safe. The settings as they are now, and new ones: they apply to the next
    // connection and the next captured message; connections open now finish as they began.
    RelaySettings settings() const;
    void reconfigure(const RelaySettings &settings);

    // Thread-safe. One attempt, no retries (the user sees the answer): `done` runs in the
    // queue's thread once the upstream has answered, or at once when the request is refused.
    // Releases go before auto-relay and forwards that are waiting for a connection.
    void release(qint64 messageId, const QList<QByteArray> &recipients, Done done);

Q_SIGNALS:
    void reconfigured(); // from the thread that called reconfigure()

private:
    void applyPlan();

    MessageStore *m_store;
    mutable QMutex m_settingsLock;
    RelaySettings m_settings;
    QThread m_thread;
    DeliveryWorker *m_worker = nullptr; // lives in m_thread
};
