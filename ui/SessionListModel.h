#pragma once

#include "BatchedTableModel.h"
#include "records/Records.h"

#include <QHash>
#include <QTimer>

#include <optional>
#include <vector>

// SMTP sessions as a table, sorted by the model itself, fed live by the server's signals. New
// sessions and changes are applied in batches like the message list. The transcripts of
// sessions that are active in this run are kept here as they grow; ended sessions' transcripts
// live in the store.
class SessionListModel : public BatchedTableModel<SessionRecord>
{
    Q_OBJECT
public:
    enum Column
    {
        Peer,
        Helo,
        Started,
        Duration,
        Messages,
        Security,
        State,
        ColumnCount
    };
    enum Role
    {
        IdRole = Qt::UserRole + 1,
        ActiveRole
    };

    explicit SessionListModel(QObject *parent = nullptr);

    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    // Server events (queued from the server thread).
    void sessionStarted(const SessionRecord &session);
    void appendTranscript(qint64 sessionId, const Transcript &entries);
    void sessionEnded(const SessionRecord &session);
    void messageStored(qint64 sessionId);

    // Sessions from the store (the initial load); known ids are skipped.
    void insertNow(const QList<SessionRecord> &sessions);
    void flushPending() override;
    // The store removed every session that has ended.
    void removeEnded();

    const SessionRecord &sessionAt(int row) const;
    // The whole transcript so far of a session active in this run.
    std::optional<Transcript> liveTranscript(qint64 sessionId) const;

Q_SIGNALS:
    // Entries added to the transcript of `sessionId`, as they arrive.
    void transcriptAppended(qint64 sessionId, const Transcript &entries);
    void sessionFinished(qint64 sessionId);

protected:
    int compare(const SessionRecord &a, const SessionRecord &b, int column) const override;

private:
    void refreshDurations();
    SessionRecord *findPending(qint64 id);

    std::vector<SessionRecord> m_pending; // rows keep no transcripts
    QHash<qint64, Transcript> m_live;
    QTimer m_durationTimer; // active sessions' durations tick
    // The time active sessions' durations are sorted by: one instant for a whole sort, or the
    // order would contradict itself as the clock moves.
    qint64 m_sortNowMs;
};
