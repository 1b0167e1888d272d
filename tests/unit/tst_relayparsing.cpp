#include "protocol/SmtpReply.h"
#include "relay/OutgoingMessage.h"
#include "relay/RecipientRules.h"
#include "relay/UpstreamCapabilities.h"

#include <QTest>

// What the outbound client reads and prepares, as pure functions over bytes.
class tst_RelayParsing : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replies_data();
    void replies();
    void ehlo_data();
    void ehlo();
    void headerEdits_data();
    void headerEdits();
    void dotStuffing_data();
    void dotStuffing();
    void needs_data();
    void needs();
    void recipients_data();
    void recipients();
};

void tst_RelayParsing::replies_data()
{
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<int>("code");
    QTest::addColumn<QByteArray>("enhanced");
    QTest::addColumn<QByteArray>("text"); // SmtpReply::text(), or the problem when malformed

    using L = QList<QByteArray>;
    QTest::newRow("one line") << L{"250 2.1.0 Sender OK"} << 250 << QByteArray("2.1.0")
                              << QByteArray("250 2.1.0 Sender OK");
    QTest::newRow("no enhanced code")
        << L{"220 mail.test ESMTP"} << 220 << QByteArray() << QByteArray("220 mail.test ESMTP");
    QTest::newRow("multiline") << L{"250-mail.test", "250-PIPELINING", "250 SIZE 10"} << 250
                               << QByteArray() << QByteArray("250 mail.test PIPELINING SIZE 10");
    QTest::newRow("enhanced on every line")
        << L{"550-5.1.1 No such", "550 5.1.1 user"} << 550 << QByteArray("5.1.1")
        << QByteArray("550 5.1.1 No such user");
    QTest::newRow("class mismatch is text")
        << L{"250 5.1.1 odd"} << 250 << QByteArray() << QByteArray("250 5.1.1 odd");
    QTest::newRow("bare code") << L{"354"} << 354 << QByteArray() << QByteArray("354");
    QTest::newRow("garbage") << L{"HELLO there"} << 0 << QByteArray()
                             << QByteArray("not an SMTP reply: \"HELLO there\"");
    QTest::newRow("code out of range") << L{"999 what"} << 0 << QByteArray()
                                       << QByteArray("reply code out of range: \"999 what\"");
    QTest::newRow("code changes") << L{"250-a", "550 b"} << 0 << QByteArray()
                                  << QByteArray("reply code changed within a multiline reply: "
                                                "\"550 b\"");
    QTest::newRow("no separator") << L{"250x"} << 0 << QByteArray()
                                  << QByteArray("not an SMTP reply: \"250x\"");
}

void tst_RelayParsing::replies()
{
    QFETCH(QList<QByteArray>, lines);
    QFETCH(int, code);
    QFETCH(QByteArray, enhanced);
    QFETCH(QByteArray, text);
    ReplyReader reader;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const ReplyReader::Result result = reader.add(lines[i]);
        if (result == ReplyReader::Result::Malformed) {
            QCOMPARE(code, 0);
            QCOMPARE(reader.problem(), text);
            return;
        }
        QCOMPARE(result, i + 1 < lines.size() ? ReplyReader::Result::NeedMore
                                              : ReplyReader::Result::Complete);
    }
    const SmtpReply reply = reader.take();
    QCOMPARE(reply.code, code);
    QCOMPARE(reply.enhanced, enhanced);
    QCOMPARE(reply.text(), text);
}

void tst_RelayParsing::ehlo_data()
{
    QTest::addColumn<QList<QByteArray>>("lines");
    QTest::addColumn<QByteArray>("expected"); // a summary of the capabilities

    using L = QList<QByteArray>;
    QTest::newRow("smtpeek")
        << L{"mail.test greets x", "SIZE 26214400", "8BITMIME", "PIPELINING",
             "SMTPUTF8",           "CHUNKING",      "STARTTLS", "AUTH PLAIN LOGIN CRAM-MD5"}
        << QByteArray("size=26214400 8bit utf8 pipe chunk tls auth=PLAIN,LOGIN,CRAM-MD5 "
                      "best=CRAM-MD5");
    QTest::newRow("nothing") << L{"mail.test"} << QByteArray("size=0 best=");
    QTest::newRow("size without a limit") << L{"m", "SIZE"} << QByteArray("size=0 best=");
    QTest::newRow("old AUTH= form, lower case")
        << L{"m", "auth=login", "AUTH PLAIN"} << QByteArray("size=0 auth=LOGIN,PLAIN best=PLAIN");
    QTest::newRow("unknown mechanisms only")
        << L{"m", "AUTH XOAUTH2 GSSAPI"} << QByteArray("size=0 auth=XOAUTH2,GSSAPI best=");
    QTest::newRow("binarymime") << L{"m", "BINARYMIME", "CHUNKING"}
                                << QByteArray("size=0 chunk binary best=");
}

