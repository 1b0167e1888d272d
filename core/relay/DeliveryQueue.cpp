#include "DeliveryQueue.h"

#include "AutoRelayPlan.h"
#include "RelayClient.h"
#include "store/MessageStore.h"

#include <QDateTime>
#include <QHash>
#include <QTimer>

#include <deque>
#include <set>
#include <tuple>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#endif

namespace {
qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// Connections open at once; more would only queue inside the upstream.
constexpr int kMaxConnections = 8;

bool carriedData(const DeliveryAttempt &attempt)
{
    return attempt.result == DeliveryAttempt::Result::Delivered ||
           attempt.result == DeliveryAttempt::Result::Partial;
}

// Where each recipient stands after every attempt so far.
struct Standing
{
    QList<QByteArray> delivered;
    QList<QByteArray> refused; // for good
    QList<QByteArray> remaining;
};

Standing standingOf(const DeliveryRecord &delivery)
{
    Standing standing;
    for (const QByteArray &address : delivery.recipients) {
        bool delivered = false;
        bool refused = false;
        for (const DeliveryAttempt &attempt : delivery.attempts) {
            for (const RecipientOutcome &outcome : attempt.recipients) {
                if (outcome.address != address)
                    continue;
                delivered = delivered || (outcome.accepted() && carriedData(attempt));
                refused = refused || outcome.code >= 500 ||
                          (attempt.result == DeliveryAttempt::Result::PermanentFailure &&
                           !outcome.accepted());
            }
            // A failure before any RCPT (SIZE, 8BITMIME, a refused MAIL) is final for all.
            refused = refused || (attempt.result == DeliveryAttempt::Result::PermanentFailure &&
                                  attempt.recipients.isEmpty());
        }
        (delivered ? standing.delivered
         : refused ? standing.refused
                   : standing.remaining)
            .append(address);
    }
    return standing;
}
} // namespace

// The queue's inside, in its own thread: the pending deliveries in the order they are due, the
// connections upstream with the deliveries each carries, and the timer for the next due one.
class DeliveryWorker : public QObject
{
public:
    DeliveryWorker(MessageStore *store, const RelaySettings &settings)
        : m_store(store), m_settings(settings),
          m_wake(this) // a child, so that it moves to the queue's thread with the worker
    {
        m_wake.setSingleShot(true);
        QObject::connect(&m_wake, &QTimer::timeout, this, [this] { pump(); });
    }

    void resume()
    {
#ifdef Q_OS_LINUX
        // Linux nice values are per thread: on a busy machine capture goes first and the relay
        // catches up when the CPU is free (W1 on 2 cores, bench/README.md).
        setpriority(PRIO_PROCESS, 0, 10);
#endif
        for (const DeliveryRecord &delivery : m_store->pendingDeliveries()) {
            m_resumedThrough = std::max(m_resumedThrough, delivery.id);
            addPending(delivery);
        }
        pump();
    }

    void reconfigure(const RelaySettings &settings)
    {
        m_settings = settings;
        ++m_generation; // open connections take no further message: they go to the old upstream
        pump();         // deliveries that waited for a relay to be configured go now
    }

    // Announced by the store once they are written with their message.
    void planned(const QList<DeliveryRecord> &deliveries)
    {
        for (const DeliveryRecord &delivery : deliveries) {
            // Planned before resume() read the store: already pending.
            if (delivery.id > m_resumedThrough)
                addPending(delivery);
        }
        pump();
    }

    void release(qint64 messageId, const QList<QByteArray> &recipients,
                 const DeliveryQueue::Done &done)
    {
        const std::optional<MessageRecord> message = m_store->message(messageId);
        const QByteArray from = !m_settings.returnPath.isEmpty() ? m_settings.returnPath
                                : message                        ? message->envelope.mailFrom
                                                                 : QByteArray();
        const DeliveryRecord delivery =
            newDelivery(m_store->allocateDeliveryId(), messageId, DeliveryRecord::Kind::Release,
                        from, recipients, nowMs());
        m_waiting.insert(delivery.id, done);
        m_store->saveDelivery(delivery);
        addPending(delivery);
        if (!m_settings.target.configured())
            settle(delivery.id, refusedAttempt(QStringLiteral("no relay is configured (--relay "
                                                              "HOST:PORT)")));
        pump();
    }

private:
    // Releases first (someone waits for the answer), then by due time, then oldest first.
    using DueKey = std::tuple<bool, qint64, qint64>; // not a release, due, id
    static DueKey dueKey(const DeliveryRecord &delivery)
    {
        return {delivery.kind != DeliveryRecord::Kind::Release, delivery.nextAttemptMs,
                delivery.id};
    }

