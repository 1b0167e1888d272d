#pragma once

#include "ApiExchange.h"
#include "WaitRequest.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <atomic>
#include <functional>

// The open GET /api/v1/wait requests. Each one holds the IDs that already match and an
// ApiPendingResponse; the store's messageStored signal (handed to this object's thread by the
// server) adds to the waiters whose query the message matches, and answers them when they have
// enough. Nothing polls: a waiter costs a timer and a set until its answer.
class MessageWaits : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxWaiters = 4096; // beyond: 503, so clients cannot pile up timers

    // Builds the answer from the store: the matches so far, 200 when enough, else 408.
    using Answer = std::function<ApiResponse(const WaitRequest &, bool timedOut)>;
    // The IDs that match now; run after this object listens, so none are missed.
    using CurrentMatches = std::function<QList<qint64>(const WaitRequest &)>;

    explicit MessageWaits(Answer answer, QObject *parent = nullptr);

    ApiResponse wait(const WaitRequest &request, const CurrentMatches &currentMatches);
    // Called in this object's thread for each message the store has stored.
    void messageStored(const MessageSummary &summary);
    // Read from the store's thread to decide whether to hand a message over at all.
    bool isListening() const { return m_listening.load(std::memory_order_acquire) > 0; }
    int waiterCount() const { return static_cast<int>(m_waiters.size()); }

private:
    struct Waiter
    {
        WaitRequest request;
        QSet<qint64> matched;
    };
    void finish(ApiPendingResponse *pending, bool timedOut);

    Answer m_answer;
    QHash<ApiPendingResponse *, Waiter> m_waiters;
    std::atomic<int> m_listening{0};
};
