#include "SqliteStore.h"

#include "SqliteBlobs.h"
#include "SqliteCheckpointer.h"
#include "SqliteDeliveries.h"
#include "SqliteHandle.h"
#include "SqliteQueries.h"
#include "SqliteSearchTable.h"
#include "SqliteStatement.h"
#include "SqliteTags.h"
#include "mime/Headline.h"

#include <QDeadlineTimer>
#include <QLockFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

#include <algorithm>

using namespace sqlite_store;

namespace {

const char kDeliveriesTable[] =
    "CREATE TABLE IF NOT EXISTS deliveries (id INTEGER PRIMARY KEY, message_id INTEGER NOT NULL,"
    " created INTEGER, kind TEXT, status TEXT, mail_from BLOB, recipients BLOB,"
    " next_attempt INTEGER, attempts BLOB)";

const char *const kSchema[] = {
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS sessions (id INTEGER PRIMARY KEY, peer_address TEXT,"
    " peer_port INTEGER, local_port INTEGER, helo BLOB, started INTEGER, ended INTEGER,"
    " tls_protocol TEXT, tls_cipher TEXT, auth_user TEXT, end_state TEXT, warnings BLOB,"
    " message_count INTEGER, transcript BLOB)",
    "CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, session_id INTEGER,"
    " received INTEGER, size INTEGER, mail_from BLOB, rcpt_to BLOB, body TEXT,"
    " smtputf8 INTEGER, declared_size INTEGER, auth_param BLOB, helo BLOB, peer_address TEXT,"
    " peer_port INTEGER, tls_protocol TEXT, tls_cipher TEXT, auth_user TEXT, warnings BLOB,"
    " transcript_first INTEGER, transcript_last INTEGER, h_from TEXT, h_to TEXT,"
    " h_subject TEXT, h_message_id TEXT, h_date INTEGER, has_attachments INTEGER,"
    " read INTEGER NOT NULL DEFAULT 0, relay INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE IF NOT EXISTS message_raw (id INTEGER PRIMARY KEY, raw BLOB NOT NULL)",
    "CREATE INDEX IF NOT EXISTS messages_session ON messages(session_id)",
    // Pages are found by position on this narrow index, a few bytes a message: OFFSET over the
    // table itself walks its wide rows, ~30 ms to reach the oldest of 100,000.
    "CREATE INDEX IF NOT EXISTS messages_by_id ON messages(id)",
    // The mailbox counts that every list reports, kept by the writer (inserts) and by triggers:
    // counting unread messages scanned the table (~4 ms for 100,000), and lists asked after
    // every change of the store.
    "CREATE TABLE IF NOT EXISTS message_counts (id INTEGER PRIMARY KEY CHECK (id = 1),"
    " total INTEGER NOT NULL, unread INTEGER NOT NULL)",
    "CREATE TRIGGER IF NOT EXISTS message_counts_read AFTER UPDATE OF read ON messages BEGIN"
    " UPDATE message_counts SET unread = unread + (new.read = 0) - (old.read = 0); END",
    "CREATE TRIGGER IF NOT EXISTS message_counts_delete AFTER DELETE ON messages BEGIN"
    " UPDATE message_counts SET total = total - 1, unread = unread - (old.read = 0); END",
    kDeliveriesTable,
    // A message's deliveries go with it, however it goes (delete, clear, retention).
    "CREATE TRIGGER IF NOT EXISTS deliveries_delete AFTER DELETE ON messages BEGIN"
    " DELETE FROM deliveries WHERE message_id = old.id; END",
    "CREATE INDEX IF NOT EXISTS deliveries_message ON deliveries(message_id)",
    // Schema 5: tags (mailboxes), compared NOCASE as tag_name::same() compares. The primary
    // key lists a message's tags; the index a tag's messages (tag: searches, counts, IMAP).
    "CREATE TABLE IF NOT EXISTS message_tags (message_id INTEGER NOT NULL,"
    " tag TEXT NOT NULL COLLATE NOCASE, PRIMARY KEY (message_id, tag)) WITHOUT ROWID",
    "CREATE INDEX IF NOT EXISTS message_tags_by_tag ON message_tags(tag, message_id)",
    "CREATE TRIGGER IF NOT EXISTS message_tags_delete AFTER DELETE ON messages BEGIN"
    " DELETE FROM message_tags WHERE message_id = old.id; END",
};

// Schema 3 had no deliveries; its messages lack the relay mark the list shows.
const char *const kMigrationFromSchema3[] = {
    "ALTER TABLE messages ADD COLUMN relay INTEGER NOT NULL DEFAULT 0",
};

// Schema 1 had neither message_counts nor message_search; both are derived from `messages`.
// Its index of unread messages served only the count.
const char *const kMigrationFromSchema1[] = {
    "DELETE FROM message_counts",
    ("INSERT INTO message_counts (id, total, unread) VALUES (1, (SELECT COUNT(*) FROM messages),"
     " (SELECT COUNT(*) FROM messages WHERE read = 0))"),
    "DROP INDEX IF EXISTS messages_unread",
};

// Schema 2 kept the counts and the search table by triggers on insert too; the writer now adds
// both itself (see commitBatch).
const char *const kMigrationFromSchema2[] = {
    "DROP TRIGGER IF EXISTS message_counts_insert",
    "DROP TRIGGER IF EXISTS message_search_insert",
};

QStringList statements(const char *const *first, const char *const *last)
{
    QStringList list;
    for (const char *const *statement = first; statement != last; ++statement)
        list.append(QLatin1String(*statement));
    return list;
}

// All or nothing; false with the failing statement's error.
bool runInTransaction(QSqlDatabase &db, const QStringList &sql, QString *error)
{
    db.transaction();
    for (const QString &statement : sql) {
        QSqlQuery q(db);
        if (!q.exec(statement)) {
            *error = q.lastError().text();
            db.rollback();
            return false;
        }
    }
    if (db.commit())
        return true;
    *error = db.lastError().text();
    db.rollback();
    return false;
}

} // namespace

// The writer thread's connection and its statements, prepared once: re-parsing SQL for every
// insert cost more than the inserts themselves.
struct SqliteStore::Writer
{
    explicit Writer(QSqlDatabase database)
        : db(database), handle(sqliteHandle(db)),
          insertMessage(handle, SqliteStatement::insertSql(
                                    QStringLiteral("INSERT INTO messages"),
                                    "id session_id received size mail_from rcpt_to body smtputf8"
                                    " declared_size auth_param helo peer_address peer_port"
                                    " tls_protocol tls_cipher auth_user warnings transcript_first"
                                    " transcript_last h_from h_to h_subject h_message_id h_date"
                                    " has_attachments read")),
          insertRaw(handle, SqliteStatement::insertSql(QStringLiteral("INSERT INTO message_raw"),
                                                       "id raw")),
          insertSession(handle, SqliteStatement::insertSql(
                                    QStringLiteral("INSERT OR REPLACE INTO sessions"),
                                    "id peer_address peer_port local_port helo started ended"
                                    " tls_protocol tls_cipher auth_user end_state warnings"
                                    " message_count transcript")),
          insertSearchRow(handle, searchRowInsertSql()),
          insertTag(handle, QStringLiteral("INSERT OR IGNORE INTO message_tags (message_id, tag)"
                                           " VALUES (?, ?)")),
          countMessage(handle, QStringLiteral("UPDATE message_counts SET total = total + 1,"
                                              " unread = unread + ?")),
          saveMeta(handle, SqliteStatement::insertSql(QStringLiteral("INSERT OR REPLACE INTO meta"),
                                                      "key value")),
          insertDelivery(handle, QString::fromLatin1(kInsertDeliverySql)),
          markRelay(handle, QString::fromLatin1(kMarkRelaySql)),
          // Prepared rather than QSqlDatabase::transaction()/commit(), which parse their SQL
          // text again for every batch.
          begin(handle, QStringLiteral("BEGIN")), commit(handle, QStringLiteral("COMMIT")),
          rollbackAll(handle, QStringLiteral("ROLLBACK")),
          savepoint(handle, QStringLiteral("SAVEPOINT job")),
          release(handle, QStringLiteral("RELEASE job")),
          rollback(handle, QStringLiteral("ROLLBACK TO job"))
    {}