    void addPending(const DeliveryRecord &delivery)
    {
        if (m_pending.contains(delivery.id))
            return;
        m_pending.insert(delivery.id, delivery);
        m_due.insert(dueKey(delivery));
    }

    // An attempt that never reached the upstream, and never will.
    DeliveryAttempt refusedAttempt(const QString &reason) const
    {
        DeliveryAttempt attempt;
        attempt.startedMs = attempt.endedMs = nowMs();
        attempt.upstream = m_settings.target.address();
        attempt.result = DeliveryAttempt::Result::PermanentFailure;
        attempt.reason = reason;
        return attempt;
    }

    // The first due delivery, taken out of the due order (it is in flight from now on), with
    // the message to send; deliveries whose message is gone are settled on the way.
    std::optional<std::pair<qint64, OutgoingMessage>> takeDue()
    {
        const qint64 now = nowMs();
        while (!m_due.empty() && std::get<1>(*m_due.begin()) <= now) {
            const qint64 id = std::get<2>(*m_due.begin());
            m_due.erase(m_due.begin());
            const DeliveryRecord &delivery = m_pending[id];
            const std::optional<MessageRecord> message = m_store->message(delivery.messageId);
            if (!message) {
                settle(
                    id,
                    refusedAttempt(
                        QStringLiteral("message %1 is not in the store").arg(delivery.messageId)));
                continue;
            }
            OutgoingMessage outgoing =
                OutgoingMessage::prepare(*message, standingOf(delivery).remaining, m_settings, now);
            outgoing.mailFrom = delivery.mailFrom; // as decided when it was asked for
            return std::pair{id, outgoing};
        }
        return std::nullopt;
    }

    // Opens connections for due deliveries up to the limit, then sleeps until the next is due.
    // A connection that has sent its message takes the next due one itself (takeDue), so a
    // flood goes over a few connections that stay open.
    void pump()
    {
        if (!m_settings.target.configured())
            return; // pending deliveries wait for a relay to be configured
        while (m_carrying.size() < kMaxConnections) {
            std::optional<std::pair<qint64, OutgoingMessage>> next = takeDue();
            if (!next)
                break;
            open(next->first, next->second);
        }
        if (m_due.empty())
            return;
        const qint64 due = std::get<1>(*m_due.begin());
        if (due > nowMs())
            m_wake.start(int(std::min<qint64>(due - nowMs(), 24 * 3600 * 1000)));
        // Due but every connection busy: the next one to finish a message takes it.
    }

    void open(qint64 id, const OutgoingMessage &outgoing)
    {
        auto *client = new RelayClient(m_settings.target, outgoing, this);
        m_carrying[client].push_back(id);
        client->setNextMessage(
            [this, client, generation = m_generation]() -> std::optional<OutgoingMessage> {
                if (generation != m_generation)
                    return std::nullopt;
                std::optional<std::pair<qint64, OutgoingMessage>> next = takeDue();
                if (!next)
                    return std::nullopt;
                m_carrying[client].push_back(next->first);
                return next->second;
            });
        QObject::connect(client, &RelayClient::finished, this,
                         [this, client](const DeliveryAttempt &attempt) {
                             std::deque<qint64> &carried = m_carrying[client];
                             const qint64 done = carried.front();
                             carried.pop_front();
                             settle(done, attempt);
                         });
        QObject::connect(client, &RelayClient::closed, this, [this, client] {
            m_carrying.remove(client);
            client->deleteLater();
            pump();
        });
        client->start();
    }