void tst_RelayParsing::ehlo()
{
    QFETCH(QList<QByteArray>, lines);
    QFETCH(QByteArray, expected);
    const UpstreamCapabilities caps = UpstreamCapabilities::fromEhlo(SmtpReply{250, {}, lines});
    QByteArray summary = "size=" + QByteArray::number(caps.maxSize);
    for (const auto &[on, name] :
         {std::pair{caps.eightBitMime, "8bit"}, std::pair{caps.smtpUtf8, "utf8"},
          std::pair{caps.pipelining, "pipe"}, std::pair{caps.chunking, "chunk"},
          std::pair{caps.binaryMime, "binary"}, std::pair{caps.startTls, "tls"}}) {
        if (on)
            summary += QByteArray(" ") + name;
    }
    if (!caps.authMechanisms.isEmpty())
        summary += " auth=" + caps.authMechanisms.join(',');
    const auto best = caps.strongestAuth();
    const QList<QByteArray> names = {"PLAIN", "LOGIN", "CRAM-MD5"};
    summary += " best=" + (best ? names[int(*best)] : QByteArray());
    QCOMPARE(summary, expected);
}

void tst_RelayParsing::headerEdits_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("returnPath");
    QTest::addColumn<QByteArray>("expected");

    QTest::newRow("bcc removed, body untouched")
        << QByteArray("To: a@b\r\nBcc: c@d\r\nSubject: s\r\n\r\nBcc: in the body\r\n")
        << QByteArray() << QByteArray("To: a@b\r\nSubject: s\r\n\r\nBcc: in the body\r\n");
    QTest::newRow("folded bcc, any case")
        << QByteArray("BCC: c@d,\r\n\te@f\r\nTo: a@b\r\n\r\nx\r\n") << QByteArray()
        << QByteArray("To: a@b\r\n\r\nx\r\n");
    QTest::newRow("every bcc") << QByteArray("Bcc: a\r\nX: 1\r\nbcc : b\r\n\r\n") << QByteArray()
                               << QByteArray("X: 1\r\n\r\n");
    QTest::newRow("no bcc: byte-exact") << QByteArray("X: 1\r\nY:  2 \r\n\r\nbody") << QByteArray()
                                        << QByteArray("X: 1\r\nY:  2 \r\n\r\nbody");
    QTest::newRow("return-path replaced")
        << QByteArray("Return-Path: <old@x>\r\nTo: a\r\n\r\nb\r\n") << QByteArray("new@y")
        << QByteArray("Return-Path: <new@y>\r\nTo: a\r\n\r\nb\r\n");
    QTest::newRow("LF message keeps LF")
        << QByteArray("To: a\nBcc: b\n\nbody\n") << QByteArray("r@p")
        << QByteArray("Return-Path: <r@p>\nTo: a\n\nbody\n");
    QTest::newRow("headers only, no body")
        << QByteArray("To: a\r\nBcc: b\r\n") << QByteArray() << QByteArray("To: a\r\n");
    QTest::newRow("empty") << QByteArray() << QByteArray() << QByteArray();
}

void tst_RelayParsing::headerEdits()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, returnPath);
    QFETCH(QByteArray, expected);
    MessageRecord message;
    message.raw = raw;
    message.envelope.mailFrom = "captured@x";
    RelaySettings settings;
    settings.returnPath = returnPath;
    const OutgoingMessage out = OutgoingMessage::prepare(message, {"r@x"}, settings, 0);
    QCOMPARE(out.data, expected);
    QCOMPARE(out.mailFrom, returnPath.isEmpty() ? QByteArray("captured@x") : returnPath);
}

