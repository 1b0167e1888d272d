#include "store/MessageQuery.h"
#include "records/Records.h"

#include <QTest>

class tst_MessageQuery : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matches_data();
    void matches();
};

static MessageSummary sample()
{
    MessageSummary s;
    s.headline.from = QStringLiteral("Alice Émile <alice@example.com>");
    s.headline.to = QStringLiteral("bob@example.org");
    s.headline.subject = QStringLiteral("Weekly report: ÉTÉ");
    s.envelopeFrom = "bounce@mailer.example";
    s.envelopeTo = {"bob@example.org", "hidden-bcc@example.net"};
    s.read = false;
    s.headline.hasAttachments = true;
    return s;
}

void tst_MessageQuery::matches_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<bool>("expected");
    QTest::newRow("empty") << QString() << true;
    QTest::newRow("word in subject") << QStringLiteral("weekly") << true;
    QTest::newRow("unicode case") << QStringLiteral("été") << true;
    QTest::newRow("two words") << QStringLiteral("weekly alice") << true;
    QTest::newRow("missing word") << QStringLiteral("weekly carol") << false;
    QTest::newRow("from header") << QStringLiteral("from:alice") << true;
    QTest::newRow("from envelope") << QStringLiteral("from:bounce@mailer") << true;
    QTest::newRow("from wrong") << QStringLiteral("from:bob") << false;
    QTest::newRow("to bcc envelope") << QStringLiteral("to:hidden-bcc") << true;
    QTest::newRow("plain word finds bcc") << QStringLiteral("hidden-bcc") << true;
    QTest::newRow("subject phrase") << QStringLiteral("subject:\"weekly report\"") << true;
    QTest::newRow("subject phrase wrong order") << QStringLiteral("subject:\"report weekly\"") << false;
    QTest::newRow("is unread") << QStringLiteral("is:unread") << true;
    QTest::newRow("is read") << QStringLiteral("is:read") << false;
    QTest::newRow("negated word") << QStringLiteral("-weekly") << false;
    QTest::newRow("negated other") << QStringLiteral("!carol") << true;
    QTest::newRow("has attachment") << QStringLiteral("has:attachment") << true;
    QTest::newRow("prefix case") << QStringLiteral("FROM:ALICE") << true;
}

void tst_MessageQuery::matches()
{
    QFETCH(QString, query);
    QFETCH(bool, expected);
    QCOMPARE(MessageQuery::parse(query).matches(sample()), expected);
}

QTEST_GUILESS_MAIN(tst_MessageQuery)
#include "tst_messagequery.moc"
