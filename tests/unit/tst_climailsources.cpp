#include "cli/MailSources.h"

#include <QTest>

// What `smtpeek ingest` reads out of an mbox, and what it refuses to take as a message.
class tst_CliMailSources : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void splitMbox_data();
    void splitMbox();
    void messageProblem_data();
    void messageProblem();
};

void tst_CliMailSources::splitMbox_data()
{
    QTest::addColumn<QByteArray>("mbox");
    QTest::addColumn<QList<QByteArray>>("messages");
    QTest::addColumn<QList<QByteArray>>("senders");
    using L = QList<QByteArray>;
    const QByteArray from1 = "From a@x.test Thu Dec  3 10:00:00 2026\n";
    const QByteArray from2 = "From MAILER-DAEMON Thu Dec  3 10:00:01 2026\n";
    QTest::newRow("two entries, as dump writes them")
        << from1 + "S: 1\r\n\r\none\r\n\n" + from2 + "S: 2\r\n\r\ntwo\r\n\n"
        << L{"S: 1\r\n\r\none\r\n", "S: 2\r\n\r\ntwo\r\n"} << L{"a@x.test", ""};
    QTest::newRow("mboxrd quoting loses one '>'")
        << from1 + "S: q\r\n\r\n>From a\r\n>>From b\r\n>Fromage\r\n\n"
        << L{"S: q\r\n\r\nFrom a\r\n>From b\r\n>Fromage\r\n"} << L{"a@x.test"};
    QTest::newRow("a From line not after an empty line is body text")
        << from1 + "S: b\n\ntext\nFrom here on\n\n" << L{"S: b\n\ntext\nFrom here on\n"}
        << L{"a@x.test"};
    QTest::newRow("CRLF lines and no final empty line")
        << QByteArray("From a@x.test Thu\r\nS: c\r\n\r\nbody\r\n\r\nFrom b@x.test Thu\r\nS: d\r\n\r\nlast\r\n")
        << L{"S: c\r\n\r\nbody\r\n", "S: d\r\n\r\nlast\r\n"} << L{"a@x.test", "b@x.test"};
    QTest::newRow("not an mbox") << QByteArray("S: x\r\n\r\n") << L{} << L{};
}

void tst_CliMailSources::splitMbox()
{
    QFETCH(QByteArray, mbox);
    QFETCH(QList<QByteArray>, messages);
    QFETCH(QList<QByteArray>, senders);
    const QList<FoundMessage> found = ::splitMbox(mbox, QStringLiteral("m"));
    QCOMPARE(found.size(), messages.size());
    for (qsizetype i = 0; i < found.size(); ++i) {
        QCOMPARE(found[i].raw, messages[i]);
        QCOMPARE(found[i].envelopeFrom, senders[i]);
        QCOMPARE(found[i].origin, QStringLiteral("m#%1").arg(i + 1));
    }
}

void tst_CliMailSources::messageProblem_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("problem"); // a word of it; empty: a message
    QTest::newRow("a message") << QByteArray("Subject: x\r\n\r\nbody\r\n") << QString();
    QTest::newRow("header only, ended") << QByteArray("Subject: x\n\n") << QString();
    QTest::newRow("empty") << QByteArray(" \r\n") << QStringLiteral("empty");
    QTest::newRow("text, not a header") << QByteArray("hello world: x\r\n\r\n")
                                        << QStringLiteral("no header");
    QTest::newRow("truncated") << QByteArray("Subject: x\r\nTo: y") << QStringLiteral("truncated");
}

void tst_CliMailSources::messageProblem()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, problem);
    const QString found = ::messageProblem(raw);
    if (problem.isEmpty())
        QVERIFY2(found.isEmpty(), qPrintable(found));
    else
        QVERIFY2(found.contains(problem), qPrintable(found));
}

QTEST_GUILESS_MAIN(tst_CliMailSources)
#include "tst_climailsources.moc"
