#include "protocol/SmtpReply.h"

#include <QTest>

Q_DECLARE_METATYPE(SmtpReply)

class tst_SmtpReply : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wire_data();
    void wire();
    void catalogue_data();
    void catalogue();
};

void tst_SmtpReply::wire_data()
{
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("enhanced");
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<QByteArray>("wire");

    QTest::newRow("single") << 250 << QByteArray("2.0.0") << QList<QByteArray>{"Ok"}
                            << QByteArray("250 2.0.0 Ok\r\n");
    QTest::newRow("no enhanced") << 220 << QByteArray() << QList<QByteArray>{"host ESMTP"}
                                 << QByteArray("220 host ESMTP\r\n");
    QTest::newRow("multiline") << 250 << QByteArray() << QList<QByteArray>{"host", "SIZE 10", "HELP"}
                               << QByteArray("250-host\r\n250-SIZE 10\r\n250 HELP\r\n");
    QTest::newRow("multiline enhanced") << 214 << QByteArray("2.0.0") << QList<QByteArray>{"a", "b"}
                                        << QByteArray("214-2.0.0 a\r\n214 2.0.0 b\r\n");
    QTest::newRow("control bytes") << 250 << QByteArray() << QList<QByteArray>{QByteArray("a\rb\0c\xff\n", 7)}
                                   << QByteArray("250 a?b?c??\r\n");
    QTest::newRow("no text") << 250 << QByteArray("2.0.0") << QList<QByteArray>{}
                             << QByteArray("250 2.0.0\r\n");
}

void tst_SmtpReply::wire()
{
    QFETCH(int, code);
    QFETCH(QByteArray, enhanced);
    QFETCH(QList<QByteArray>, lines);
    QFETCH(QByteArray, wire);
    QCOMPARE((SmtpReply{code, enhanced, lines}.toWire()), wire);
}

void tst_SmtpReply::catalogue_data()
{
    QTest::addColumn<SmtpReply>("reply");
    QTest::addColumn<QByteArray>("start");

    QTest::newRow("greeting") << Reply::greeting("mx.test") << QByteArray("220 mx.test ESMTP smtpeek\r\n");
    QTest::newRow("queued") << Reply::queued(42) << QByteArray("250 2.0.0 Ok: queued as 42\r\n");
    QTest::newRow("bye") << Reply::bye() << QByteArray("221 2.0.0 Bye\r\n");
    QTest::newRow("shutdown") << Reply::shuttingDown() << QByteArray("421 4.3.0 shutting down\r\n");
    QTest::newRow("sequence") << Reply::badSequence("x") << QByteArray("503 5.5.1 Bad sequence of commands");
    QTest::newRow("too long") << Reply::lineTooLong() << QByteArray("500 5.5.2 ");
    QTest::newRow("too big") << Reply::messageTooBig(10) << QByteArray("552 5.3.4 ");
    QTest::newRow("recipients") << Reply::tooManyRecipients() << QByteArray("452 4.5.3 ");
    QTest::newRow("errors") << Reply::tooManyErrors() << QByteArray("421 4.7.0 ");
    QTest::newRow("idle") << Reply::idleTimeout() << QByteArray("421 4.4.2 ");
    QTest::newRow("sessions") << Reply::tooManySessions("h") << QByteArray("421 4.3.2 ");
    QTest::newRow("strict") << Reply::lineTooLongInData() << QByteArray("554 5.6.0 ");
    QTest::newRow("data") << Reply::startData() << QByteArray("354 ");
    QTest::newRow("vrfy") << Reply::vrfy() << QByteArray("252 2.5.0 ");
}

void tst_SmtpReply::catalogue()
{
    QFETCH(SmtpReply, reply);
    QFETCH(QByteArray, start);
    QVERIFY2(reply.toWire().startsWith(start), reply.toWire().constData());
    QVERIFY(reply.toWire().endsWith("\r\n"));
}

QTEST_GUILESS_MAIN(tst_SmtpReply)
#include "tst_smtpreply.moc"
