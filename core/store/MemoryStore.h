#pragma once

#include "store/MessageStore.h"

#include <QMap>
#include <QReadWriteLock>

// Keeps everything in memory: nothing touches the disk (--memory).
class MemoryStore final : public MessageStore
{
    Q_OBJECT
public:
    using MessageStore::MessageStore;

    qint64 allocateMessageId() override { return ++m_lastMessageId; }
    qint64 allocateSessionId() override { return ++m_lastSessionId; }

    void saveMessage(const MessageRecord &message, QObject *context, SaveCallback done) override;
    void saveSession(const SessionRecord &session) override;
    void flush() override {}

    qint64 messageCount() const override;
    qint64 unreadCount() const override;
    QList<MessageSummary> messages(qint64 offset, qint64 limit, Order order) const override;
    SearchPage search(const MessageQuery &query, qint64 offset, qint64 limit) const override;
    QList<qint64> matchingIds(const MessageQuery &query, qint64 limit) const override;
    std::optional<MessageRecord> message(qint64 id) const override;
    std::optional<QByteArray> raw(qint64 id) const override;
    QList<qint64> messageIdsOfSession(qint64 sessionId) const override;

    qint64 sessionCount() const override;
    QList<SessionRecord> sessions(qint64 offset, qint64 limit, Order order) const override;
    std::optional<SessionRecord> session(qint64 id) const override;

    qint64 allocateDeliveryId() override { return ++m_lastDeliveryId; }
    void saveDelivery(const DeliveryRecord &delivery) override;
    QList<DeliveryRecord> deliveries(qint64 messageId) const override;
    QList<DeliveryRecord> pendingDeliveries() const override;

    QList<TagCount> tagCounts() const override;
    QStringList tagNames() const override;
    QHash<qint64, QStringList> tagsOf(const QList<qint64> &ids) const override;
    void setTags(const QList<qint64> &ids, const QStringList &tags) override;
    void addTags(const QList<qint64> &ids, const QStringList &tags) override;
    void renameTag(const QString &from, const QString &to) override;
    void deleteTag(const QString &name) override;

    void setRead(const QList<qint64> &ids, bool read) override;
    void removeMessages(const QList<qint64> &ids) override;
    void clear() override;

private:
    QList<qint64> applyRetention(); // with the lock held; returns removed message ids
    void removeDeliveriesOf(const QList<qint64> &messageIds); // with the lock held
    // Gives each message that has the tag `name` the tags `edit` makes of its own.
    void changeTag(const QString &name, const std::function<QStringList(QStringList)> &edit);

    mutable QReadWriteLock m_lock;
    QMap<qint64, MessageRecord> m_messages;
    QMap<qint64, SessionRecord> m_sessions;
    QMap<qint64, DeliveryRecord> m_deliveries;
    qint64 m_unread = 0;
    std::atomic<qint64> m_lastMessageId{0};
    std::atomic<qint64> m_lastSessionId{0};
    std::atomic<qint64> m_lastDeliveryId{0};
};
