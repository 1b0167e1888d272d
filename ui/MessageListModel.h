#pragma once

#include "BatchedTableModel.h"
#include "records/Records.h"

// What the message list shows of one message, and no more, so 100,000 rows stay cheap.
struct MessageRow
{
    qint64 id;
    qint64 sessionId;
    qint64 receivedMs;
    qint64 size;
    QString from;
    QString to;
    QString subject;
    qint32 warningCount;
    bool hasAttachments;
    bool read;
    RelayMark relay;  // how its latest delivery upstream went
    QStringList tags; // its mailboxes, in name order
};

// The captured messages as a table of summaries, sorted by the model itself (see
// BatchedTableModel). New mail is queued and inserted in batches (at most one batch per
// interval), so a flood of mail costs the GUI thread a few short bursts per second instead of
// one update per message.
class MessageListModel : public BatchedTableModel<MessageRow>
{
    Q_OBJECT
public:
    enum Column
    {
        Received,
        From,
        To,
        Subject,
        Size,
        Attachment,
        Warnings,
        Relay,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        SessionIdRole,
        ReadRole,
        TagsRole // QStringList
    };

    explicit MessageListModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Queues a message that arrived; it appears within batchInterval().
    void enqueue(const MessageSummary &summary);
    // Inserts messages at once (the initial load from the store). Known ids are skipped.
    void insertNow(const QList<MessageSummary> &summaries);
    void flushPending() override;

    void removeIds(const QList<qint64> &ids);
    void setRead(const QList<qint64> &ids, bool read);
    void setRelay(qint64 id, RelayMark mark);
    void setTags(const QHash<qint64, QStringList> &tags);
    // Forgets every message, queued ones included.
    void clear();

    qint64 sessionIdAt(int row) const;
    bool isRead(int row) const;
    QString subjectAt(int row) const;
    int unreadCount() const { return m_unread; }

    // For the filter proxy: a direct test without QVariant round trips.
    bool matches(int row, const QString &needle) const;
    bool hasTag(int row, const QString &tag) const;

Q_SIGNALS:
    void unreadCountChanged(int unread);
    // After each batch of new mail (not after the initial load).
    void messagesArrived(int count, const QString &lastSubject);

protected:
    int compare(const MessageRow &a, const MessageRow &b, int column) const override;
    bool sortsByText(int column) const override;
    QStringView sortText(const MessageRow &row, int column) const override;

private:
    static MessageRow toRow(const MessageSummary &summary);
    void setUnread(int unread);

    QList<MessageSummary> m_pending;
    int m_unread = 0;
};
