#pragma once

#include <QString>
#include <QtGlobal>

#include <optional>

// Decides when a "new mail" notification may be shown: at most one per interval, the ones in
// between folded into the next ("37 new messages"). A flood of 10,000 messages over a minute
// gives a dozen notifications, not 10,000. Pure logic over the times it is given.
class NotificationThrottle
{
public:
    struct Notification
    {
        int count = 0;
        QString lastSubject;
    };

    explicit NotificationThrottle(qint64 intervalMs = 5000) : m_intervalMs(intervalMs) {}

    // Mail arrived; returns what to show now, if anything.
    std::optional<Notification> add(int count, const QString &lastSubject, qint64 nowMs);
    // Returns the folded notification once its time has come.
    std::optional<Notification> due(qint64 nowMs);
    // When due() will have something to show; -1 when nothing waits.
    qint64 nextDueMs() const;

private:
    qint64 m_intervalMs;
    qint64 m_lastShownMs = -1;
    Notification m_waiting;
};
