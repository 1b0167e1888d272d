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

void MessageStore::setDeliveryPlan(DeliveryPlan plan)
{
    QMutexLocker locker(&m_planLock);
    m_plan = std::move(plan);
}

QList<DeliveryRecord> MessageStore::plannedDeliveries(const MessageSummary &message) const
{
    QMutexLocker locker(&m_planLock);
    return m_plan ? m_plan(message) : QList<DeliveryRecord>();
}

void MessageStore::announcePlanned(const QList<DeliveryRecord> &deliveries)
{
    if (deliveries.isEmpty())
        return;
    for (const DeliveryRecord &delivery : deliveries)
        Q_EMIT deliverySaved(delivery);
    Q_EMIT deliveriesPlanned(deliveries);
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
