#include "MessageStore.h"

#include <QMetaObject>
#include <QPointer>

void MessageStore::setRetention(Retention retention)
{
    m_maxMessages = retention.maxMessages;
    m_maxSessions = retention.maxSessions;
}

MessageStore::Retention MessageStore::retention() const
{
    return Retention{m_maxMessages, m_maxSessions};
}

void MessageStore::answer(QObject *context, const SaveCallback &done, bool stored)
{
    if (!context || !done)
        return;
    QMetaObject::invokeMethod(
        context, [done, stored] { done(stored); }, Qt::QueuedConnection);
}

QList<MessageSummary> MessageStore::search(const MessageQuery &query, qint64 offset, qint64 limit,
                                           qint64 *total) const
{
    // Summaries are small and decoded already, so one scan serves both stores and keeps the
    // matching rules (Unicode case folding, envelope addresses) in one place.
    constexpr qint64 kScanPage = 2000;
    QList<MessageSummary> page;
    qint64 matched = 0;
    for (qint64 at = 0;; at += kScanPage) {
        const QList<MessageSummary> chunk = messages(at, kScanPage, Order::NewestFirst);
        for (const MessageSummary &summary : chunk) {
            if (!query.matches(summary))
                continue;
            if (matched >= offset && page.size() < limit)
                page.append(summary);
            ++matched;
        }
        if (chunk.size() < kScanPage)
            break;
    }
    if (total)
        *total = matched;
    return page;
}
