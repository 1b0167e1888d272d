#include "NotificationThrottle.h"

std::optional<NotificationThrottle::Notification>
NotificationThrottle::add(int count, const QString &lastSubject, qint64 nowMs)
{
    if (count <= 0)
        return std::nullopt;
    m_waiting.count += count;
    m_waiting.lastSubject = lastSubject;
    return due(nowMs);
}

std::optional<NotificationThrottle::Notification> NotificationThrottle::due(qint64 nowMs)
{
    if (m_waiting.count == 0)
        return std::nullopt;
    if (m_lastShownMs >= 0 && nowMs - m_lastShownMs < m_intervalMs)
        return std::nullopt;
    m_lastShownMs = nowMs;
    return std::exchange(m_waiting, Notification());
}

qint64 NotificationThrottle::nextDueMs() const
{
    if (m_waiting.count == 0)
        return -1;
    return m_lastShownMs < 0 ? 0 : m_lastShownMs + m_intervalMs;
}
