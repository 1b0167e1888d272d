#pragma once

#include "store/MessageStore.h"

#include <QDeadlineTimer>
#include <QMap>
#include <QMutex>
#include <QWaitCondition>
#include <deque>
#include <memory>

class QLockFile;
class SqliteCheckpointer;
class QSqlDatabase;
class QThread;

// SQLite through QtSql: one writer thread drains every pending save into one transaction
// (group commit) and only then acknowledges them; queries use a connection of the calling
// thread, which WAL lets read while the writer writes.
class SqliteStore final : public MessageStore
{
    Q_OBJECT
public:
    enum class Sync { Normal, Full }; // Normal survives a process crash, Full a power loss

    explicit SqliteStore(QString path, Sync sync = Sync::Normal, QObject *parent = nullptr);
    ~SqliteStore() override;

    // Creates or migrates the schema and starts the writer. False with a reason on failure.
    bool open(QString *error);
    QString path() const { return m_path; }

    qint64 allocateMessageId() override { return ++m_lastMessageId; }
    qint64 allocateSessionId() override { return ++m_lastSessionId; }

    void saveMessage(const MessageRecord &message, QObject *context, SaveCallback done) override;
    void saveSession(const SessionRecord &session) override;
    void flush() override;

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

    static constexpr int kSchemaVersion = 5;

private:
    struct Writer;
    struct WriteJob
    {
        std::function<bool(Writer &)> write;      // runs inside the batch's transaction
        std::function<void(bool committed)> done; // runs after the commit
    };
    struct Batch
    {
        std::deque<WriteJob> jobs;
        QMap<qint64, SessionRecord> sessions;
        qint64 count = 0; // saves handed over, coalesced sessions included
    };

    void enqueue(WriteJob job);
    void enqueueTagEdit(const QList<qint64> &ids, const QStringList &tags, bool replace);
    // A rename (to set) or a deletion (to null) of a tag on every message that has it.
    void enqueueTagChange(const QString &name, const std::optional<QString> &renamedTo);
    void writerLoop();
    void commitBatch(Writer &writer, Batch &batch);
    QList<qint64> applyRetention(Writer &writer);
    bool sessionsDue() const; // under m_queueLock
    bool writeDue() const;    // under m_queueLock
    QSqlDatabase connection() const;
    QSqlDatabase openConnection(const QString &name) const;

    const QString m_path;
    const Sync m_sync;
    const QString m_connectionPrefix;
    std::unique_ptr<QLockFile> m_lock; // one process per database file
    std::unique_ptr<SqliteCheckpointer> m_checkpointer;
    std::unique_ptr<QThread> m_writer;
    QMutex m_queueLock;
    QWaitCondition m_workArrived;    // the writer waits here
    QWaitCondition m_batchCommitted; // flush() waits here
    std::deque<WriteJob> m_queue;
    QMap<qint64, SessionRecord> m_sessions; // pending session saves, the newest per id
    QDeadlineTimer m_sessionsDue;           // when the oldest of m_sessions must be written
    int m_flushWaiters = 0;                 // flush() calls waiting: no gathering, no lingering
    bool m_gathering = false;               // the writer is waiting for a batch to fill
    qint64 m_sessionSaves = 0;              // saveSession() calls behind m_sessions
    qint64 m_enqueued = 0;  // jobs handed over, under m_queueLock
    qint64 m_completed = 0; // jobs committed (or failed), under m_queueLock
    bool m_stopping = false;
    mutable QMutex m_connectionsLock;
    mutable QStringList m_connectionNames;
    std::atomic<qint64> m_lastMessageId{0};
    std::atomic<qint64> m_lastSessionId{0};
    std::atomic<qint64> m_lastDeliveryId{0};
};