    // Runs one job so that a failure undoes only that job's statements.
    bool runAtomically(const std::function<bool(Writer &)> &write)
    {
        savepoint.run();
        const bool ok = write(*this);
        if (!ok)
            rollback.run();
        release.run();
        return ok;
    }

    bool writeMessage(const MessageRecord &m)
    {
        return insertMessage.run(
                   m.id, m.sessionId, m.receivedMs, qint64(m.raw.size()), m.envelope.mailFrom,
                   pack(m.envelope.rcptTo), envelopeBodyName(m.envelope.body), m.envelope.smtpUtf8,
                   m.envelope.declaredSize, m.envelope.authParameter, m.helo, m.peerAddress,
                   m.peerPort, m.tls.protocol, m.tls.cipher, m.authUser, pack(m.warnings),
                   m.transcriptFirst, m.transcriptLast, m.headline.from, m.headline.to,
                   m.headline.subject, m.headline.messageId, m.headline.dateMs,
                   m.headline.hasAttachments, m.read) &&
               // A null QByteArray binds as SQL NULL; an empty message is still a message.
               insertRaw.run(m.id, m.raw.isNull() ? QByteArray("") : m.raw) &&
               addSearchRow(insertSearchRow, m) && countMessage.run(!m.read) &&
               writeTags(m.id, m.tags);
    }

