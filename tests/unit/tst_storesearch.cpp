// Searches and pages of the two stores side by side: the SQLite store answers in SQL
// (MessageQuerySql over message_search), the in-memory store with MessageQuery::matches, and
// both must find the same messages, in the same order, with the same counts.
#include "mime/MimeRuntime.h"
#include "store/MemoryStore.h"
#include "store/SqliteStore.h"

#include <QTemporaryDir>
#include <QTest>

namespace {
const MimeRuntime mimeRuntime; // stores decode headlines with GMime

QByteArray encodedWord(const QString &text)
{
    return "=?UTF-8?B?" + text.toUtf8().toBase64() + "?=";
}

struct Sample
{
    const char *label;
    QByteArray raw;
    QByteArray mailFrom;
    QList<QByteArray> rcptTo;
    bool read = false;
};

QByteArray message(const QByteArray &from, const QByteArray &to, const QByteArray &subject)
{
    return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
}

// Stored in this order, so the ids grow down the list.
const QList<Sample> &samples()
{
    static const QList<Sample> list = {
        {"plain",
         message("Alice <alice@example.com>", "Bob <bob@example.org>", "Weekly report"),
         "alice@example.com",
         {"bob@example.org"},
         true},
        {"accents",
         message(encodedWord(QStringLiteral("Émile Zola")) + " <emile@example.fr>",
                 "carol@example.org", encodedWord(QStringLiteral("Été à Paris"))),
         "bounce@mailer.example",
         {"carol@example.org", "hidden-bcc@example.net"}},
        {"sharp s",
         message("hans@example.de", "anna@example.de", encodedWord(QStringLiteral("Straße"))),
         "hans@example.de",
         {"anna@example.de"}},
        {"sigma",
         message("nikos@example.gr", "eleni@example.gr",
                 encodedWord(QStringLiteral("ΟΔΟΣ, 5 \u00B5g"))),
         "nikos@example.gr",
         {"eleni@example.gr"}},
        {"kelvin",
         message("lab@example.com", "lab@example.com",
                 encodedWord(QStringLiteral("273 \u212A reached"))),
         "lab@example.com",
         {"lab@example.com"}},
        {"deseret",
         message("deseret@example.com", "deseret@example.com",
                 encodedWord(QStringLiteral("\U00010400\U00010401 word"))),
         "deseret@example.com",
         {"deseret@example.com"}},
        {"wildcards",
         message("shop@example.com", "buyer@example.com", "100% off_now \\ [x]*?"),
         "shop@example.com",
         {"buyer@example.com"}},
        {"null sender",
         message("Mail Delivery <mailer-daemon@example.com>", "alice@example.com",
                 "Delivery failure"),
         "",
         {"alice@example.com"},
         true},
        {"latin-1 envelope",
         message("kitchen@example.com", "guest@example.com", "Menu"),
         "caf\xe9@example.com",
         {"guest@example.com"}},
        {"attachment",
         "From: billing@example.com\r\nTo: bob@example.org\r\nSubject: Invoice 42\r\n"
         "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
         "Content-Type: text/plain\r\n\r\nSee attached.\r\n--b\r\nContent-Type: application/pdf"
         "\r\nContent-Disposition: attachment; filename=invoice.pdf\r\n\r\nJVBERi0=\r\n--b--\r\n",
         "billing@example.com",
         {"bob@example.org"}},
        {"two recipients",
         message("sender@example.com", "x@one.example", "Hello"),
         "sender@example.com",
         {"x@one.example", "y@two.example"}},
        {"empty", QByteArray(), "", {"nobody@example.com"}},
    };
    return list;
}

// Saves every sample and marks some read; returns the ids in the samples' order.
QList<qint64> fill(MessageStore &store)
{
    QObject context;
    int answered = 0;
    QList<qint64> ids;
    QList<qint64> read;
    for (const Sample &sample : samples()) {
        MessageRecord m;
        m.id = store.allocateMessageId();
        m.sessionId = 1;
        m.raw = sample.raw;
        m.envelope.mailFrom = sample.mailFrom;
        m.envelope.rcptTo = sample.rcptTo;
        store.saveMessage(m, &context, [&](bool ok) { answered += ok; });
        ids.append(m.id);
        if (sample.read)
            read.append(m.id);
    }
    if (!QTest::qWaitFor([&] { return answered == ids.size(); }, 10000))
        qFatal("the store did not acknowledge every sample");
    store.setRead(read, true);
    return ids;
}

QList<qint64> idsOf(const QList<MessageSummary> &page)
{
    QList<qint64> ids;
    for (const MessageSummary &summary : page)
        ids.append(summary.id);
    return ids;
}

// The labels of the `found` messages; `ids` are the samples' ids in that store.
QStringList labelsOf(const QList<qint64> &found, const QList<qint64> &ids)
{
    QStringList labels;
    for (qint64 id : found)
        labels.append(QLatin1String(samples()[ids.indexOf(id)].label));
    return labels;
}

QStringList labelsOf(const QList<MessageSummary> &page, const QList<qint64> &ids)
{
    return labelsOf(idsOf(page), ids);
}

// The labels, newest first, of the samples that are not in `excluded`.
QStringList allBut(const QStringList &excluded)
{
    QStringList labels;
    for (auto it = samples().crbegin(); it != samples().crend(); ++it) {
        if (!excluded.contains(QLatin1String(it->label)))
            labels.append(QLatin1String(it->label));
    }
    return labels;
}

qint64 unreadAmong(const QStringList &labels)
{
    qint64 unread = 0;
    for (const Sample &sample : samples())
        unread += !sample.read && labels.contains(QLatin1String(sample.label));
    return unread;
}
} // namespace

