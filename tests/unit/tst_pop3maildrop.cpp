// POP3's pure parts: command lines, and messages as multi-line responses (RETR, TOP).
#include "pop3/Pop3Command.h"
#include "pop3/Pop3Maildrop.h"

#include <QTest>

class tst_Pop3Maildrop : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void commands_data();
    void commands();
    void multiline_data();
    void multiline();
    void deletions();
};

void tst_Pop3Maildrop::commands_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("verb");
    QTest::addColumn<QList<QByteArray>>("args");
    QTest::newRow("stat") << QByteArray("stat") << int(Pop3Command::Verb::Stat)
                          << QList<QByteArray>();
    QTest::newRow("top") << QByteArray("TOP 1 10") << int(Pop3Command::Verb::Top)
                         << QList<QByteArray>{"1", "10"};
    QTest::newRow("pass blanks") << QByteArray("PASS two words ") << int(Pop3Command::Verb::Pass)
                                 << QList<QByteArray>{"two words "};
    QTest::newRow("unknown") << QByteArray("APOP x y") << int(Pop3Command::Verb::Unknown)
                             << QList<QByteArray>{"x", "y"};
    QTest::newRow("empty") << QByteArray() << int(Pop3Command::Verb::Unknown)
                           << QList<QByteArray>();
}

void tst_Pop3Maildrop::commands()
{
    QFETCH(QByteArray, line);
    QFETCH(int, verb);
    QFETCH(QList<QByteArray>, args);
    const Pop3Command command = parsePop3Command(line);
    QCOMPARE(int(command.verb), verb);
    QCOMPARE(command.args, args);
    QCOMPARE(pop3MessageNumber("12"), 12);
    QCOMPARE(pop3MessageNumber("-1"), 0);
    QCOMPARE(pop3MessageNumber("1234567890"), 0);
}

void tst_Pop3Maildrop::multiline_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<qint64>("bodyLines");
    QTest::addColumn<QByteArray>("wire");
    const QByteArray message = "A: 1\r\n.B: 2\r\n\r\n.one\r\ntwo\r\n.\r\n";
    QTest::newRow("whole") << message << qint64(-1)
                           << QByteArray("A: 1\r\n..B: 2\r\n\r\n..one\r\ntwo\r\n..\r\n.\r\n");
    QTest::newRow("top 0") << message << qint64(0) << QByteArray("A: 1\r\n..B: 2\r\n\r\n.\r\n");
    QTest::newRow("top 1") << message << qint64(1)
                           << QByteArray("A: 1\r\n..B: 2\r\n\r\n..one\r\n.\r\n");
    QTest::newRow("top beyond") << message << qint64(99)
                                << QByteArray("A: 1\r\n..B: 2\r\n\r\n..one\r\ntwo\r\n..\r\n.\r\n");
    QTest::newRow("no final crlf")
        << QByteArray("A: 1\r\n\r\nx") << qint64(-1) << QByteArray("A: 1\r\n\r\nx\r\n.\r\n");
    QTest::newRow("bare lf kept") << QByteArray("A: 1\n\n.x\n") << qint64(-1)
                                  << QByteArray("A: 1\n\n..x\n\r\n.\r\n");
    QTest::newRow("empty") << QByteArray() << qint64(-1) << QByteArray(".\r\n");
}

void tst_Pop3Maildrop::multiline()
{
    QFETCH(QByteArray, raw);
    QFETCH(qint64, bodyLines);
    QFETCH(QByteArray, wire);
    QCOMPARE(Pop3Maildrop::multiline(raw, bodyLines), wire);
}

void tst_Pop3Maildrop::deletions()
{
    Pop3Maildrop drop({{7, 100, false}, {9, 50, false}});
    QCOMPARE(drop.count(), 2);
    QCOMPARE(drop.totalSize(), 150);
    QVERIFY(drop.markDeleted(2));
    QVERIFY(!drop.markDeleted(2));
    QVERIFY(!drop.markDeleted(3));
    QVERIFY(!drop.entry(0));
    QCOMPARE(drop.count(), 1);
    QCOMPARE(drop.deletedIds(), QList<qint64>{9});
    drop.undeleteAll();
    QCOMPARE(drop.totalSize(), 150);
}

QTEST_GUILESS_MAIN(tst_Pop3Maildrop)
#include "tst_pop3maildrop.moc"
