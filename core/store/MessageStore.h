#pragma once

#include "records/DeliveryRecord.h"
#include "records/Records.h"
#include "store/MessageQuery.h"
#include "store/TagRules.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <functional>
#include <memory>
#include <optional>

// Where captured sessions and messages live. Saves are asynchronous and thread-safe: the
// server hands a message over and is called back, in the thread of `context`, once the
// message is durable. Queries are synchronous, thread-safe and cheap (summaries only; raw bytes
// on demand). Signals are emitted from the store's own thread.
class MessageStore : public QObject
{
    Q_OBJECT
public:
    enum class Order { OldestFirst, NewestFirst };
    using SaveCallback = std::function<void(bool stored)>;

    struct Retention
    {
        qint64 maxMessages = 0; // 0: unlimited
        qint64 maxSessions = 0;
    };

    using QObject::QObject;

    virtual qint64 allocateMessageId() = 0;
    virtual qint64 allocateSessionId() = 0;

    virtual void saveMessage(const MessageRecord &message, QObject *context,
                             SaveCallback done) = 0;
    // Inserts or replaces the session (the server saves it when it starts and when it ends).
    virtual void saveSession(const SessionRecord &session) = 0;
    // Returns once every save handed over before the call is durable.
    virtual void flush() = 0;

    virtual qint64 messageCount() const = 0;
    virtual qint64 unreadCount() const = 0;
    virtual QList<MessageSummary> messages(qint64 offset, qint64 limit, Order order) const = 0;
    virtual std::optional<MessageRecord> message(qint64 id) const = 0;
    virtual std::optional<QByteArray> raw(qint64 id) const = 0;
    virtual QList<qint64> messageIdsOfSession(qint64 sessionId) const = 0;
    // One page of the messages that match `query`, newest first, how many match, and how many
    // the store holds: all read at one moment, so that the counts agree with each other.
    struct SearchPage
    {
        QList<MessageSummary> messages;
        qint64 matching = 0;
        qint64 matchingUnread = 0;
        qint64 total = 0;
        qint64 unread = 0;
    };
    virtual SearchPage search(const MessageQuery &query, qint64 offset, qint64 limit) const = 0;
    // The ids of the newest `limit` matches (every match when negative), newest first: for
    // acting on a search, without reading summaries or counting.
    virtual QList<qint64> matchingIds(const MessageQuery &query, qint64 limit) const = 0;

    virtual qint64 sessionCount() const = 0;
    // Without transcripts.
    virtual QList<SessionRecord> sessions(qint64 offset, qint64 limit, Order order) const = 0;
    virtual std::optional<SessionRecord> session(qint64 id) const = 0;

    // Deliveries upstream (release, auto-relay, forward), removed with their message.
    virtual qint64 allocateDeliveryId() = 0;
    // Inserts or replaces it, and marks its message; deliverySaved follows once it is durable.
    virtual void saveDelivery(const DeliveryRecord &delivery) = 0;
    virtual QList<DeliveryRecord> deliveries(qint64 messageId) const = 0; // oldest first
    virtual QList<DeliveryRecord> pendingDeliveries() const = 0;
    // Which deliveries a new message starts (auto-relay, forward). It is asked in the store's
    // thread and its deliveries are written in the message's own transaction, so a stored
    // message is never without them, even when smtpeek stops a moment later; deliverySaved and
    // deliveriesPlanned announce them after messageStored.
    using DeliveryPlan = std::function<QList<DeliveryRecord>(const MessageSummary &message)>;
    void setDeliveryPlan(DeliveryPlan plan);

    // Tags: the mailboxes (records/TagName.h). Every tag that some message has, in name order,
    // with how many messages have it and how many of those are unread.
    struct TagCount
    {
        QString name;
        qint64 total = 0;
        qint64 unread = 0;
        bool operator==(const TagCount &o) const
        {
            return name == o.name && total == o.total && unread == o.unread;
        }
    };
    virtual QList<TagCount> tagCounts() const = 0;
    // The names alone, in the same order: cheap enough for every message list.
    virtual QStringList tagNames() const = 0;
    // The tags of each of these messages (none for one that is gone), in name order.
    virtual QHash<qint64, QStringList> tagsOf(const QList<qint64> &ids) const = 0;
    // The edits return once they are durable, and name only valid tags (tag_name::problem).
    // setTags gives these messages exactly `tags` (Mailpit's PUT /api/v1/tags; none: untags).
    virtual void setTags(const QList<qint64> &ids, const QStringList &tags) = 0;
    virtual void addTags(const QList<qint64> &ids, const QStringList &tags) = 0;
    // On every message; into a tag that exists already, the two become one.
    virtual void renameTag(const QString &from, const QString &to) = 0;
    virtual void deleteTag(const QString &name) = 0;
    // What tags new messages as they are saved (by default X-Tags and plus-addressing; null:
    // nothing). Safe from any thread.
    void setTagRules(std::shared_ptr<const TagRules> rules);

    virtual void setRead(const QList<qint64> &ids, bool read) = 0;
    virtual void removeMessages(const QList<qint64> &ids) = 0;
    // Removes every message and every session that has ended.
    virtual void clear() = 0;

    void setRetention(Retention retention);
    Retention retention() const;

Q_SIGNALS:
    void messageStored(const MessageSummary &summary);
    void messagesRemoved(const QList<qint64> &ids);
    void readChanged(const QList<qint64> &ids, bool read);
    void cleared();
    void deliverySaved(const DeliveryRecord &delivery);
    void deliveriesPlanned(const QList<DeliveryRecord> &deliveries);
    // The tags of these messages changed (set, added, renamed or deleted a tag).
    void tagsChanged(const QList<qint64> &ids);

protected:
    // Runs `done` in the thread of `context`, unless `context` is gone by then.
    static void answer(QObject *context, const SaveCallback &done, bool stored);
    QList<DeliveryRecord> plannedDeliveries(const MessageSummary &message) const;
    // After messageStored: each planned delivery, then all of them.
    void announcePlanned(const QList<DeliveryRecord> &deliveries);
    // The message's own tags and those the tag rules give it, in name order; needs its headline.
    QStringList tagsOnArrival(const MessageRecord &message) const;

private:
    std::atomic<qint64> m_maxMessages{0};
    std::atomic<qint64> m_maxSessions{0};
    mutable QMutex m_planLock;
    DeliveryPlan m_plan;
    mutable QMutex m_tagRulesLock;
    std::shared_ptr<const TagRules> m_tagRules = std::make_shared<const TagRules>();
};