class tst_StoreSearch : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void sameMatches_data();
    void sameMatches();
    void samePages_data();
    void samePages();
    void listPagesAcrossGaps_data();
    void listPagesAcrossGaps();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<MemoryStore> m_memory;
    std::unique_ptr<SqliteStore> m_sqlite;
    QList<qint64> m_memoryIds;
    QList<qint64> m_sqliteIds;
};

void tst_StoreSearch::initTestCase()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_memory = std::make_unique<MemoryStore>();
    m_sqlite = std::make_unique<SqliteStore>(m_dir->filePath(QStringLiteral("search.sqlite")));
    QString error;
    QVERIFY2(m_sqlite->open(&error), qPrintable(error));
    m_memoryIds = fill(*m_memory);
    m_sqliteIds = fill(*m_sqlite);
}

void tst_StoreSearch::cleanupTestCase()
{
    m_sqlite.reset();
    m_memory.reset();
    m_dir.reset();
}

void tst_StoreSearch::sameMatches_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QStringList>("expected"); // labels, newest first

    const auto row = [](const char *name, const QString &query, const QStringList &expected) {
        QTest::newRow(name) << query << expected;
    };
    row("ascii word", QStringLiteral("weekly"), {"plain"});
    row("ascii word, other case", QStringLiteral("WEEKLY"), {"plain"});
    row("accented word", QStringLiteral("été"), {"accents"});
    row("accented word, upper case", QStringLiteral("ÉTÉ"), {"accents"});
    row("sharp s", QStringLiteral("STRAßE"), {"sharp s"});
    row("capital sharp s folds to sharp s", QStringLiteral("\u1E9E"), {"sharp s"});
    row("sharp s is not ss", QStringLiteral("strasse"), {}); // simple folding, as Qt's
    row("capital sigma", QStringLiteral("οδοσ"), {"sigma"});
    row("final sigma folds to sigma", QStringLiteral("οδος"), {"sigma"}); // not in toLower()
    row("micro sign folds to mu", QStringLiteral("\u03BCg"), {"sigma"});  // nor this
    row("kelvin sign folds to k", QStringLiteral("\"273 k\""), {"kelvin"});
    row("outside the BMP", QStringLiteral("\U00010428"), {"deseret"});
    row("percent is literal", QStringLiteral("100%"), {"wildcards"});
    row("underscore is literal", QStringLiteral("100_"), {});
    row("underscore alone", QStringLiteral("off_"), {"wildcards"});
    row("backslash", QStringLiteral("\\"), {"wildcards"});
    row("glob characters", QStringLiteral("[x]*?"), {"wildcards"});
    row("from header", QStringLiteral("from:émile"), {"accents"});
    row("from envelope", QStringLiteral("from:bounce@mailer"), {"accents"});
    row("from is not to", QStringLiteral("from:carol"), {});
    row("to header", QStringLiteral("to:carol"), {"accents"});
    row("to envelope only (bcc)", QStringLiteral("to:hidden-bcc"), {"accents"});
    row("plain word finds bcc", QStringLiteral("hidden-bcc"), {"accents"});
    row("to across recipients", QStringLiteral("to:\"one.example y@\""), {"two recipients"});
    row("null sender", QStringLiteral("from:mailer-daemon"), {"null sender"});
    row("invalid UTF-8 in envelope", QStringLiteral("from:caf"), {"latin-1 envelope"});
    row("invalid UTF-8 is not é", QStringLiteral("from:café"), {});
    row("subject only", QStringLiteral("subject:alice"), {});
    row("a term does not span two fields", QStringLiteral("\"report\nalice\""), {});
    row("subject phrase", QStringLiteral("subject:\"weekly report\""), {"plain"});
    row("subject phrase, wrong order", QStringLiteral("subject:\"report weekly\""), {});
    row("two terms", QStringLiteral("from:alice subject:weekly"), {"plain"});
    row("address in several fields", QStringLiteral("alice@example.com"), {"null sender", "plain"});
    row("negated word", QStringLiteral("-weekly"), allBut({"plain"}));
    row("negated with !", QStringLiteral("!weekly"), allBut({"plain"}));
    row("negated field", QStringLiteral("-to:bob"), allBut({"plain", "attachment"}));
    row("is read", QStringLiteral("is:read"), {"null sender", "plain"});
    row("is unread", QStringLiteral("is:unread"), allBut({"null sender", "plain"}));
    row("not read", QStringLiteral("-is:read"), allBut({"null sender", "plain"}));
    row("unread and word", QStringLiteral("is:unread weekly"), {});
    row("has attachment", QStringLiteral("has:attachment"), {"attachment"});
    row("no attachment", QStringLiteral("-has:attachments"), allBut({"attachment"}));
    row("everything", QStringLiteral("-zzz"), allBut({}));
    row("nothing", QStringLiteral("zzz"), {});
    row("empty query", QString(), allBut({}));
}

