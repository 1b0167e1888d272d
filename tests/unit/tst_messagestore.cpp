#include "StoreSave.h"

#include "mime/MimeRuntime.h"
#include "store/MemoryStore.h"
#include "store/SqliteStore.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace {
const MimeRuntime mimeRuntime; // stores decode headlines with GMime

MessageRecord makeMessage(MessageStore &store, qint64 sessionId, const QByteArray &subject)
{
    MessageRecord m;
    m.id = store.allocateMessageId();
    m.sessionId = sessionId;
    m.receivedMs = 1700000000000 + m.id;
    m.envelope.mailFrom = "sender@example.com";
    m.envelope.rcptTo = {"a@example.com", "hidden@example.com"};
    m.envelope.body = Envelope::Body::EightBitMime;
    m.helo = "client.test";
    m.peerAddress = QStringLiteral("127.0.0.1");
    m.raw = "From: Sender <sender@example.com>\r\nTo: a@example.com\r\nSubject: " + subject +
            "\r\n\r\nbody \xc3\xa9\r\n";
    m.warnings = {QStringLiteral("a warning")};
    return m;
}

// Calls `use` with a connection of its own to the SQLite file at `path`, then closes it.
template <typename Use> auto withConnection(const QString &path, Use use)
{
    const QString name = QStringLiteral("side");
    auto result = [&] {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (!db.open())
            qWarning() << "cannot open" << path;
        return use(db);
    }();
    QSqlDatabase::removeDatabase(name);
    return result;
}

// Runs `statements` on the file at `path`; false, with a warning, at the first that fails.
bool runSql(const QString &path, std::initializer_list<const char *> statements)
{
    return withConnection(path, [&](QSqlDatabase &db) {
        for (const char *sql : statements) {
            QSqlQuery q(db);
            if (!q.exec(QLatin1String(sql))) {
                qWarning() << sql << q.lastError().text();
                return false;
            }
        }
        return true;
    });
}

// The first value that `sql` answers on the file at `path`, -1 when it answers none.
qint64 sqlValue(const QString &path, const char *sql)
{
    return withConnection(path, [&](QSqlDatabase &db) {
        QSqlQuery q(db);
        return q.exec(QLatin1String(sql)) && q.next() ? q.value(0).toLongLong() : qint64(-1);
    });
}

} // namespace

class tst_MessageStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void saveAndQuery_data();
    void saveAndQuery();
    void emptyMessage_data();
    void emptyMessage();
    void readAndRemove_data();
    void readAndRemove();
    void retention_data();
    void retention();
    void sessions_data();
    void sessions();
    void reopenKeepsEverything();
    void acknowledgedMeansCommitted();
    void groupCommitAcknowledgesAll();
    void failedSaveSparesItsBatch();
    void sessionSavesReachTheDatabase();
    void newerSchemaIsRefused();
    void schema1IsUpgraded();
    void schema2IsUpgraded();
    void secondOpenerIsRefused();
    void newFilesGetLargePages();
    void deliveries_data();
    void deliveries();
    void plannedDeliveries_data();
    void plannedDeliveries();
    void schema3IsUpgraded();

private:
    std::unique_ptr<MessageStore> makeStore(const QString &kind);
    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_MessageStore::init() { m_dir = std::make_unique<QTemporaryDir>(); }
void tst_MessageStore::cleanup() { m_dir.reset(); }

std::unique_ptr<MessageStore> tst_MessageStore::makeStore(const QString &kind)
{
    if (kind == u"memory")
        return std::make_unique<MemoryStore>();
    auto store = std::make_unique<SqliteStore>(m_dir->filePath(QStringLiteral("s.sqlite")));
    QString error;
    if (!store->open(&error))
        qFatal("%s", qPrintable(error));
    return store;
}

static void addKinds()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("memory") << QStringLiteral("memory");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
}

