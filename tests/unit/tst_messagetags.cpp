// Tags (mailboxes) in both stores: where they come from as a message arrives (X-Tags,
// plus-addressing, tag rules, routing rules), their edits, counts and searches, and schema 4
// files brought up to schema 5.
#include "StoreSave.h"

#include "mime/MimeRuntime.h"
#include "records/TagName.h"
#include "store/MemoryStore.h"
#include "store/SqliteStore.h"
#include "store/TagRules.h"

#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace {
const MimeRuntime mimeRuntime; // stores decode headlines with GMime

MessageRecord makeMessage(MessageStore &store, const QByteArray &headers,
                          const QList<QByteArray> &rcptTo = {"a@example.com"})
{
    MessageRecord m;
    m.id = store.allocateMessageId();
    m.sessionId = 1;
    m.envelope.mailFrom = "sender@example.com";
    m.envelope.rcptTo = rcptTo;
    m.peerAddress = QStringLiteral("10.1.2.3");
    m.authUser = QStringLiteral("app-user");
    m.raw = "From: sender@example.com\r\nTo: a@example.com\r\n" + headers + "\r\nbody\r\n";
    return m;
}

QStringList tagsOf(const MessageStore &store, qint64 id)
{
    return store.message(id)->tags;
}

QList<qint64> found(const MessageStore &store, const QString &query)
{
    return store.matchingIds(MessageQuery::parse(query), -1);
}

std::shared_ptr<TagRules> rulesOf(const QStringList &lines)
{
    auto rules = std::make_shared<TagRules>();
    for (const QString &line : lines) {
        QString error;
        if (!rules->addRule(line, &error))
            qWarning() << line << error;
    }
    return rules;
}
} // namespace

class tst_MessageTags : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void tagNames_data();
    void tagNames();
    void ruleSyntax_data();
    void ruleSyntax();
    void tagsOnArrival_data();
    void tagsOnArrival();
    void edits_data();
    void edits();
    void searchAndCounts_data();
    void searchAndCounts();
    void schema4IsUpgraded();

private:
    void addStores();
    std::unique_ptr<MessageStore> makeStore(const QString &kind);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void tst_MessageTags::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void tst_MessageTags::cleanup()
{
    m_dir.reset();
}

void tst_MessageTags::addStores()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("memory") << QStringLiteral("memory");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
}

std::unique_ptr<MessageStore> tst_MessageTags::makeStore(const QString &kind)
{
    if (kind == u"memory")
        return std::make_unique<MemoryStore>();
    auto store = std::make_unique<SqliteStore>(m_dir->filePath(QStringLiteral("tags.sqlite")));
    QString error;
    if (!store->open(&error))
        qWarning() << error;
    return store;
}

void tst_MessageTags::tagNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("word") << QStringLiteral("Invoices") << true;
    QTest::newRow("blank inside") << QStringLiteral("Sales leads") << true;
    QTest::newRow("unicode") << QStringLiteral("Équipe") << true;
    QTest::newRow("dot dash") << QStringLiteral("v1.2-beta_x") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("blanks only") << QStringLiteral("  ") << false;
    QTest::newRow("leading blank") << QStringLiteral(" a") << false;
    QTest::newRow("slash") << QStringLiteral("a/b") << false;
    QTest::newRow("comma") << QStringLiteral("a,b") << false;
    QTest::newRow("wildcard") << QStringLiteral("a*") << false;
    QTest::newRow("percent") << QStringLiteral("a%") << false;
    QTest::newRow("quote") << QStringLiteral("a\"b") << false;
    QTest::newRow("newline") << QStringLiteral("a\nb") << false;
    QTest::newRow("nul") << QString(QChar(0)) << false;
    QTest::newRow("100") << QString(100, u'x') << true;
    QTest::newRow("1000") << QString(1000, u'x') << false;
}

void tst_MessageTags::tagNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    QCOMPARE(tag_name::problem(name).isEmpty(), valid);
}

void tst_MessageTags::ruleSyntax_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<bool>("valid");
    QTest::newRow("query") << QStringLiteral("Invoices=subject:invoice") << true;
    QTest::newRow("query blanks") << QStringLiteral("Big deals = subject:\"big deal\"") << true;
    QTest::newRow("route glob") << QStringLiteral("Support <- recipient *@support.test") << true;
    QTest::newRow("route regex") << QStringLiteral("Ops <- header:X-Priority /^[12]/") << true;
    QTest::newRow("no query") << QStringLiteral("Empty=") << false;
    QTest::newRow("no tag") << QStringLiteral("=subject:x") << false;
    QTest::newRow("bad tag") << QStringLiteral("a/b=subject:x") << false;
    QTest::newRow("neither") << QStringLiteral("just words") << false;
    QTest::newRow("unknown field") << QStringLiteral("X <- colour red") << false;
    QTest::newRow("no pattern") << QStringLiteral("X <- recipient") << false;
    QTest::newRow("bad regex") << QStringLiteral("X <- sender /(/") << false;
}

