#pragma once

#include "store/Records.h"

#include <QAbstractTableModel>
#include <QTimer>

#include <vector>

// The captured messages as a table of summaries, in id order. New mail is queued and inserted
// in batches (one beginInsertRows per batch, at most one batch per interval), so a flood of
// mail costs the GUI thread a few short bursts per second instead of one update per message.
// Rows hold only what the list shows, so 100,000 messages stay cheap.
class MessageListModel : public QAbstractTableModel
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
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        SessionIdRole,
        ReadRole
    };

    explicit MessageListModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Queues a message that arrived; it appears within batchInterval().
    void enqueue(const MessageSummary &summary);
    // Inserts messages at once (the initial load from the store). Known ids are skipped.
    void insertNow(const QList<MessageSummary> &summaries);
    void flushPending();
    void setBatchInterval(int ms) { m_flushTimer.setInterval(ms); }
    int batchInterval() const { return m_flushTimer.interval(); }

    void removeIds(const QList<qint64> &ids);
    void setRead(const QList<qint64> &ids, bool read);
    // Forgets every message, queued ones included.
    void clear();

    int rowOfId(qint64 id) const; // -1 when unknown
    qint64 idAt(int row) const;
    qint64 sessionIdAt(int row) const;
    bool isRead(int row) const;
    QString subjectAt(int row) const;
    int unreadCount() const { return m_unread; }

    // For the sort/filter proxy: direct comparisons without QVariant round trips.
    bool lessThan(int leftRow, int rightRow, int column) const;
    bool matches(int row, const QString &needle) const;

Q_SIGNALS:
    void unreadCountChanged(int unread);
    // After each batch of new mail (not after the initial load).
    void messagesArrived(int count, const QString &lastSubject);

private:
    struct Row
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
    };
    static Row toRow(const MessageSummary &summary);
    void insertSorted(std::vector<Row> rows);
    void setUnread(int unread);

    std::vector<Row> m_rows; // ascending id
    QList<MessageSummary> m_pending;
    QTimer m_flushTimer;
    int m_unread = 0;
};