void tst_RelayParsing::dotStuffing_data()
{
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("wire");
    QTest::newRow("plain") << QByteArray("a\r\nb\r\n") << QByteArray("a\r\nb\r\n.\r\n");
    QTest::newRow("leading dots") << QByteArray(".a\r\n..b\r\n.\r\n")
                                  << QByteArray("..a\r\n...b\r\n..\r\n.\r\n");
    QTest::newRow("dot inside a line") << QByteArray("a.b\r\n") << QByteArray("a.b\r\n.\r\n");
    QTest::newRow("no final CRLF") << QByteArray("a") << QByteArray("a\r\n.\r\n");
    QTest::newRow("bare LF is not a line end")
        << QByteArray("a\n.b\r\n") << QByteArray("a\n.b\r\n.\r\n");
    QTest::newRow("empty") << QByteArray() << QByteArray(".\r\n");
}

void tst_RelayParsing::dotStuffing()
{
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, wire);
    QCOMPARE(dotStuffed(data), wire);
}

void tst_RelayParsing::needs_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("recipient");
    QTest::addColumn<bool>("smtpUtf8Envelope");
    QTest::addColumn<QByteArray>("needs");

    QTest::newRow("ascii") << QByteArray("A: b\r\n\r\nc\r\n") << QByteArray("r@x") << false
                           << QByteArray("");
    QTest::newRow("8-bit body") << QByteArray("A: b\r\n\r\n\xc3\xa9\r\n") << QByteArray("r@x")
                                << false << QByteArray("8bit");
    QTest::newRow("utf-8 recipient")
        << QByteArray("A: b\r\n\r\nc\r\n") << QByteArray("j\xc3\xbcrgen@x") << false
        << QByteArray("utf8");
    QTest::newRow("captured with SMTPUTF8")
        << QByteArray("A: b\r\n\r\nc\r\n") << QByteArray("r@x") << true << QByteArray("utf8");
    QTest::newRow("bare LF") << QByteArray("A: b\n\nc\n") << QByteArray("r@x") << false
                             << QByteArray("chunking");
    QTest::newRow("no final CRLF")
        << QByteArray("A: b\r\n\r\nc") << QByteArray("r@x") << false << QByteArray("chunking");
}

void tst_RelayParsing::needs()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, recipient);
    QFETCH(bool, smtpUtf8Envelope);
    QFETCH(QByteArray, needs);
    MessageRecord message;
    message.raw = raw;
    message.envelope.smtpUtf8 = smtpUtf8Envelope;
    const OutgoingMessage out = OutgoingMessage::prepare(message, {recipient}, {}, 0);
    QByteArray found;
    if (out.eightBit)
        found += "8bit";
    if (out.smtpUtf8)
        found += "utf8";
    if (out.needsChunking)
        found += "chunking";
    QCOMPARE(found, needs);
}

void tst_RelayParsing::recipients_data()
{
    QTest::addColumn<QByteArray>("address");
    QTest::addColumn<QString>("problem"); // a part of it; empty: allowed

    QTest::newRow("allowed") << QByteArray("dev@example.org") << QString();
    QTest::newRow("case-insensitive") << QByteArray("Dev@EXAMPLE.org") << QString();
    QTest::newRow("not allowed") << QByteArray("dev@other.test") << "not an allowed recipient";
    QTest::newRow("blocked") << QByteArray("ceo@example.org") << "is a blocked recipient";
    QTest::newRow("no domain") << QByteArray("dev@") << "not an email address";
    QTest::newRow("no at") << QByteArray("dev") << "not an email address";
    QTest::newRow("space") << QByteArray("a b@example.org") << "not an email address";
    QTest::newRow("brackets") << QByteArray("<a@example.org>") << "not an email address";
    QTest::newRow("CRLF injection")
        << QByteArray("a@example.org\r\nRCPT TO:<x@y>") << "not an email address";
}

void tst_RelayParsing::recipients()
{
    QFETCH(QByteArray, address);
    QFETCH(QString, problem);
    const RecipientRules rules(QStringLiteral("@example\\.org$"), QStringLiteral("^ceo@"));
    const QString found = rules.problem(address);
    if (problem.isEmpty())
        QVERIFY2(found.isEmpty(), qPrintable(found));
    else
        QVERIFY2(found.contains(problem), qPrintable(found));
}

QTEST_GUILESS_MAIN(tst_RelayParsing)
#include "tst_relayparsing.moc"
