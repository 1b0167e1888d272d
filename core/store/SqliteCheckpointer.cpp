#include "SqliteCheckpointer.h"

#include "SqliteHandle.h"

#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcCheckpoint, "smtpeek.store.checkpoint")

SqliteCheckpointer::SqliteCheckpointer(std::function<QSqlDatabase()> connection,
                                       CheckpointLimits limits)
    : m_limits(limits)
{
    m_thread.reset(QThread::create([this, connection] { run(connection); }));
    m_thread->setObjectName(QStringLiteral("smtpeek-checkpoint"));
    m_thread->start();
}

SqliteCheckpointer::~SqliteCheckpointer()
{
    {
        QMutexLocker locker(&m_lock);
        m_stopping = true;
        m_requested.wakeOne();
    }
    m_thread->wait();
}

void SqliteCheckpointer::watchCommits(const QSqlDatabase &writer)
{
    sqlite3 *db = sqliteHandle(writer);
    QSqlQuery pageSize(writer);
    if (!db || !pageSize.exec(QStringLiteral("PRAGMA page_size")) || !pageSize.next())
        return;
    m_pageBytes = pageSize.value(0).toLongLong();
    sqlite3_wal_hook(db, &SqliteCheckpointer::onCommit, this);
}

void SqliteCheckpointer::request()
{
    QMutexLocker locker(&m_lock);
    if (!std::exchange(m_pending, true))
        m_requested.wakeOne();
}

int SqliteCheckpointer::onCommit(void *self, sqlite3 *db, const char *name, int walPages)
{
    auto *checkpointer = static_cast<SqliteCheckpointer *>(self);
    const qint64 walBytes = walPages * checkpointer->m_pageBytes;
    if (walBytes < checkpointer->m_requestedAt)
        checkpointer->m_requestedAt = 0; // the WAL started over
    if (walBytes >= checkpointer->m_limits.maxBytes) {
        qCInfo(lcCheckpoint) << "the WAL has" << walBytes << "bytes: the writer checkpoints";
        sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
    } else if (walBytes >= checkpointer->m_requestedAt + checkpointer->m_limits.requestBytes) {
        // Under steady load the WAL cannot start over, and a checkpoint after every commit
        // would copy the same hot pages and sync the file again and again: one per
        // requestBytes of growth.
        checkpointer->m_requestedAt = walBytes;
        checkpointer->request();
    }
    return SQLITE_OK;
}

void SqliteCheckpointer::run(const std::function<QSqlDatabase()> &connection)
{
    QSqlDatabase db = connection();
    while (true) {
        {
            QMutexLocker locker(&m_lock);
            while (!m_pending && !m_stopping)
                m_requested.wait(&m_lock);
            if (m_stopping)
                return; // closing the last connection checkpoints anyway
            m_pending = false;
        }
        // PASSIVE: copies what no reader still needs and never makes the writer wait.
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")))
            qCWarning(lcCheckpoint) << "checkpoint failed:" << query.lastError().text();
    }
}