    bool writeTags(qint64 id, const QStringList &tags)
    {
        return std::all_of(tags.cbegin(), tags.cend(),
                           [this, id](const QString &tag) { return insertTag.run(id, tag); });
    }

    bool writeSession(const SessionRecord &s)
    {
        return insertSession.run(s.id, s.peerAddress, s.peerPort, s.localPort, s.helo, s.startedMs,
                                 s.endedMs, s.tls.protocol, s.tls.cipher, s.authUser,
                                 sessionEndName(s.end), pack(s.warnings), s.messageCount,
                                 pack(s.transcript));
    }

    // Inserts or replaces the delivery and marks its message (true: nothing failed).
    bool writeDelivery(const DeliveryRecord &d)
    {
        return insertDelivery.run(d.id, d.messageId, d.createdMs, deliveryKindName(d.kind),
                                  deliveryStatusName(d.status),
                                  d.mailFrom.isNull() ? QByteArray("") : d.mailFrom,
                                  pack(d.recipients), d.nextAttemptMs, packedAttempts(d.attempts),
                                  d.messageId) &&
               markRelay.run(int(relayMarkOf(d.status)), d.messageId);
    }

    bool writeMeta(const QString &key, qint64 value)
    {
        return saveMeta.run(key, QString::number(value));
    }

    // Set by a job that deletes rows: only then can MAX(id) fall below the ids already handed
    // out, so only then must the batch record them in `meta` (ids are never reused).
    bool rowsRemoved = false;

