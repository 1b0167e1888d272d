#include "MemoryStore.h"

#include "mime/Headline.h"
#include "records/TagName.h"

#include <QSet>

namespace {
// A page of a map in either order, mapped through `convert`.
template <typename Value, typename Out>
QList<Out> page(const QMap<qint64, Value> &map, qint64 offset, qint64 limit,
                MessageStore::Order order, Out (*convert)(const Value &))
{
    QList<Out> out;
    if (offset < 0 || offset >= map.size() || limit <= 0)
        return out;
    const qint64 count = std::min<qint64>(limit, map.size() - offset);
    out.reserve(count);
    if (order == MessageStore::Order::OldestFirst) {
        auto it = std::next(map.cbegin(), offset);
        for (qint64 i = 0; i < count; ++i, ++it)
            out.append(convert(*it));
    } else {
        auto it = std::prev(map.cend(), offset + 1);
        for (qint64 i = 0; i < count; ++i, --it)
            out.append(convert(*it));
    }
    return out;
}

MessageSummary toSummary(const MessageRecord &m) { return m.summary(); }
template <typename Value>
std::optional<Value> find(const QMap<qint64, Value> &map, qint64 id)
{
    const auto it = map.constFind(id);
    if (it == map.cend())
        return std::nullopt;
    return *it;
}

SessionRecord withoutTranscript(const SessionRecord &s)
{
    SessionRecord copy = s;
    copy.transcript.clear();
    return copy;
}
} // namespace

void MemoryStore::saveMessage(const MessageRecord &message, QObject *context, SaveCallback done)
{
    MessageRecord record = message;
    record.headline = readHeadline(record.raw);
    record.tags = tagsOnArrival(record);
    const QList<DeliveryRecord> planned = plannedDeliveries(record.summary());
    QList<qint64> removed;
    {
        QWriteLocker locker(&m_lock);
        for (const DeliveryRecord &delivery : planned) {
            m_deliveries.insert(delivery.id, delivery);
            record.relay = relayMarkOf(delivery.status);
        }
        m_messages.insert(record.id, record);
        if (!record.read)
            ++m_unread;
        removed = applyRetention();
    }
    Q_EMIT messageStored(record.summary());
    announcePlanned(planned);
    if (!removed.isEmpty())
        Q_EMIT messagesRemoved(removed);
    answer(context, done, true);
}

void MemoryStore::saveSession(const SessionRecord &session)
{
    QWriteLocker locker(&m_lock);
    m_sessions.insert(session.id, session);
    applyRetention();
}

QList<qint64> MemoryStore::applyRetention()
{
    const Retention limits = retention();
    QList<qint64> removed;
    while (limits.maxMessages > 0 && m_messages.size() > limits.maxMessages) {
        if (!m_messages.first().read)
            --m_unread;
        removed.append(m_messages.firstKey());
        m_messages.erase(m_messages.begin());
    }
    removeDeliveriesOf(removed);
    while (limits.maxSessions > 0 && m_sessions.size() > limits.maxSessions)
        m_sessions.erase(m_sessions.begin());
    return removed;
}

qint64 MemoryStore::messageCount() const
{
    QReadLocker locker(&m_lock);
    return m_messages.size();
}

qint64 MemoryStore::unreadCount() const
{
    QReadLocker locker(&m_lock);
    return m_unread;
}

QList<MessageSummary> MemoryStore::messages(qint64 offset, qint64 limit, Order order) const
{
    QReadLocker locker(&m_lock);
    return page(m_messages, offset, limit, order, toSummary);
}

MessageStore::SearchPage MemoryStore::search(const MessageQuery &query, qint64 offset,
                                             qint64 limit) const
{
    offset = std::max<qint64>(offset, 0);
    QReadLocker locker(&m_lock);
    SearchPage result;
    result.total = m_messages.size();
    result.unread = m_unread;
    for (auto it = m_messages.cend(); it != m_messages.cbegin();) {
        const MessageSummary summary = (--it)->summary();
        if (!query.matches(summary))
            continue;
        if (result.matching++ >= offset && result.messages.size() < limit)
            result.messages.append(summary);
        result.matchingUnread += !summary.read;
    }
    return result;
}