    // Records the attempt and decides: done, or again later (back in the due order).
    void settle(qint64 id, const DeliveryAttempt &attempt)
    {
        DeliveryRecord delivery = m_pending.take(id);
        delivery.attempts.append(attempt);
        const Standing standing = standingOf(delivery);
        const int maxAttempts = delivery.kind == DeliveryRecord::Kind::Release
                                    ? 1
                                    : 1 + std::max(0, m_settings.retries);
        if (!standing.remaining.isEmpty() && delivery.attempts.size() < maxAttempts) {
            const int retry = int(delivery.attempts.size()) - 1; // 0 before the first retry
            const qint64 delay = std::min<qint64>(
                qint64(m_settings.retryDelayMs) << std::min(retry, 30), m_settings.retryMaxDelayMs);
            delivery.status = DeliveryRecord::Status::Pending;
            delivery.nextAttemptMs = nowMs() + delay;
            m_store->saveDelivery(delivery);
            addPending(delivery);
            return;
        }
        delivery.status = standing.delivered.isEmpty() ? DeliveryRecord::Status::Failed
                          : standing.delivered.size() == delivery.recipients.size()
                              ? DeliveryRecord::Status::Delivered
                              : DeliveryRecord::Status::Partial;
        delivery.nextAttemptMs = 0;
        m_store->saveDelivery(delivery);
        if (const DeliveryQueue::Done done = m_waiting.take(id))
            done(delivery);
    }

    MessageStore *m_store;
    RelaySettings m_settings;
    QHash<qint64, DeliveryRecord> m_pending;             // by id, those in flight included
    std::set<DueKey> m_due;                              // the pending ones not in flight
    QHash<RelayClient *, std::deque<qint64>> m_carrying; // per connection, in sending order
    QHash<qint64, DeliveryQueue::Done> m_waiting;        // releases whose caller waits
    qint64 m_resumedThrough = 0;
    int m_generation = 0; // of the settings
    QTimer m_wake;
};

DeliveryQueue::DeliveryQueue(MessageStore *store, const RelaySettings &settings, QObject *parent)
    : QObject(parent), m_store(store), m_settings(settings)
{
    qRegisterMetaType<DeliveryRecord>();
    qRegisterMetaType<QList<DeliveryRecord>>();
    qRegisterMetaType<MessageSummary>();
    m_thread.setObjectName(QStringLiteral("smtpeek-relay"));
}

DeliveryQueue::~DeliveryQueue()
{
    if (!m_worker)
        return;
    m_store->setDeliveryPlan({}); // what is planned from now on waits for the next start
    QMetaObject::invokeMethod(
        m_worker, [this] { delete m_worker; }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void DeliveryQueue::start()
{
    m_worker = new DeliveryWorker(m_store, m_settings);
    m_worker->moveToThread(&m_thread);
    m_thread.start();
    QMetaObject::invokeMethod(m_worker, [worker = m_worker] { worker->resume(); });
    // Planned in the store's thread, with each message; handed over to the queue's thread.
    connect(
        m_store, &MessageStore::deliveriesPlanned, m_worker,
        [worker = m_worker](const QList<DeliveryRecord> &planned) { worker->planned(planned); },
        Qt::QueuedConnection);
    applyPlan();
}

void DeliveryQueue::applyPlan()
{
    const RelaySettings now = settings();
    m_store->setDeliveryPlan(now.target.configured() && now.automatic()
                                 ? MessageStore::DeliveryPlan(AutoRelayPlan(m_store, now))
                                 : MessageStore::DeliveryPlan());
}

RelaySettings DeliveryQueue::settings() const
{
    QMutexLocker locker(&m_settingsLock);
    return m_settings;
}

void DeliveryQueue::reconfigure(const RelaySettings &settings)
{
    {
        QMutexLocker locker(&m_settingsLock);
        m_settings = settings;
    }
    if (m_worker) {
        QMetaObject::invokeMethod(m_worker,
                                  [worker = m_worker, settings] { worker->reconfigure(settings); });
        applyPlan();
    }
    Q_EMIT reconfigured();
}

void DeliveryQueue::release(qint64 messageId, const QList<QByteArray> &recipients, Done done)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, messageId, recipients, done] {
        worker->release(messageId, recipients, done);
    });
}
