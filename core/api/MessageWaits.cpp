#include "MessageWaits.h"

#include <QTimer>

MessageWaits::MessageWaits(Answer answer, QObject *parent)
    : QObject(parent), m_answer(std::move(answer))
{}

ApiResponse MessageWaits::wait(const WaitRequest &request, const CurrentMatches &currentMatches)
{
    if (m_waiters.size() >= kMaxWaiters)
        return ApiResponse::error(503, QStringLiteral("too many waiting requests"));
    // Listen before reading the current matches: a message stored in between then arrives
    // through messageStored() too, and the set counts it once.
    m_listening.fetch_add(1, std::memory_order_acq_rel);
    Waiter waiter{request, {}};
    for (qint64 id : currentMatches(request))
        waiter.matched.insert(id);
    if (waiter.matched.size() >= request.count || request.timeoutMs == 0) {
        m_listening.fetch_sub(1, std::memory_order_acq_rel);
        return m_answer(request, waiter.matched.size() < request.count);
    }
    auto *pending = new ApiPendingResponse(this);
    auto *timer = new QTimer(pending);
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, this, [this, pending] { finish(pending, true); });
    timer->start(request.timeoutMs);
    m_waiters.insert(pending, std::move(waiter));
    return ApiResponse::later(pending);
}

void MessageWaits::messageStored(const MessageSummary &summary)
{
    QList<ApiPendingResponse *> done;
    for (auto it = m_waiters.begin(); it != m_waiters.end(); ++it) {
        Waiter &waiter = it.value();
        if (!waiter.request.counts(summary))
            continue;
        waiter.matched.insert(summary.id);
        if (waiter.matched.size() >= waiter.request.count)
            done.append(it.key());
    }
    for (ApiPendingResponse *pending : done)
        finish(pending, false);
}

void MessageWaits::finish(ApiPendingResponse *pending, bool timedOut)
{
    const auto it = m_waiters.constFind(pending);
    if (it == m_waiters.constEnd())
        return;
    const WaitRequest request = it->request;
    m_waiters.erase(it);
    m_listening.fetch_sub(1, std::memory_order_acq_rel);
    pending->finish(m_answer(request, timedOut));
}