QList<qint64> MemoryStore::matchingIds(const MessageQuery &query, qint64 limit) const
{
    QReadLocker locker(&m_lock);
    QList<qint64> ids;
    for (auto it = m_messages.cend(); it != m_messages.cbegin() && ids.size() != limit;) {
        if (query.matches((--it)->summary()))
            ids.append(it.key());
    }
    return ids;
}

std::optional<MessageRecord> MemoryStore::message(qint64 id) const
{
    QReadLocker locker(&m_lock);
    return find(m_messages, id);
}

std::optional<QByteArray> MemoryStore::raw(qint64 id) const
{
    QReadLocker locker(&m_lock);
    const auto it = m_messages.constFind(id);
    if (it == m_messages.cend())
        return std::nullopt;
    return it->raw;
}

QList<qint64> MemoryStore::messageIdsOfSession(qint64 sessionId) const
{
    QReadLocker locker(&m_lock);
    QList<qint64> ids;
    for (const MessageRecord &m : m_messages) {
        if (m.sessionId == sessionId)
            ids.append(m.id);
    }
    return ids;
}

qint64 MemoryStore::sessionCount() const
{
    QReadLocker locker(&m_lock);
    return m_sessions.size();
}

QList<SessionRecord> MemoryStore::sessions(qint64 offset, qint64 limit, Order order) const
{
    QReadLocker locker(&m_lock);
    return page(m_sessions, offset, limit, order, withoutTranscript);
}

std::optional<SessionRecord> MemoryStore::session(qint64 id) const
{
    QReadLocker locker(&m_lock);
    return find(m_sessions, id);
}

void MemoryStore::setRead(const QList<qint64> &ids, bool read)
{
    QList<qint64> changed;
    {
        QWriteLocker locker(&m_lock);
        for (qint64 id : ids) {
            auto it = m_messages.find(id);
            if (it == m_messages.end() || it->read == read)
                continue;
            it->read = read;
            m_unread += read ? -1 : 1;
            changed.append(id);
        }
    }
    if (!changed.isEmpty())
        Q_EMIT readChanged(changed, read);
}

void MemoryStore::removeMessages(const QList<qint64> &ids)
{
    QList<qint64> removed;
    {
        QWriteLocker locker(&m_lock);
        for (qint64 id : ids) {
            auto it = m_messages.find(id);
            if (it == m_messages.end())
                continue;
            if (!it->read)
                --m_unread;
            m_messages.erase(it);
            removed.append(id);
        }
        removeDeliveriesOf(removed);
    }
    if (!removed.isEmpty())
        Q_EMIT messagesRemoved(removed);
}

void MemoryStore::clear()
{
    {
        QWriteLocker locker(&m_lock);
        m_messages.clear();
        m_deliveries.clear();
        m_unread = 0;
        m_sessions.removeIf([](const auto &it) { return it.value().end != SessionEnd::Active; });
    }
    Q_EMIT cleared();
}

void MemoryStore::removeDeliveriesOf(const QList<qint64> &messageIds)
{
    if (messageIds.isEmpty() || m_deliveries.isEmpty())
        return;
    const QSet<qint64> gone(messageIds.cbegin(), messageIds.cend());
    m_deliveries.removeIf([&gone](const auto &it) { return gone.contains(it.value().messageId); });
}

void MemoryStore::saveDelivery(const DeliveryRecord &delivery)
{
    {
        QWriteLocker locker(&m_lock);
        const auto message = m_messages.find(delivery.messageId);
        if (message == m_messages.end())
            return; // removed meanwhile: its deliveries went with it
        m_deliveries.insert(delivery.id, delivery);
        message->relay = relayMarkOf(delivery.status);
    }
    Q_EMIT deliverySaved(delivery);
}