    QSqlDatabase db;
    sqlite3 *handle;
    SqliteStatement insertMessage;
    SqliteStatement insertRaw;
    SqliteStatement insertSession;
    SqliteStatement insertSearchRow;
    SqliteStatement insertTag;
    SqliteStatement countMessage;
    SqliteStatement saveMeta;
    SqliteStatement insertDelivery;
    SqliteStatement markRelay;
    SqliteStatement begin;
    SqliteStatement commit;
    SqliteStatement rollbackAll;
    SqliteStatement savepoint;
    SqliteStatement release;
    SqliteStatement rollback;
};

namespace {
std::atomic<int> g_storeSerial{0};

} // namespace

SqliteStore::SqliteStore(QString path, Sync sync, QObject *parent)
    : MessageStore(parent), m_path(std::move(path)), m_sync(sync),
      m_connectionPrefix(QStringLiteral("smtpeek-store-%1-").arg(++g_storeSerial))
{}

SqliteStore::~SqliteStore()
{
    if (m_writer) {
        {
            QMutexLocker locker(&m_queueLock);
            m_stopping = true;
            m_workArrived.wakeOne();
        }
        m_writer->wait();
    }
    m_checkpointer.reset();
    QMutexLocker locker(&m_connectionsLock);
    for (const QString &name : std::as_const(m_connectionNames))
        QSqlDatabase::removeDatabase(name);
}

QSqlDatabase SqliteStore::openConnection(const QString &name) const
{
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    if (!db.open())
        return db;
    if (!addSearchFunctions(db)) {
        qCWarning(lcStore) << "cannot add the search functions to" << name;
        db.close();
        return db;
    }
    // New files get 16 KB pages (an existing file keeps its own): a 200 KB message then fills 13
    // pages of the WAL rather than 50, each written with two calls, and three 2 KB messages
    // share a page where 4 KB held one. W3 stored 1,048-1,235 messages a second against
    // 799-975, W1 and W1R the same (bench/README.md). Set before WAL mode, which writes the file.
    exec(db, QStringLiteral("PRAGMA page_size=16384"));
    exec(db, QStringLiteral("PRAGMA journal_mode=WAL"));
    exec(db, m_sync == Sync::Full ? QStringLiteral("PRAGMA synchronous=FULL")
                                  : QStringLiteral("PRAGMA synchronous=NORMAL"));
    // Searches scan message_search, whose pages a 2 MB page cache (the default) copies in anew
    // for every scan; read through a memory map, they are not copied at all (a scan of 100,000
    // messages: 22 ms, then 9). SQLite caps the map at its own limit, 2 GB in Debian's build.
    exec(db, QStringLiteral("PRAGMA mmap_size=2147418112"));
    // The journals of savepoints (a batch written again job by job) and of statements that fire
    // triggers (read flags, deletions) stay in memory: spilled to temporary files, they cost
    // seven more writes a message and made saves some 60% dearer, when every insert fired them.
    exec(db, QStringLiteral("PRAGMA temp_store=MEMORY"));
    // A burst can grow the WAL far beyond this while checkpoints run beside the writer; when it
    // starts over, the file is cut back.
    exec(db, QStringLiteral("PRAGMA journal_size_limit=67108864"));
    return db;
}

QSqlDatabase SqliteStore::connection() const
{
    // One connection per thread: QtSql connections may only be used by the thread that made them.
    const QString name =
        m_connectionPrefix + QString::number(quintptr(QThread::currentThreadId()), 16);
    if (QSqlDatabase::contains(name)) {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isValid())
            return db;
        QSqlDatabase::removeDatabase(name); // left behind by an ended thread with the same id
    }
    QMutexLocker locker(&m_connectionsLock);
    if (!m_connectionNames.contains(name))
        m_connectionNames.append(name);
    return openConnection(name);
}

