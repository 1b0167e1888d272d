#include "store/SqliteCheckpointer.h"

#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

// SQLite's default page size, which the test's file keeps.
constexpr qint64 kPage = 4096;

// The checkpointer copies the WAL into the database file beside the writer, and the writer
// only checkpoints itself when the WAL outgrows the limit.
class tst_SqliteCheckpointer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void growingWalIsCheckpointedBesideTheWriter();
    void writerCheckpointsPastTheLimit();
    void quietWalIsLeftAlone();

private:
    QSqlDatabase open(const QString &name) const;
    void writeBlobs(QSqlDatabase &db, int commits) const;
    qint64 walFrames(QSqlDatabase &db) const;
    qint64 databaseBytes() const { return QFileInfo(m_path).size(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    QStringList m_connections;
};

void tst_SqliteCheckpointer::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("wal.sqlite"));
    QSqlDatabase db = open(QStringLiteral("setup"));
    QSqlQuery(db).exec(QStringLiteral("PRAGMA journal_mode=WAL"));
    QVERIFY(QSqlQuery(db).exec(QStringLiteral("CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB)")));
}

void tst_SqliteCheckpointer::cleanup()
{
    for (const QString &name : std::as_const(m_connections))
        QSqlDatabase::removeDatabase(name);
    m_connections.clear();
    m_dir.reset();
}

QSqlDatabase tst_SqliteCheckpointer::open(const QString &name) const
{
    // Every thread gets a connection of its own, named after it.
    const QString unique = name + QString::number(quintptr(QThread::currentThreadId()), 16);
    const_cast<QStringList &>(m_connections).append(unique);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), unique);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=10000"));
    db.open();
    QSqlQuery(db).exec(QStringLiteral("PRAGMA synchronous=NORMAL"));
    return db;
}

// 16 KB per commit: four pages of the WAL each, and more for the b-tree.
void tst_SqliteCheckpointer::writeBlobs(QSqlDatabase &db, int commits) const
{
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO t (b) VALUES (?)"));
    for (int i = 0; i < commits; ++i) {
        insert.addBindValue(QByteArray(16 * 1024, char('a' + i % 26)));
        QVERIFY(insert.exec());
    }
}

qint64 tst_SqliteCheckpointer::walFrames(QSqlDatabase &db) const
{
    QSqlQuery q(db);
    q.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)"));
    return q.next() ? q.value(1).toLongLong() : -1;
}

void tst_SqliteCheckpointer::growingWalIsCheckpointedBesideTheWriter()
{
    SqliteCheckpointer checkpointer([this] { return open(QStringLiteral("checkpointer")); },
                                    {/*requestBytes=*/64 * kPage, /*maxBytes=*/1 << 30});
    QSqlDatabase writer = open(QStringLiteral("writer"));
    checkpointer.watchCommits(writer);
    const qint64 before = databaseBytes();
    writeBlobs(writer, 40); // some 200 pages: past requestBytes, far from maxBytes
    // The writer never checkpointed; most pages reach the database file all the same (the
    // last commits, below requestBytes after the WAL started over, may stay in the WAL).
    QTRY_VERIFY_WITH_TIMEOUT(databaseBytes() >= before + 20 * 16 * 1024, 10000);
}

void tst_SqliteCheckpointer::writerCheckpointsPastTheLimit()
{
    // The checkpointer's thread never gets a connection: only the writer's own checkpoints
    // can keep the WAL short.
    SqliteCheckpointer checkpointer([] { return QSqlDatabase(); },
                                    {1 << 30, /*maxBytes=*/32 * kPage});
    QSqlDatabase writer = open(QStringLiteral("writer"));
    checkpointer.watchCommits(writer);
    writeBlobs(writer, 100); // some 500 pages in all
    QSqlDatabase reader = open(QStringLiteral("reader"));
    const qint64 frames = walFrames(reader);
    QVERIFY2(frames >= 0 && frames < 32 + 8, qPrintable(QString::number(frames)));
}

void tst_SqliteCheckpointer::quietWalIsLeftAlone()
{
    // Below the request threshold nothing is copied, not even by SQLite's own automatic
    // checkpoint (at 1,000 pages): that is left to idle moments and to closing.
    SqliteCheckpointer checkpointer([this] { return open(QStringLiteral("checkpointer")); },
                                    {/*requestBytes=*/100000 * kPage, 1 << 30});
    QSqlDatabase writer = open(QStringLiteral("writer"));
    checkpointer.watchCommits(writer);
    const qint64 before = databaseBytes();
    writeBlobs(writer, 300); // some 1,500 pages
    QTest::qWait(200);
    QCOMPARE(databaseBytes(), before);
}

QTEST_GUILESS_MAIN(tst_SqliteCheckpointer)
#include "tst_sqlitecheckpointer.moc"
