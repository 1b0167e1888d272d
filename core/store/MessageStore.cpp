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