void tst_MessageStore::saveAndQuery_data() { addKinds(); }
void tst_MessageStore::saveAndQuery()
{
    QFETCH(QString, kind);
    auto store = makeStore(kind);
    QSignalSpy stored(store.get(), &MessageStore::messageStored);
    const MessageRecord first = makeMessage(*store, 1, "first");
    const MessageRecord second = makeMessage(*store, 1, "=?UTF-8?B?w6l0w6k=?=");
    QVERIFY(save(*store, first));
    QVERIFY(save(*store, second));
    QTRY_COMPARE(stored.count(), 2);
    QCOMPARE(store->messageCount(), 2);
    QCOMPARE(store->unreadCount(), 2);

    const QList<MessageSummary> newest = store->messages(0, 10, MessageStore::Order::NewestFirst);
    QCOMPARE(newest.size(), 2);
    QCOMPARE(newest[0].id, second.id);
    QCOMPARE(newest[0].headline.subject, QStringLiteral("été"));
    QCOMPARE(newest[0].headline.from, QStringLiteral("Sender <sender@example.com>"));
    QCOMPARE(newest[0].envelopeTo, second.envelope.rcptTo);
    QCOMPARE(newest[0].size, qint64(second.raw.size()));
    QCOMPARE(newest[0].warningCount, 1);
    const QList<MessageSummary> page = store->messages(1, 1, MessageStore::Order::OldestFirst);
    QCOMPARE(page.size(), 1);
    QCOMPARE(page[0].id, second.id);
    QVERIFY(store->messages(5, 10, MessageStore::Order::OldestFirst).isEmpty());

    const MessageRecord back = store->message(first.id).value();
    QCOMPARE(back.raw, first.raw);
    QCOMPARE(back.envelope, first.envelope);
    QCOMPARE(back.helo, first.helo);
    QCOMPARE(back.warnings, first.warnings);
    QCOMPARE(store->raw(second.id).value(), second.raw);
    QVERIFY(!store->raw(999).has_value());
    QVERIFY(!store->message(999).has_value());
    QCOMPARE(store->messageIdsOfSession(1), (QList<qint64>{first.id, second.id}));
}

void tst_MessageStore::emptyMessage_data() { addKinds(); }
void tst_MessageStore::emptyMessage()
{
    QFETCH(QString, kind);
    auto store = makeStore(kind);
    MessageRecord m = makeMessage(*store, 1, "x");
    m.raw = QByteArray(); // DATA followed at once by the final dot
    QVERIFY(save(*store, m));
    QCOMPARE(store->raw(m.id).value(), QByteArray());
    QCOMPARE(store->messages(0, 1, MessageStore::Order::NewestFirst).first().size, qint64(0));
}

void tst_MessageStore::readAndRemove_data() { addKinds(); }
void tst_MessageStore::readAndRemove()
{
    QFETCH(QString, kind);
    auto store = makeStore(kind);
    QList<qint64> ids;
    for (int i = 0; i < 4; ++i) {
        const MessageRecord m = makeMessage(*store, 1, "m" + QByteArray::number(i));
        QVERIFY(save(*store, m));
        ids.append(m.id);
    }
    QSignalSpy readChanged(store.get(), &MessageStore::readChanged);
    store->setRead({ids[0], ids[1]}, true);
    QCOMPARE(store->unreadCount(), 2);
    const auto matching = [&](const char *query) {
        return store->search(MessageQuery::parse(QLatin1String(query)), 0, 10).matching;
    };
    QCOMPARE(matching("is:read"), 2);
    QVERIFY(store->message(ids[0])->read);
    QTRY_COMPARE(readChanged.count(), 1);

    QSignalSpy removed(store.get(), &MessageStore::messagesRemoved);
    store->removeMessages({ids[1], ids[2]});
    QCOMPARE(store->messageCount(), 2);
    QCOMPARE(store->unreadCount(), 1);
    QCOMPARE(matching("subject:m"), 2);
    QCOMPARE(matching("is:unread"), 1);
    QVERIFY(!store->raw(ids[2]).has_value());
    QTRY_COMPARE(removed.count(), 1);

    QSignalSpy cleared(store.get(), &MessageStore::cleared);
    store->clear();
    QCOMPARE(store->messageCount(), 0);
    QCOMPARE(store->unreadCount(), 0);
    QCOMPARE(matching("subject:m"), 0);
    QTRY_COMPARE(cleared.count(), 1);
}