void tst_StoreSearch::sameMatches()
{
    QFETCH(QString, query);
    QFETCH(QStringList, expected);
    const MessageQuery parsed = MessageQuery::parse(query);
    const MessageStore::SearchPage memory = m_memory->search(parsed, 0, 100);
    const MessageStore::SearchPage sqlite = m_sqlite->search(parsed, 0, 100);
    QCOMPARE(labelsOf(memory.messages, m_memoryIds), expected);
    QCOMPARE(labelsOf(sqlite.messages, m_sqliteIds), expected);
    QCOMPARE(memory.matching, qint64(expected.size()));
    QCOMPARE(sqlite.matching, qint64(expected.size()));
    QCOMPARE(memory.matchingUnread, unreadAmong(expected));
    QCOMPARE(sqlite.matchingUnread, unreadAmong(expected));
    // The whole store's counts come with the matches.
    for (const MessageStore::SearchPage &page : {memory, sqlite}) {
        QCOMPARE(page.total, qint64(samples().size()));
        QCOMPARE(page.unread, unreadAmong(allBut({})));
    }
    // Ids only: every match, or the newest.
    QCOMPARE(labelsOf(m_memory->matchingIds(parsed, -1), m_memoryIds), expected);
    QCOMPARE(labelsOf(m_sqlite->matchingIds(parsed, -1), m_sqliteIds), expected);
    QCOMPARE(labelsOf(m_memory->matchingIds(parsed, 1), m_memoryIds), expected.mid(0, 1));
    QCOMPARE(labelsOf(m_sqlite->matchingIds(parsed, 1), m_sqliteIds), expected.mid(0, 1));
}

