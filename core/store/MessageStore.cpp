#include "MessageStore.h"

#include "TagRules.h"
#include "records/TagName.h"

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

void MessageStore::setTagRules(std::shared_ptr<const TagRules> rules)
{
    QMutexLocker locker(&m_tagRulesLock);
    m_tagRules = std::move(rules);
}

QStringList MessageStore::tagsOnArrival(const MessageRecord &message) const
{
    std::shared_ptr<const TagRules> rules;
    {
        QMutexLocker locker(&m_tagRulesLock);
        rules = m_tagRules;
    }
    return tag_name::ordered(rules ? message.tags + rules->tagsFor(message) : message.tags);
}