bool SqliteStore::open(QString *error)
{
    // Ids are handed out in memory, so a second process on the same file would reuse them.
    m_lock = std::make_unique<QLockFile>(m_path + QStringLiteral(".lock"));
    m_lock->setStaleLockTime(0); // a lock whose process is gone is removed, not waited for
    if (!m_lock->tryLock(0)) {
        qint64 pid = 0;
        QString host;
        QString app;
        m_lock->getLockInfo(&pid, &host, &app);
        *error = QStringLiteral("%1 is in use by another smtpeek (process %2); use --db for a "
                                "different file or --memory")
                     .arg(m_path)
                     .arg(pid);
        return false;
    }
    QSqlDatabase db = connection();
    if (!db.isOpen()) {
        *error = QStringLiteral("cannot open %1: %2").arg(m_path, db.lastError().text());
        return false;
    }
    // A newer file is refused before anything is added to it: its own version may have
    // dropped or changed what this one would create.
    const bool hasMeta =
        scalar(db, QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE name = 'meta'")) > 0;
    const qint64 version =
        hasMeta ? scalar(db, QStringLiteral("SELECT value FROM meta WHERE key = 'schema_version'"))
                : 0;
    if (version > kSchemaVersion) {
        *error = QStringLiteral("%1 was written by a newer smtpeek (schema %2, this one knows %3)")
                     .arg(m_path)
                     .arg(version)
                     .arg(kSchemaVersion);
        return false;
    }
    for (const QString &statement :
         statements(std::begin(kSchema), std::end(kSchema)) + searchTableSchema()) {
        QSqlQuery q(db);
        if (!q.exec(statement)) {
            *error = QStringLiteral("cannot create the schema in %1: %2")
                         .arg(m_path, q.lastError().text());
            return false;
        }
    }
    // Later versions add their migrations here, keyed on `version` (0 for a new file).
    QStringList upgrade;
    if (version < 2) {
        upgrade = searchTableRefill() +
                  statements(std::begin(kMigrationFromSchema1), std::end(kMigrationFromSchema1));
    }
    if (version < 3)
        upgrade += statements(std::begin(kMigrationFromSchema2), std::end(kMigrationFromSchema2));
    // Asked of the table rather than of the version, so that the upgrade never adds it twice.
    const bool hasRelayMark =
        scalar(db, QStringLiteral("SELECT COUNT(*) FROM pragma_table_info('messages')"
                                  " WHERE name = 'relay'")) > 0;
    if (!hasRelayMark)
        upgrade += statements(std::begin(kMigrationFromSchema3), std::end(kMigrationFromSchema3));
    upgrade.append(QStringLiteral("INSERT OR REPLACE INTO meta (key, value) VALUES "
                                  "('schema_version', '%1')")
                       .arg(kSchemaVersion));
    QString upgradeError;
    if (!runInTransaction(db, upgrade, &upgradeError)) {
        *error = QStringLiteral("cannot bring the schema of %1 up to version %2: %3")
                     .arg(m_path)
                     .arg(kSchemaVersion)
                     .arg(upgradeError);
        return false;
    }
    m_lastMessageId = std::max(
        scalar(db, QStringLiteral("SELECT MAX(id) FROM messages")),
        scalar(db, QStringLiteral("SELECT value FROM meta WHERE key = 'last_message_id'")));
    m_lastSessionId = std::max(
        scalar(db, QStringLiteral("SELECT MAX(id) FROM sessions")),
        scalar(db, QStringLiteral("SELECT value FROM meta WHERE key = 'last_session_id'")));
    m_lastDeliveryId = std::max(
        scalar(db, QStringLiteral("SELECT MAX(id) FROM deliveries")),
        scalar(db, QStringLiteral("SELECT value FROM meta WHERE key = 'last_delivery_id'")));
    // Sessions that were open when a previous run died can never end now.
    exec(db,
         QStringLiteral("UPDATE sessions SET end_state = 'dropped' WHERE end_state = 'active'"));

    m_checkpointer = std::make_unique<SqliteCheckpointer>([this] { return connection(); });
    m_writer.reset(QThread::create([this] { writerLoop(); }));
    m_writer->setObjectName(QStringLiteral("smtpeek-store"));
    m_writer->start();
    return true;
}

void SqliteStore::enqueue(WriteJob job)
{
    QMutexLocker locker(&m_queueLock);
    ++m_enqueued; // flush() waits for this job from now on
    m_queue.push_back(std::move(job));
    if (!m_gathering)
        m_workArrived.wakeOne();
}

void SqliteStore::flush()
{
    QMutexLocker locker(&m_queueLock);
    const qint64 target = m_enqueued;
    ++m_flushWaiters;
    m_workArrived.wakeOne();
    while (m_completed < target && m_writer && m_writer->isRunning())
        m_batchCommitted.wait(&m_queueLock);
    --m_flushWaiters;
}

bool SqliteStore::sessionsDue() const
{
    return !m_sessions.isEmpty() &&
           (m_stopping || m_flushWaiters > 0 || m_sessionsDue.hasExpired());
}

bool SqliteStore::writeDue() const
{
    return m_stopping || !m_queue.empty() || sessionsDue();
}

void SqliteStore::writerLoop()
{
    // Besides those that a growing WAL asks for, a checkpoint follows a quiet moment, so that
    // readers find everything in the database file.
    constexpr int kIdleBeforeCheckpointMs = 500;
    // Under load a commit waits until this long after the previous one, so that it carries
    // several messages: every commit rewrites the same few pages and takes SQLite's file locks,
    // however many messages it carries. An idle store commits at once. 1 ms paid off while
    // checkpoints and wake-ups made commits dear; since then 300 µs measured 4-8% more W1R
    // messages per second (100 µs no better, bench/README.md).
    constexpr std::chrono::microseconds kCommitInterval{300};
    Writer writer(connection());
    m_checkpointer->watchCommits(writer.db);
    bool checkpointDue = false;
    QDeadlineTimer nextCommit(0);
    while (true) {
        Batch batch;
        {
            QMutexLocker locker(&m_queueLock);
            while (!writeDue()) {
                if (checkpointDue && m_sessions.isEmpty()) {
                    if (!m_workArrived.wait(&m_queueLock, kIdleBeforeCheckpointMs)) {
                        m_checkpointer->request();
                        checkpointDue = false;
                    }
                } else {
                    m_workArrived.wait(&m_queueLock, m_sessions.isEmpty()
                                                         ? QDeadlineTimer(QDeadlineTimer::Forever)
                                                         : m_sessionsDue);
                }
            }
            // Gathering: pushes do not wake the writer until the interval is over.
            m_gathering = true;
            while (!nextCommit.hasExpired() && !m_stopping && m_flushWaiters == 0)
                m_workArrived.wait(&m_queueLock, nextCommit);
            m_gathering = false;
            const bool takeSessions = sessionsDue();
            if (m_queue.empty() && !takeSessions) {
                if (m_stopping)
                    return; // everything handed over is written
                continue;
            }
            batch.jobs.swap(m_queue);
            batch.count = qint64(batch.jobs.size());
            if (takeSessions) {
                batch.sessions.swap(m_sessions);
                batch.count += std::exchange(m_sessionSaves, 0);
            }
        }
        commitBatch(writer, batch);
        nextCommit.setRemainingTime(kCommitInterval);
        checkpointDue = true;
        QMutexLocker locker(&m_queueLock);
        m_completed += batch.count;
        m_batchCommitted.wakeAll();
    }
}

void SqliteStore::commitBatch(Writer &writer, Batch &batch)
{
    // Jobs run straight in the batch's transaction. Within a savepoint (or a statement that
    // fires triggers), SQLite copies each page before its first change into a journal, in
    // pieces of 1 KB: about a third of the writer's work for a 2 KB message (callgrind, W1R).
    // Should a job fail, the batch starts over with each job in a savepoint of its own, so that
    // a failure undoes that job alone.
    std::vector<bool> written(batch.jobs.size(), false);
    QList<qint64> expired;
    bool committed = false;
    for (const bool isolateJobs : {false, true}) {
        writer.begin.run();
        // Several saves of one session in a batch (its start and its end) write the last one.
        for (const SessionRecord &session : std::as_const(batch.sessions))
            writer.writeSession(session);
        bool allWritten = true;
        for (size_t i = 0; i < batch.jobs.size() && (allWritten || isolateJobs); ++i) {
            written[i] = isolateJobs ? writer.runAtomically(batch.jobs[i].write)
                                     : batch.jobs[i].write(writer);
            allWritten = allWritten && written[i];
        }
        if (!allWritten && !isolateJobs) {
            writer.rollbackAll.run();
            continue;
        }
        expired = applyRetention(writer);
        if (std::exchange(writer.rowsRemoved, false)) {
            writer.writeMeta(QStringLiteral("last_message_id"), m_lastMessageId);
            writer.writeMeta(QStringLiteral("last_session_id"), m_lastSessionId);
            writer.writeMeta(QStringLiteral("last_delivery_id"), m_lastDeliveryId);
        }
        committed = writer.commit.run();
        if (!committed)
            writer.rollbackAll.run(); // run() has logged why
        break;
    }
    for (size_t i = 0; i < batch.jobs.size(); ++i) {
        if (batch.jobs[i].done)
            batch.jobs[i].done(committed && written[i]);
    }
    if (committed && !expired.isEmpty())
        Q_EMIT messagesRemoved(expired);
}

QList<qint64> SqliteStore::applyRetention(Writer &writer)
{
    QSqlDatabase &db = writer.db;
    const Retention limits = retention();
    QList<qint64> expired;
    if (limits.maxMessages > 0) {
        QSqlQuery q(db);
        q.prepare(QStringLiteral("SELECT id FROM messages ORDER BY id DESC LIMIT -1 OFFSET ?"));
        q.addBindValue(limits.maxMessages);
        exec(q);
        while (q.next())
            expired.append(q.value(0).toLongLong());
        if (!expired.isEmpty()) {
            const QString ids = idList(expired);
            exec(db, QStringLiteral("DELETE FROM messages WHERE id IN (%1)").arg(ids));
            exec(db, QStringLiteral("DELETE FROM message_raw WHERE id IN (%1)").arg(ids));
            writer.rowsRemoved = true;
        }
    }
    if (limits.maxSessions > 0) {
        QSqlQuery q(db);
        if (q.exec(
                QStringLiteral("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions"
                               " WHERE end_state != 'active' ORDER BY id DESC LIMIT -1 OFFSET %1)")
                    .arg(limits.maxSessions)) &&
            q.numRowsAffected() > 0)
            writer.rowsRemoved = true;
    }
    return expired;
}

void SqliteStore::saveMessage(const MessageRecord &message, QObject *context, SaveCallback done)
{
    // The headline is decoded by the writer, in the job: handing it to a thread pool first cost
    // more in wake-ups than the decode itself (W1R: 212 -> 160 µs of CPU per message).
    auto record = std::make_shared<MessageRecord>(message);
    auto planned = std::make_shared<QList<DeliveryRecord>>();
    enqueue(WriteJob{[this, record, planned](Writer &writer) {
                         record->headline = readHeadline(record->raw);
                         record->tags = tagsOnArrival(*record);
                         if (!writer.writeMessage(*record))
                             return false;
                         *planned = plannedDeliveries(record->summary());
                         for (const DeliveryRecord &delivery : std::as_const(*planned))
                             record->relay = relayMarkOf(delivery.status);
                         return std::all_of(planned->cbegin(), planned->cend(),
                                            [&writer](const DeliveryRecord &delivery) {
                                                return writer.writeDelivery(delivery);
                                            });
                     },
                     [this, record, planned, context, done](bool committed) {
                         if (committed) {
                             Q_EMIT messageStored(record->summary());
                             announcePlanned(*planned);
                         }
                         answer(context, done, committed);
                     }});
}

void SqliteStore::saveSession(const SessionRecord &session)
{
    // A session save acknowledges nobody: it waits until the oldest pending one has waited
    // kSessionLingerMs (flush() does not wait), so that a short session's start and end make
    // one row write, and all the sessions of a busy moment one batch.
    constexpr int kSessionLingerMs = 100;
    QMutexLocker locker(&m_queueLock);
    if (m_sessions.isEmpty()) {
        m_sessionsDue.setRemainingTime(kSessionLingerMs);
        m_workArrived.wakeOne(); // the writer's wait gets the new deadline
    }
    m_sessions.insert(session.id, session);
    ++m_sessionSaves;
    ++m_enqueued;
}

void SqliteStore::saveDelivery(const DeliveryRecord &delivery)
{
    enqueue(WriteJob{[delivery](Writer &writer) { return writer.writeDelivery(delivery); },
                     [this, delivery](bool committed) {
                         if (committed)
                             Q_EMIT deliverySaved(delivery);
                     }});
}

void SqliteStore::setRead(const QList<qint64> &ids, bool read)
{
    enqueue(WriteJob{[ids, read](Writer &writer) {
                         QSqlDatabase &db = writer.db;
                         return exec(
                             db, QStringLiteral("UPDATE messages SET read = %1 WHERE id IN (%2)")
                                     .arg(read ? 1 : 0)
                                     .arg(idList(ids)));
                     },
                     [this, ids, read](bool committed) {
                         if (committed)
                             Q_EMIT readChanged(ids, read);
                     }});
    flush();
}

void SqliteStore::removeMessages(const QList<qint64> &ids)
{
    enqueue(WriteJob{
        [ids](Writer &writer) {
            QSqlDatabase &db = writer.db;
            const QString list = idList(ids);
            writer.rowsRemoved = true;
            return exec(db, QStringLiteral("DELETE FROM messages WHERE id IN (%1)").arg(list)) &&
                   exec(db, QStringLiteral("DELETE FROM message_raw WHERE id IN (%1)").arg(list));
        },
        [this, ids](bool committed) {
            if (committed)
                Q_EMIT messagesRemoved(ids);
        }});
    flush();
}

void SqliteStore::clear()
{
    enqueue(WriteJob{[](Writer &writer) {
                         QSqlDatabase &db = writer.db;
                         writer.rowsRemoved = true;
                         return exec(db, QStringLiteral("DELETE FROM messages")) &&
                                exec(db, QStringLiteral("DELETE FROM message_raw")) &&
                                exec(db, QStringLiteral(
                                             "DELETE FROM sessions WHERE end_state != 'active'"));
                     },
                     [this](bool committed) {
                         if (committed)
                             Q_EMIT cleared();
                     }});
    flush();
}

void SqliteStore::enqueueTagEdit(const QList<qint64> &ids, const QStringList &tags, bool replace)
{
    if (ids.isEmpty())
        return;
    enqueue(WriteJob{
        [ids, tags, replace](Writer &writer) { return writeTags(writer.db, ids, tags, replace); },
        [this, ids](bool committed) {
            if (committed)
                Q_EMIT tagsChanged(ids);
        }});
    flush();
}

void SqliteStore::setTags(const QList<qint64> &ids, const QStringList &tags)
{
    enqueueTagEdit(ids, tags, true);
}

void SqliteStore::addTags(const QList<qint64> &ids, const QStringList &tags)
{
    enqueueTagEdit(ids, tags, false);
}

void SqliteStore::enqueueTagChange(const QString &name, const std::optional<QString> &renamedTo)
{
    auto changed = std::make_shared<QList<qint64>>();
    enqueue(WriteJob{[name, renamedTo, changed](Writer &writer) {
                         return renamedTo
                                    ? writeTagRename(writer.db, name, *renamedTo, changed.get())
                                    : writeTagRemoval(writer.db, name, changed.get());
                     },
                     [this, changed](bool committed) {
                         if (committed && !changed->isEmpty())
                             Q_EMIT tagsChanged(*changed);
                     }});
    flush();
}

void SqliteStore::renameTag(const QString &from, const QString &to)
{
    enqueueTagChange(from, to);
}

void SqliteStore::deleteTag(const QString &name)
{
    enqueueTagChange(name, std::nullopt);
}