void tst_StoreSearch::samePages_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<qint64>("offset");
    QTest::addColumn<qint64>("limit");
    QTest::addColumn<QStringList>("expected");
    const QStringList unread = allBut({"null sender", "plain"});
    QTest::newRow("first page") << QStringLiteral("is:unread") << qint64(0) << qint64(3)
                                << unread.mid(0, 3);
    QTest::newRow("middle page") << QStringLiteral("is:unread") << qint64(3) << qint64(4)
                                 << unread.mid(3, 4);
    QTest::newRow("last, short page")
        << QStringLiteral("is:unread") << qint64(8) << qint64(5) << unread.mid(8);
    QTest::newRow("past the end") << QStringLiteral("is:unread") << qint64(10) << qint64(5)
                                  << QStringList();
    QTest::newRow("counts only") << QStringLiteral("example") << qint64(0) << qint64(0)
                                 << QStringList();
    QTest::newRow("counts past a page")
        << QStringLiteral("example") << qint64(2) << qint64(2) << allBut({}).mid(2, 2);
}

void tst_StoreSearch::samePages()
{
    QFETCH(QString, query);
    QFETCH(qint64, offset);
    QFETCH(qint64, limit);
    QFETCH(QStringList, expected);
    const MessageQuery parsed = MessageQuery::parse(query);
    const MessageStore::SearchPage all = m_memory->search(parsed, 0, 100);
    const auto check = [&](const MessageStore &store, const QList<qint64> &ids) {
        const MessageStore::SearchPage page = store.search(parsed, offset, limit);
        QCOMPARE(labelsOf(page.messages, ids), expected);
        // The counts are those of every match, whatever the page.
        QCOMPARE(page.matching, all.matching);
        QCOMPARE(page.matchingUnread, all.matchingUnread);
    };
    check(*m_memory, m_memoryIds);
    check(*m_sqlite, m_sqliteIds);
}

void tst_StoreSearch::listPagesAcrossGaps_data()
{
    QTest::addColumn<int>("order");
    QTest::newRow("newest first") << int(MessageStore::Order::NewestFirst);
    QTest::newRow("oldest first") << int(MessageStore::Order::OldestFirst);
}

void tst_StoreSearch::listPagesAcrossGaps()
{
    QFETCH(int, order);
    QTemporaryDir dir;
    MemoryStore memory;
    SqliteStore sqlite(dir.filePath(QStringLiteral("pages.sqlite")));
    QString error;
    QVERIFY2(sqlite.open(&error), qPrintable(error));
    for (MessageStore *store :
         {static_cast<MessageStore *>(&memory), static_cast<MessageStore *>(&sqlite)}) {
        const QList<qint64> ids = fill(*store);
        // Gaps in the ids: pages are found by position, not by arithmetic on ids.
        store->removeMessages({ids[1], ids[5], ids[6], ids[11]});
        store->allocateMessageId(); // an id that never gets a message
    }
    const auto direction = MessageStore::Order(order);
    const qint64 count = memory.messageCount();
    QCOMPARE(count, qint64(samples().size() - 4));
    QCOMPARE(sqlite.messageCount(), count);
    QCOMPARE(sqlite.unreadCount(), memory.unreadCount());
    for (qint64 offset = 0; offset <= count; ++offset) {
        for (qint64 limit : {1, 3, 100}) {
            const QList<qint64> memoryIds = idsOf(memory.messages(offset, limit, direction));
            QCOMPARE(idsOf(sqlite.messages(offset, limit, direction)), memoryIds);
            QCOMPARE(qint64(memoryIds.size()), std::min(limit, count - offset));
        }
    }
}

QTEST_GUILESS_MAIN(tst_StoreSearch)
#include "tst_storesearch.moc"