void tst_MessageStore::retention_data() { addKinds(); }
void tst_MessageStore::retention()
{
    QFETCH(QString, kind);
    auto store = makeStore(kind);
    store->setRetention({3, 2});
    QList<qint64> ids;
    for (int i = 0; i < 5; ++i) {
        const MessageRecord m = makeMessage(*store, 1, "r");
        QVERIFY(save(*store, m));
        ids.append(m.id);
    }
    for (int i = 0; i < 4; ++i) {
        SessionRecord s;
        s.id = store->allocateSessionId();
        s.end = SessionEnd::Quit;
        store->saveSession(s);
    }
    store->flush();
    QCOMPARE(store->messageCount(), 3);
    QCOMPARE(store->unreadCount(), 3);
    QCOMPARE(store->search(MessageQuery::parse(QStringLiteral("r")), 0, 10).matching, 3);
    const QList<MessageSummary> kept = store->messages(0, 10, MessageStore::Order::OldestFirst);
    QCOMPARE(kept.first().id, ids[2]);
    QCOMPARE(kept.last().id, ids[4]);
    QTRY_COMPARE(store->sessionCount(), 2);
}

void tst_MessageStore::sessions_data() { addKinds(); }
void tst_MessageStore::sessions()
{
    QFETCH(QString, kind);
    auto store = makeStore(kind);
    SessionRecord s;
    s.id = store->allocateSessionId();
    s.peerAddress = QStringLiteral("::1");
    s.peerPort = 40000;
    s.localPort = 2525;
    s.helo = "client";
    s.startedMs = 100;
    s.transcript = {{100, TranscriptEntry::Direction::Server, "220 hi\r\n"},
                    {101, TranscriptEntry::Direction::Client, "QUIT\r\n"},
                    {102, TranscriptEntry::Direction::Event, "[DATA: 1 bytes, 1 lines]"}};
    store->saveSession(s);
    s.end = SessionEnd::Quit;
    s.endedMs = 200;
    s.messageCount = 3;
    s.warnings = {QStringLiteral("w")};
    s.tls = {QStringLiteral("TLSv1.3"), QStringLiteral("TLS_AES_256_GCM_SHA384")};
    s.authUser = QStringLiteral("user");
    store->saveSession(s); // the update at the end replaces the row
    store->flush();
    QCOMPARE(store->sessionCount(), 1);
    const SessionRecord back = store->session(s.id).value();
    QCOMPARE(back.transcript, s.transcript);
    QCOMPARE(back.end, SessionEnd::Quit);
    QCOMPARE(back.endedMs, qint64(200));
    QCOMPARE(back.messageCount, 3);
    QCOMPARE(back.warnings, s.warnings);
    QCOMPARE(back.tls, s.tls);
    QCOMPARE(back.authUser, s.authUser);
    QCOMPARE(back.peerPort, quint16(40000));
    const QList<SessionRecord> list = store->sessions(0, 10, MessageStore::Order::NewestFirst);
    QCOMPARE(list.size(), 1);
    QVERIFY(list[0].transcript.isEmpty()); // lists carry no transcripts
}

void tst_MessageStore::reopenKeepsEverything()
{
    const QString path = m_dir->filePath(QStringLiteral("reopen.sqlite"));
    QList<MessageRecord> saved;
    qint64 sessionId = 0;
    {
        SqliteStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        SessionRecord s;
        s.id = sessionId = store.allocateSessionId();
        s.end = SessionEnd::Active; // a session the process never ended
        store.saveSession(s);
        for (int i = 0; i < 3; ++i) {
            saved.append(makeMessage(store, s.id, "keep"));
            QVERIFY(save(store, saved.last()));
        }
        store.setRead({saved[0].id}, true);
        store.removeMessages({saved[2].id});
    }
    SqliteStore again(path);
    QString error;
    QVERIFY2(again.open(&error), qPrintable(error));
    QCOMPARE(again.messageCount(), 2);
    QCOMPARE(again.unreadCount(), 1);
    QCOMPARE(again.raw(saved[1].id).value(), saved[1].raw);
    QCOMPARE(again.session(sessionId)->end, SessionEnd::Dropped);
    // Ids keep growing across runs, even past deleted ones.
    QVERIFY(again.allocateMessageId() > saved[2].id);
    QVERIFY(again.allocateSessionId() > sessionId);
}