void tst_MessageTags::ruleSyntax()
{
    QFETCH(QString, line);
    QFETCH(bool, valid);
    TagRules rules;
    QString error;
    QCOMPARE(rules.addRule(line, &error), valid);
    QCOMPARE(error.isEmpty(), valid);
}

void tst_MessageTags::tagsOnArrival_data()
{
    addStores();
}

void tst_MessageTags::tagsOnArrival()
{
    QFETCH(QString, kind);
    const auto store = makeStore(kind);
    auto rules = rulesOf({QStringLiteral("Invoices=subject:invoice"),
                          QStringLiteral("Support <- recipient *@SUPPORT.test"),
                          QStringLiteral("Internal <- client 10.*"),
                          QStringLiteral("Urgent <- header:X-Priority /^[12]/"),
                          QStringLiteral("Apps <- auth app-?ser"),
                          QStringLiteral("Bounces <- sender bounce@*")});
    store->setTagRules(rules);

    const MessageRecord xtags =
        makeMessage(*store, "Subject: hi\r\nX-Tags: alpha, Beta ,, bad/name,alpha\r\n");
    const MessageRecord plus = makeMessage(
        *store, "Subject: hi\r\n",
        {"user+orders@example.com", "x+@example.com", "help@support.test", "plain@example.com"});
    const MessageRecord rule =
        makeMessage(*store, "Subject: Your INVOICE 12\r\nX-Priority: 1 (Highest)\r\n");
    for (const MessageRecord &m : {xtags, plus, rule})
        QVERIFY(save(*store, m));
    const QStringList common = {QStringLiteral("Apps"), QStringLiteral("Internal")};
    QCOMPARE(
        tagsOf(*store, xtags.id),
        tag_name::ordered(common + QStringList{QStringLiteral("alpha"), QStringLiteral("Beta")}));
    QCOMPARE(tagsOf(*store, plus.id),
             tag_name::ordered(common +
                               QStringList{QStringLiteral("orders"), QStringLiteral("Support")}));
    QCOMPARE(tagsOf(*store, rule.id),
             tag_name::ordered(common +
                               QStringList{QStringLiteral("Invoices"), QStringLiteral("Urgent")}));
    QCOMPARE(store->messages(0, 1, MessageStore::Order::NewestFirst).first().tags,
             tagsOf(*store, rule.id));

    // Without plus-addressing and rules, only the message's own X-Tags count.
    auto none = std::make_shared<TagRules>();
    none->plusAddressing = false;
    store->setTagRules(none);
    MessageRecord later = plus;
    later.id = store->allocateMessageId();
    later.raw = "Subject: x\r\nX-Tags: own\r\n\r\nbody\r\n";
    QVERIFY(save(*store, later));
    QCOMPARE(tagsOf(*store, later.id), QStringList{QStringLiteral("own")});
}

void tst_MessageTags::edits_data()
{
    addStores();
}

void tst_MessageTags::edits()
{
    QFETCH(QString, kind);
    const auto store = makeStore(kind);
    QList<qint64> ids;
    for (int i = 0; i < 3; ++i) {
        const MessageRecord m = makeMessage(*store, "Subject: m\r\n");
        QVERIFY(save(*store, m));
        ids.append(m.id);
    }
    QSignalSpy changed(store.get(), &MessageStore::tagsChanged);

    store->setTags({ids[0], ids[1]}, {QStringLiteral("work"), QStringLiteral("Home")});
    QCOMPARE(tagsOf(*store, ids[0]), (QStringList{QStringLiteral("Home"), QStringLiteral("work")}));
    store->addTags({ids[1], ids[2]}, {QStringLiteral("WORK"), QStringLiteral("later")});
    QCOMPARE(tagsOf(*store, ids[1]), (QStringList{QStringLiteral("Home"), QStringLiteral("later"),
                                                  QStringLiteral("work")}));
    QCOMPARE(tagsOf(*store, ids[2]),
             (QStringList{QStringLiteral("later"), QStringLiteral("WORK")}));
    QCOMPARE(changed.size(), 2);

    // Renamed into an existing tag, the two become one; a case-only rename keeps the messages.
    store->renameTag(QStringLiteral("later"), QStringLiteral("home"));
    QCOMPARE(tagsOf(*store, ids[1]), (QStringList{QStringLiteral("Home"), QStringLiteral("work")}));
    QCOMPARE(tagsOf(*store, ids[2]).size(), 2);
    store->renameTag(QStringLiteral("work"), QStringLiteral("Work"));
    QCOMPARE(found(*store, QStringLiteral("tag:work")).size(), 3);
    QVERIFY(tagsOf(*store, ids[0]).contains(QStringLiteral("Work")));
    QCOMPARE(changed.last().first().value<QList<qint64>>().size(), 3);

    store->deleteTag(QStringLiteral("HOME"));
    QCOMPARE(tagsOf(*store, ids[0]), QStringList{QStringLiteral("Work")});
    QCOMPARE(found(*store, QStringLiteral("tag:home")), QList<qint64>());
    store->setTags({ids[0]}, {});
    QVERIFY(tagsOf(*store, ids[0]).isEmpty());

    const QHash<qint64, QStringList> listed = store->tagsOf({ids[0], ids[2], 999});
    QCOMPARE(listed.value(ids[0]), QStringList());
    QCOMPARE(listed.value(ids[2]), tagsOf(*store, ids[2]));
    QVERIFY(listed.contains(999) && listed.value(999).isEmpty());

    // A removed message takes its tags with it.
    store->removeMessages({ids[1]});
    QCOMPARE(store->tagCounts(), (QList<MessageStore::TagCount>{{QStringLiteral("Work"), 1, 1}}));
}

