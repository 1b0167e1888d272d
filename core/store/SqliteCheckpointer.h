#pragma once

#include <QMutex>
#include <QWaitCondition>
#include <QtGlobal>

#include <functional>
#include <memory>

class QSqlDatabase;
class QThread;

// When the WAL of a database is copied back (checkpointed), counted in bytes of pages.
struct CheckpointLimits
{
    qint64 requestBytes =
        16 << 20; // a commit asks for a checkpoint each time the WAL grew this much
    // Past this (a writer that outruns the checkpoints for long), the writer checkpoints itself
    // and waits, so that the WAL stays bounded.
    qint64 maxBytes = 1 << 30;
};

// Copies the WAL back into the database file (a checkpoint) in a thread of its own. Run by the
// writer inside a commit, as SQLite does by default, a checkpoint stalled every session waiting
// for a 250: up to 124 ms in W1R and 190 ms in W3 each time the WAL reached its limit.
class SqliteCheckpointer
{
public:
    // `connection` opens the checkpointer's own connection; it is called in its thread.
    explicit SqliteCheckpointer(std::function<QSqlDatabase()> connection,
                                CheckpointLimits limits = {});
    ~SqliteCheckpointer(); // a checkpoint under way is finished first

    // Hooks the writer's connection: its commits request checkpoints (see CheckpointLimits). This
    // replaces SQLite's automatic checkpoints on that connection.
    void watchCommits(const QSqlDatabase &writer);
    void request(); // thread-safe; requests made during a checkpoint add one more

private:
    static int onCommit(void *self, struct sqlite3 *db, const char *name, int walPages);
    void run(const std::function<QSqlDatabase()> &connection);

    const CheckpointLimits m_limits;
    QMutex m_lock;
    QWaitCondition m_requested;
    bool m_pending = false;
    bool m_stopping = false;
    // The writer's thread only:
    qint64 m_pageBytes = 0;   // the database's page size
    qint64 m_requestedAt = 0; // WAL bytes at the last request
    std::unique_ptr<QThread> m_thread;
};