void tst_MessageStore::acknowledgedMeansCommitted()
{
    const QString path = m_dir->filePath(QStringLiteral("ack.sqlite"));
    SqliteStore store(path);
    QString error;
    QVERIFY(store.open(&error));
    const MessageRecord m = makeMessage(store, 1, "durable");
    QObject context;
    QByteArray seenByAnotherConnection;
    bool answered = false;
    store.saveMessage(m, &context, [&](bool ok) {
        QVERIFY(ok);
        // A second, independent connection sees the row the moment the message is acknowledged.
        {
            QSqlDatabase reader = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("reader"));
            reader.setDatabaseName(path);
            QVERIFY(reader.open());
            QSqlQuery q(reader);
            QVERIFY(q.exec(QStringLiteral("SELECT raw FROM message_raw WHERE id = %1").arg(m.id)));
            if (q.next())
                seenByAnotherConnection = q.value(0).toByteArray();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("reader"));
        answered = true;
    });
    QTRY_VERIFY(answered);
    QCOMPARE(seenByAnotherConnection, m.raw);
}

void tst_MessageStore::groupCommitAcknowledgesAll()
{
    SqliteStore store(m_dir->filePath(QStringLiteral("group.sqlite")));
    QString error;
    QVERIFY(store.open(&error));
    QObject context;
    int acknowledged = 0;
    const int count = 500;
    for (int i = 0; i < count; ++i)
        store.saveMessage(makeMessage(store, 1, "g"), &context, [&](bool ok) { acknowledged += ok; });
    QTRY_COMPARE(acknowledged, count);
    QCOMPARE(store.messageCount(), qint64(count));
}

void tst_MessageStore::failedSaveSparesItsBatch()
{
    SqliteStore store(m_dir->filePath(QStringLiteral("spare.sqlite")));
    QString error;
    QVERIFY(store.open(&error));
    const MessageRecord first = makeMessage(store, 1, "first");
    QVERIFY(save(store, first));
    // Handed over together, so that they share batches; one repeats a stored id and fails.
    QList<MessageRecord> records;
    for (int i = 0; i < 20; ++i)
        records.append(makeMessage(store, 1, "later"));
    MessageRecord duplicate = makeMessage(store, 1, "duplicate");
    duplicate.id = first.id;
    records.insert(10, duplicate);
    QObject context;
    QList<int> answers(records.size(), -1);
    for (qsizetype i = 0; i < records.size(); ++i)
        store.saveMessage(records[i], &context, [&answers, i](bool ok) { answers[i] = ok; });
    QTRY_VERIFY(!answers.contains(-1));
    for (qsizetype i = 0; i < records.size(); ++i)
        QCOMPARE(answers[i], i == 10 ? 0 : 1);
    QCOMPARE(store.messageCount(), 21);
    QCOMPARE(store.unreadCount(), 21);
    QCOMPARE(store.raw(first.id), std::optional<QByteArray>(first.raw));
    QCOMPARE(store.search(MessageQuery::parse(QStringLiteral("subject:later")), 0, 0).matching, 20);
    QCOMPARE(store.search(MessageQuery::parse(QStringLiteral("subject:duplicate")), 0, 0).matching,
             0);
}

// Session saves linger a moment (a short session's start and end make one write), never
// long, and a flush() writes them at once.
void tst_MessageStore::sessionSavesReachTheDatabase()
{
    SqliteStore store(m_dir->filePath(QStringLiteral("sessions.sqlite")));
    QString error;
    QVERIFY(store.open(&error));
    SessionRecord alone;
    alone.id = store.allocateSessionId();
    alone.helo = "alone.example";
    store.saveSession(alone);
    QTRY_VERIFY(store.session(alone.id).has_value());
    QCOMPARE(store.session(alone.id)->helo, alone.helo);

    SessionRecord flushed;
    flushed.id = store.allocateSessionId();
    flushed.helo = "flushed.example";
    store.saveSession(flushed);
    store.flush();
    QCOMPARE(store.session(flushed.id)->helo, flushed.helo);

    flushed.end = SessionEnd::Quit;
    store.saveSession(flushed);
    QVERIFY(save(store, makeMessage(store, flushed.id, "unrelated")));
    QTRY_COMPARE(store.session(flushed.id)->end, SessionEnd::Quit);
}