QList<DeliveryRecord> MemoryStore::deliveries(qint64 messageId) const
{
    QReadLocker locker(&m_lock);
    QList<DeliveryRecord> found;
    for (const DeliveryRecord &delivery : m_deliveries) {
        if (delivery.messageId == messageId)
            found.append(delivery);
    }
    return found;
}

QList<DeliveryRecord> MemoryStore::pendingDeliveries() const
{
    QReadLocker locker(&m_lock);
    QList<DeliveryRecord> found;
    for (const DeliveryRecord &delivery : m_deliveries) {
        if (delivery.status == DeliveryRecord::Status::Pending)
            found.append(delivery);
    }
    return found;
}

QList<MessageStore::TagCount> MemoryStore::tagCounts() const
{
    QReadLocker locker(&m_lock);
    QList<TagCount> counts;
    for (const MessageRecord &m : m_messages) {
        for (const QString &tag : m.tags) {
            auto it = std::find_if(counts.begin(), counts.end(), [&tag](const TagCount &c) {
                return tag_name::same(c.name, tag);
            });
            if (it == counts.end())
                it = counts.insert(counts.end(), TagCount{tag, 0, 0});
            ++it->total;
            it->unread += !m.read;
        }
    }
    QStringList names;
    for (const TagCount &count : counts)
        names.append(count.name);
    QList<TagCount> sorted;
    for (const QString &name : tag_name::ordered(names)) {
        sorted.append(*std::find_if(counts.cbegin(), counts.cend(),
                                    [&name](const TagCount &c) { return c.name == name; }));
    }
    return sorted;
}

QStringList MemoryStore::tagNames() const
{
    QStringList names;
    for (const TagCount &count : tagCounts())
        names.append(count.name);
    return names;
}

QHash<qint64, QStringList> MemoryStore::tagsOf(const QList<qint64> &ids) const
{
    QReadLocker locker(&m_lock);
    QHash<qint64, QStringList> tags;
    for (qint64 id : ids)
        tags.insert(id, m_messages.value(id).tags);
    return tags;
}

void MemoryStore::setTags(const QList<qint64> &ids, const QStringList &tags)
{
    {
        QWriteLocker locker(&m_lock);
        for (qint64 id : ids) {
            if (auto it = m_messages.find(id); it != m_messages.end())
                it->tags = tag_name::ordered(tags);
        }
    }
    if (!ids.isEmpty())
        Q_EMIT tagsChanged(ids);
}

void MemoryStore::addTags(const QList<qint64> &ids, const QStringList &tags)
{
    {
        QWriteLocker locker(&m_lock);
        for (qint64 id : ids) {
            if (auto it = m_messages.find(id); it != m_messages.end())
                it->tags = tag_name::ordered(it->tags + tags);
        }
    }
    if (!ids.isEmpty())
        Q_EMIT tagsChanged(ids);
}

void MemoryStore::changeTag(const QString &name,
                            const std::function<QStringList(QStringList)> &edit)
{
    QList<qint64> changed;
    {
        QWriteLocker locker(&m_lock);
        for (MessageRecord &m : m_messages) {
            if (std::any_of(m.tags.cbegin(), m.tags.cend(),
                            [&name](const QString &t) { return tag_name::same(t, name); })) {
                m.tags.removeIf([&name](const QString &t) { return tag_name::same(t, name); });
                m.tags = tag_name::ordered(edit(m.tags));
                changed.append(m.id);
            }
        }
    }
    if (!changed.isEmpty())
        Q_EMIT tagsChanged(changed);
}

void MemoryStore::renameTag(const QString &from, const QString &to)
{
    changeTag(from, [&to](QStringList tags) { return tags << to; });
}

void MemoryStore::deleteTag(const QString &name)
{
    changeTag(name, [](QStringList tags) { return tags; });
}