void tst_MessageTags::searchAndCounts_data()
{
    addStores();
}

void tst_MessageTags::searchAndCounts()
{
    QFETCH(QString, kind);
    const auto store = makeStore(kind);
    QList<qint64> ids;
    for (const char *tags : {"X-Tags: a, b\r\n", "X-Tags: b\r\n", "", "X-Tags: c d\r\n"}) {
        const MessageRecord m = makeMessage(*store, QByteArray("Subject: s\r\n") + tags);
        QVERIFY(save(*store, m));
        ids.append(m.id);
    }
    store->setRead({ids[0]}, true);
    QCOMPARE(found(*store, QStringLiteral("tag:b")), (QList<qint64>{ids[1], ids[0]}));
    QCOMPARE(found(*store, QStringLiteral("tag:B is:unread")), QList<qint64>{ids[1]});
    QCOMPARE(found(*store, QStringLiteral("tag:\"c d\"")), QList<qint64>{ids[3]});
    QCOMPARE(found(*store, QStringLiteral("-tag:b")), (QList<qint64>{ids[3], ids[2]}));
    QCOMPARE(found(*store, QStringLiteral("is:tagged")), (QList<qint64>{ids[3], ids[1], ids[0]}));
    QCOMPARE(found(*store, QStringLiteral("-is:tagged")), QList<qint64>{ids[2]});
    QCOMPARE(found(*store, QStringLiteral("tag:a tag:b")), QList<qint64>{ids[0]});
    QCOMPARE(found(*store, QStringLiteral("tag:nothing")), QList<qint64>());
    const MessageStore::SearchPage page =
        store->search(MessageQuery::parse(QStringLiteral("tag:b")), 0, 1);
    QCOMPARE(page.matching, 2);
    QCOMPARE(page.matchingUnread, 1);
    QCOMPARE(page.messages.first().tags, QStringList{QStringLiteral("b")});

    const QList<MessageStore::TagCount> expected = {
        {QStringLiteral("a"), 1, 0}, {QStringLiteral("b"), 2, 1}, {QStringLiteral("c d"), 1, 1}};
    QCOMPARE(store->tagCounts(), expected);
    QCOMPARE(store->tagNames(),
             (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c d")}));
}

void tst_MessageTags::schema4IsUpgraded()
{
    const QString path = m_dir->filePath(QStringLiteral("schema4.sqlite"));
    qint64 id = 0;
    {
        SqliteStore store(path);
        QString error;
        QVERIFY2(store.open(&error), qPrintable(error));
        const MessageRecord m = makeMessage(store, "Subject: before tags\r\n");
        id = m.id;
        QVERIFY(save(store, m));
    }
    {
        // Schema 4 had no tags.
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("side"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        for (const char *sql : {"DROP TRIGGER message_tags_delete", "DROP TABLE message_tags",
                                "UPDATE meta SET value = '4' WHERE key = 'schema_version'"}) {
            QSqlQuery q(db);
            QVERIFY2(q.exec(QLatin1String(sql)), qPrintable(q.lastError().text()));
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("side"));
    SqliteStore store(path);
    QString error;
    QVERIFY2(store.open(&error), qPrintable(error));
    QVERIFY(store.message(id)->tags.isEmpty());
    QCOMPARE(store.message(id)->headline.subject, QStringLiteral("before tags"));
    store.addTags({id}, {QStringLiteral("old")});
    QCOMPARE(store.message(id)->tags, QStringList{QStringLiteral("old")});
    QCOMPARE(store.tagCounts().size(), 1);
}

QTEST_GUILESS_MAIN(tst_MessageTags)
#include "tst_messagetags.moc"