void tst_MessageStore::newerSchemaIsRefused()
{
    const QString path = m_dir->filePath(QStringLiteral("future.sqlite"));
    {
        SqliteStore store(path);
        QString error;
        QVERIFY(store.open(&error));
    }
    // The newer version has no use for the search table.
    QVERIFY(runSql(path, {"UPDATE meta SET value = '99' WHERE key = 'schema_version'",
                          "DROP TABLE message_search"}));
    {
        SqliteStore store(path);
        QString error;
        QVERIFY(!store.open(&error));
        QVERIFY2(error.contains(QStringLiteral("newer smtpeek")), qPrintable(error));
    }
    // Refused, and left as it was.
    QCOMPARE(sqlValue(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'message_search'"), 0);
}

void tst_MessageStore::schema1IsUpgraded()
{
    const QString path = m_dir->filePath(QStringLiteral("schema1.sqlite"));
    QList<MessageRecord> saved;
    {
        SqliteStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        for (const char *subject : {"old one", "old two", "old three"}) {
            saved.append(makeMessage(store, 1, subject));
            QVERIFY(save(store, saved.last()));
        }
        store.setRead({saved[0].id}, true);
    }
    // Takes away what schema 2 added, as in a file that schema 1 wrote.
    QVERIFY(runSql(path, {"DROP TRIGGER message_search_read", "DROP TRIGGER message_search_delete",
                          "DROP TRIGGER message_counts_read", "DROP TRIGGER message_counts_delete",
                          "DROP TABLE message_search", "DROP TABLE message_counts",
                          "DROP INDEX messages_by_id",
                          "CREATE INDEX messages_unread ON messages(id) WHERE read = 0",
                          "UPDATE meta SET value = '1' WHERE key = 'schema_version'"}));

    SqliteStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    QCOMPARE(store.messageCount(), 3);
    QCOMPARE(store.unreadCount(), 2);
    const MessageStore::SearchPage old =
        store.search(MessageQuery::parse(QStringLiteral("subject:OLD")), 0, 10);
    QCOMPARE(old.matching, 3);
    QCOMPARE(old.matchingUnread, 2);
    QCOMPARE(old.messages.first().id, saved[2].id);
    // From now on the triggers keep the counts and the search table.
    store.setRead({saved[0].id, saved[1].id, saved[2].id}, true);
    store.flush();
    QCOMPARE(store.unreadCount(), 0);
    QCOMPARE(store.search(MessageQuery::parse(QStringLiteral("is:unread")), 0, 10).matching, 0);
    QVERIFY(save(store, makeMessage(store, 1, "new")));
    QCOMPARE(store.messageCount(), 4);
    QCOMPARE(store.search(MessageQuery::parse(QStringLiteral("subject:new")), 0, 10).matching, 1);
}

void tst_MessageStore::schema2IsUpgraded()
{
    const QString path = m_dir->filePath(QStringLiteral("schema2.sqlite"));
    QList<MessageRecord> saved;
    {
        SqliteStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        for (const char *subject : {"old one", "old two"}) {
            saved.append(makeMessage(store, 1, subject));
            QVERIFY(save(store, saved.last()));
        }
    }
    // Schema 2 kept the counts and the search rows of new messages by triggers.
    QVERIFY(runSql(
        path,
        {"CREATE TRIGGER message_counts_insert AFTER INSERT ON messages BEGIN"
         " UPDATE message_counts SET total = total + 1, unread = unread + (new.read = 0); END",
         "CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN"
         " INSERT OR REPLACE INTO message_search (id, read, has_attachments, subject,"
         " header_from, envelope_from, header_to, envelope_to) VALUES (new.id,"
         " new.read != 0, ifnull(new.has_attachments, 0) != 0, smtpeek_fold(new.h_subject),"
         " smtpeek_fold(new.h_from), smtpeek_fold(new.mail_from), smtpeek_fold(new.h_to),"
         " smtpeek_fold_recipients(new.rcpt_to)); END",
         "UPDATE meta SET value = '2' WHERE key = 'schema_version'"}));

    SqliteStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    // With the triggers left, the new message would be counted twice and its search row
    // inserted twice (which fails its save).
    const MessageRecord added = makeMessage(store, 1, "new one");
    QVERIFY(save(store, added));
    QCOMPARE(store.messageCount(), 3);
    QCOMPARE(store.unreadCount(), 3);
    const MessageStore::SearchPage found =
        store.search(MessageQuery::parse(QStringLiteral("subject:one")), 0, 10);
    QCOMPARE(found.matching, 2);
    QCOMPARE(found.messages.first().id, added.id);
}

void tst_MessageStore::secondOpenerIsRefused()
{
    const QString path = m_dir->filePath(QStringLiteral("shared.sqlite"));
    QString error;
    {
        SqliteStore first(path);
        QVERIFY(first.open(&error));
        SqliteStore second(path);
        QVERIFY(!second.open(&error));
        QVERIFY2(error.contains(QStringLiteral("in use by another smtpeek")), qPrintable(error));
    }
    SqliteStore afterwards(path); // the first one closed: the file is free again
    QVERIFY2(afterwards.open(&error), qPrintable(error));
}

void tst_MessageStore::newFilesGetLargePages()
{
    const QString fresh = m_dir->filePath(QStringLiteral("fresh.sqlite"));
    {
        SqliteStore store(fresh);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
    }
    QCOMPARE(sqlValue(fresh, "PRAGMA page_size"), 16384);

    // A file written with SQLite's default pages keeps them, and works as before.
    const QString old = m_dir->filePath(QStringLiteral("old.sqlite"));
    QVERIFY(runSql(old, {"PRAGMA journal_mode=WAL", "CREATE TABLE unrelated (x)"}));
    QCOMPARE(sqlValue(old, "PRAGMA page_size"), 4096);
    MessageRecord saved;
    {
        SqliteStore store(old);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        saved = makeMessage(store, 1, "on old pages");
        QVERIFY(save(store, saved));
    }
    QCOMPARE(sqlValue(old, "PRAGMA page_size"), 4096);
    SqliteStore reopened(old);
    QString error;
    QVERIFY2(reopened.open(&error), qPrintable(error));
    QCOMPARE(reopened.raw(saved.id), std::optional<QByteArray>(saved.raw));
}

namespace {
DeliveryRecord makeDelivery(MessageStore &store, qint64 messageId)
{
    DeliveryRecord d;
    d.id = store.allocateDeliveryId();
    d.messageId = messageId;
    d.createdMs = 1700000000000;
    d.kind = DeliveryRecord::Kind::AutoRelay;
    d.mailFrom = "sender@example.com";
    d.recipients = {"a@example.com", "b@example.com"};
    d.nextAttemptMs = 1700000005000;
    DeliveryAttempt attempt;
    attempt.startedMs = 1700000001000;
    attempt.endedMs = 1700000002000;
    attempt.upstream = QStringLiteral("mail.test:25");
    attempt.tls = {QStringLiteral("TLSv1.3"), QStringLiteral("TLS_AES_256_GCM_SHA384")};
    attempt.insecure = true;
    attempt.authUser = QStringLiteral("relay");
    attempt.recipients = {{"a@example.com", 250, "250 2.1.5 Ok"},
                          {"b@example.com", 451, "451 4.3.0 later"}};
    attempt.result = DeliveryAttempt::Result::Partial;
    attempt.reason = QStringLiteral("250 2.0.0 Ok; 1 of 2 recipients refused");
    attempt.transcript = {{1700000001000, TranscriptEntry::Direction::Server, "220 hi\r\n"},
                          {1700000001001, TranscriptEntry::Direction::Client, "EHLO x\r\n"}};
    d.attempts = {attempt};
    return d;
}
} // namespace

void tst_MessageStore::deliveries_data() { addKinds(); }

// A delivery is kept whole, marks its message in the list, and goes with its message.
void tst_MessageStore::deliveries()
{
    QFETCH(QString, kind);
    const auto store = makeStore(kind);
    const MessageRecord message = makeMessage(*store, 1, "relayed");
    QVERIFY(save(*store, message));
    QSignalSpy saved(store.get(), &MessageStore::deliverySaved);
    DeliveryRecord delivery = makeDelivery(*store, message.id);
    store->saveDelivery(delivery);
    store->flush();
    QTRY_COMPARE(saved.size(), 1);
    QCOMPARE(store->deliveries(message.id), QList<DeliveryRecord>{delivery});
    QCOMPARE(store->pendingDeliveries(), QList<DeliveryRecord>{delivery});
    QCOMPARE(store->messages(0, 1, MessageStore::Order::NewestFirst).first().relay,
             RelayMark::Pending);

    delivery.status = DeliveryRecord::Status::Partial;
    store->saveDelivery(delivery);
    store->flush();
    QCOMPARE(store->deliveries(message.id), QList<DeliveryRecord>{delivery});
    QVERIFY(store->pendingDeliveries().isEmpty());
    QCOMPARE(store->message(message.id)->relay, RelayMark::Partial);

    // A delivery of a message that is gone is not kept.
    store->removeMessages({message.id});
    store->saveDelivery(makeDelivery(*store, message.id));
    store->flush();
    QVERIFY(store->deliveries(message.id).isEmpty());
}

void tst_MessageStore::plannedDeliveries_data()
{
    addKinds();
}

// A planned delivery is written with its message: acknowledged together, announced after it,
// and still pending when the store is opened again.
void tst_MessageStore::plannedDeliveries()
{
    QFETCH(QString, kind);
    auto store = makeStore(kind);
    store->setDeliveryPlan([&store](const MessageSummary &message) {
        if (message.headline.subject != u"relay me")
            return QList<DeliveryRecord>{};
        return QList<DeliveryRecord>{makeDelivery(*store, message.id)};
    });
    QList<QByteArray> order;
    connect(store.get(), &MessageStore::messageStored, this, [&order] { order.append("stored"); });
    connect(store.get(), &MessageStore::deliverySaved, this, [&order] { order.append("saved"); });
    QList<DeliveryRecord> announced;
    connect(store.get(), &MessageStore::deliveriesPlanned, this,
            [&](const QList<DeliveryRecord> &planned) {
                order.append("planned");
                announced += planned;
            });
    const MessageRecord kept = makeMessage(*store, 1, "keep");
    QVERIFY(save(*store, kept));
    QVERIFY(store->deliveries(kept.id).isEmpty());
    const MessageRecord relayed = makeMessage(*store, 1, "relay me");
    QVERIFY(save(*store, relayed));
    QTRY_COMPARE(announced.size(), 1);
    QCOMPARE(order, (QList<QByteArray>{"stored", "stored", "saved", "planned"}));
    QCOMPARE(store->deliveries(relayed.id), announced);
    QCOMPARE(announced.first().messageId, relayed.id);
    QCOMPARE(store->message(relayed.id)->relay, RelayMark::Pending);
    QCOMPARE(store->messages(0, 1, MessageStore::Order::NewestFirst).first().relay,
             RelayMark::Pending);
    if (kind == u"memory")
        return;
    store.reset(); // the delivery was committed with the acknowledged message
    const auto again = makeStore(kind);
    QCOMPARE(again->pendingDeliveries(), announced);
}

void tst_MessageStore::schema3IsUpgraded()
{
    const QString path = m_dir->filePath(QStringLiteral("schema3.sqlite"));
    MessageRecord old;
    {
        SqliteStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        old = makeMessage(store, 1, "before relays");
        QVERIFY(save(store, old));
    }
    // Schema 3 had no deliveries and no relay mark.
    QVERIFY(runSql(path, {"DROP TRIGGER deliveries_delete", "DROP TABLE deliveries",
                          "ALTER TABLE messages DROP COLUMN relay",
                          "UPDATE meta SET value = '3' WHERE key = 'schema_version'"}));
    DeliveryRecord delivery;
    {
        SqliteStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        QCOMPARE(store.message(old.id)->relay, RelayMark::None);
        delivery = makeDelivery(store, old.id);
        store.saveDelivery(delivery);
        store.flush();
    }
    SqliteStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    QCOMPARE(store.deliveries(old.id), QList<DeliveryRecord>{delivery});
    QCOMPARE(store.allocateDeliveryId(), delivery.id + 1);
    QCOMPARE(store.messages(0, 1, MessageStore::Order::NewestFirst).first().relay,
             RelayMark::Pending);
}

QTEST_GUILESS_MAIN(tst_MessageStore)
#include "tst_messagestore.moc"
