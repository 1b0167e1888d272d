#include "DeliveryQueue.h"

#include "RecipientRules.h"
#include "RelayClient.h"
#include "store/MessageStore.h"

#include <QDateTime>
#include <QHash>
#include <QMap>
#include <QRegularExpression>
#include <QSemaphore>
#include <QSet>
#include <QTimer>

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

// The queue's inside, in its own thread: the pending deliveries, the connections in progress
// and the timer for the next due attempt.
class DeliveryWorker : public QObject
{
public:
    DeliveryWorker(MessageStore *store, const RelaySettings &settings)
        : m_store(store), m_settings(settings),
          m_rules(settings.allowedRecipients, settings.blockedRecipients),
          m_matching(settings.relayMatching, QRegularExpression::CaseInsensitiveOption),
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
        for (const DeliveryRecord &delivery : m_store->pendingDeliveries())
            m_pending.insert(delivery.id, delivery);
        pump();
    }

    void captured(const MessageSummary &message)
    {
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
                add(newDelivery(message.id, DeliveryRecord::Kind::AutoRelay, from, recipients));
        }
        if (!m_settings.forward.isEmpty())
            add(newDelivery(message.id, DeliveryRecord::Kind::Forward, from, m_settings.forward));
    }

    void release(qint64 messageId, const QList<QByteArray> &recipients,
                 const DeliveryQueue::Done &done)
    {
        const std::optional<MessageRecord> message = m_store->message(messageId);
        const QByteArray from = !m_settings.returnPath.isEmpty() ? m_settings.returnPath
                                : message                        ? message->envelope.mailFrom
                                                                 : QByteArray();
        const DeliveryRecord delivery =
            newDelivery(messageId, DeliveryRecord::Kind::Release, from, recipients);
        m_waiting.insert(delivery.id, done);
        add(delivery);
        if (!m_settings.target.configured())
            settle(delivery.id, refusedAttempt(QStringLiteral("no relay is configured (--relay "
                                                              "HOST:PORT)")));
    }

private:
    DeliveryRecord newDelivery(qint64 messageId, DeliveryRecord::Kind kind, const QByteArray &from,
                               const QList<QByteArray> &recipients)
    {
        DeliveryRecord delivery;
        delivery.id = m_store->allocateDeliveryId();
        delivery.messageId = messageId;
        delivery.createdMs = nowMs();
        delivery.kind = kind;
        delivery.mailFrom = from;
        delivery.recipients = recipients;
        delivery.nextAttemptMs = delivery.createdMs;
        return delivery;
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

    void add(const DeliveryRecord &delivery)
    {
        m_store->saveDelivery(delivery);
        m_pending.insert(delivery.id, delivery);
        pump();
    }

    // Starts every due delivery there is a connection for, then sleeps until the next is due.
    void pump()
    {
        if (!m_settings.target.configured())
            return; // pending deliveries wait for a relay to be configured
        const qint64 now = nowMs();
        qint64 nextDue = -1;
        for (auto it = m_pending.begin(); it != m_pending.end(); ++it) {
            if (m_inFlight.contains(it.key()))
                continue;
            if (it->nextAttemptMs <= now && m_inFlight.size() < kMaxConnections) {
                launch(*it);
                continue;
            }
            if (it->nextAttemptMs > now && (nextDue < 0 || it->nextAttemptMs < nextDue))
                nextDue = it->nextAttemptMs;
        }
        // At full capacity the next finished attempt pumps again.
        if (nextDue >= 0)
            m_wake.start(int(std::min<qint64>(nextDue - now, 24 * 3600 * 1000)));
    }

    void launch(const DeliveryRecord &delivery)
    {
        const std::optional<MessageRecord> message = m_store->message(delivery.messageId);
        if (!message)
            return settle(
                delivery.id,
                refusedAttempt(
                    QStringLiteral("message %1 is not in the store").arg(delivery.messageId)));
        OutgoingMessage outgoing =
            OutgoingMessage::prepare(*message, standingOf(delivery).remaining, m_settings, nowMs());
        outgoing.mailFrom = delivery.mailFrom; // as decided when it was asked for
        auto *client = new RelayClient(m_settings.target, outgoing, this);
        m_inFlight.insert(delivery.id);
        const qint64 id = delivery.id;
        QObject::connect(client, &RelayClient::finished, this,
                         [this, id, client](const DeliveryAttempt &attempt) {
                             client->deleteLater();
                             m_inFlight.remove(id);
                             settle(id, attempt);
                         });
        client->start();
    }

    // Records the attempt and decides: done, or again later.
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
            m_pending.insert(id, delivery);
        } else {
            delivery.status = standing.delivered.isEmpty() ? DeliveryRecord::Status::Failed
                              : standing.delivered.size() == delivery.recipients.size()
                                  ? DeliveryRecord::Status::Delivered
                                  : DeliveryRecord::Status::Partial;
            delivery.nextAttemptMs = 0;
            m_store->saveDelivery(delivery);
            if (const DeliveryQueue::Done done = m_waiting.take(id))
                done(delivery);
        }
        pump();
    }

    MessageStore *m_store;
    const RelaySettings m_settings;
    const RecipientRules m_rules;
    const QRegularExpression m_matching;
    QMap<qint64, DeliveryRecord> m_pending; // by id: the oldest first
    QSet<qint64> m_inFlight;
    QHash<qint64, DeliveryQueue::Done> m_waiting; // releases whose caller waits
    QTimer m_wake;
};

DeliveryQueue::DeliveryQueue(MessageStore *store, const RelaySettings &settings, QObject *parent)
    : QObject(parent), m_store(store), m_settings(settings)
{
    qRegisterMetaType<DeliveryRecord>();
    qRegisterMetaType<MessageSummary>();
    m_thread.setObjectName(QStringLiteral("smtpeek-relay"));
}

DeliveryQueue::~DeliveryQueue()
{
    if (!m_worker)
        return;
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
    if (!m_settings.automatic())
        return;
    // Taken in the store's thread and handed over: the store never waits for the relay.
    connect(
        m_store, &MessageStore::messageStored, m_worker,
        [worker = m_worker](const MessageSummary &summary) { worker->captured(summary); },
        Qt::QueuedConnection);
}

void DeliveryQueue::release(qint64 messageId, const QList<QByteArray> &recipients, Done done)
{
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, messageId, recipients, done] {
        worker->release(messageId, recipients, done);
    });
}

DeliveryRecord DeliveryQueue::releaseAndWait(qint64 messageId, const QList<QByteArray> &recipients)
{
    auto answer = std::make_shared<DeliveryRecord>();
    auto ready = std::make_shared<QSemaphore>();
    release(messageId, recipients, [answer, ready](const DeliveryRecord &delivery) {
        *answer = delivery;
        ready->release();
    });
    ready->acquire();
    return *answer;
}
