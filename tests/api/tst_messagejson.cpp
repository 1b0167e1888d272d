#include "MessageJson.h"
#include "SessionJson.h"
#include "SummaryFields.h"

#include "mime/MimeRuntime.h"

#include <QJsonDocument>
#include <QTest>

namespace {
const MimeRuntime mimeRuntime;

MailAddress address(const QString &name, const QString &addr)
{
    return {name, addr, QString()};
}

const QByteArray kMultipart = "From: \"Doe, Jane\" <jane@example.org>\r\n"
                              "To: team@example.net\r\n"
                              "Bcc: boss@example.net\r\n"
                              "Subject: =?UTF-8?B?UmFwcG9ydCDDqXTDqQ==?=\r\n"
                              "Message-ID: <m1@example.org>\r\n"
                              "List-Unsubscribe: <mailto:u@example.org>, <https://x.example/u>\r\n"
                              "MIME-Version: 1.0\r\n"
                              "Content-Type: multipart/mixed; boundary=b\r\n"
                              "\r\n"
                              "--b\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n"
                              "\r\n"
                              "Body text\r\n"
                              "--b\r\n"
                              "Content-Type: image/png\r\n"
                              "Content-ID: <logo@x>\r\n"
                              "Content-Disposition: inline; filename=logo.png\r\n"
                              "Content-Transfer-Encoding: base64\r\n"
                              "\r\n"
                              "iVBORw0K\r\n"
                              "--b\r\n"
                              "Content-Type: application/pdf\r\n"
                              "Content-Disposition: attachment; filename=\"a.pdf\"\r\n"
                              "\r\n"
                              "PDF\r\n"
                              "--b--\r\n";
} // namespace

class tst_MessageJson : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void blindRecipientsAddsEnvelopeOnly();
    void summaryShape();
    void messageShape();
    void canonicalHeaderName_data();
    void canonicalHeaderName();
    void headersUnfoldAndGroup();
    void snippet_data();
    void snippet();
    void sessionShape();
    void transcriptText();
};

void tst_MessageJson::blindRecipientsAddsEnvelopeOnly()
{
    const QList<MailAddress> to = {
        address(QStringLiteral("Bob"), QStringLiteral("Bob@Example.net"))};
    const QList<MailAddress> bcc = {address(QString(), QStringLiteral("header-bcc@example.net"))};
    const QList<MailAddress> result = blindRecipients(
        to, {}, bcc,
        {"bob@example.net", "hidden@example.net", "HIDDEN@example.net", "header-bcc@example.net"});
    QCOMPARE(result.size(), 2);
    QCOMPARE(result[0].address, QStringLiteral("header-bcc@example.net"));
    QCOMPARE(result[1].address, QStringLiteral("hidden@example.net"));
}

void tst_MessageJson::summaryShape()
{
    MessageSummary summary;
    summary.id = 12;
    summary.sessionId = 3;
    summary.receivedMs = 1700000000123;
    summary.size = 99;
    summary.headline.subject = QStringLiteral("Hi");
    summary.headline.messageId = QStringLiteral("x@y");
    summary.envelopeFrom = "";
    summary.envelopeTo = {"a@example.net"};
    SummaryFields fields;
    fields.snippet = QStringLiteral("snip");
    fields.attachments = 2;
    const QJsonObject json = summaryJson(summary, fields);
    QCOMPARE(json.value("ID").toString(), QStringLiteral("12"));
    QCOMPARE(json.value("Created").toString(), QStringLiteral("2023-11-14T22:13:20.123Z"));
    QCOMPARE(json.value("From").toObject(),
             QJsonObject({{"Name", QString()}, {"Address", QString()}}));
    QCOMPARE(json.value("To").toArray(), QJsonArray());
    QCOMPARE(json.value("Bcc").toArray().size(), 1); // the envelope-only recipient
    QCOMPARE(json.value("Attachments").toInt(), 2);
    QCOMPARE(json.value("Size").toInteger(), 99);
    QCOMPARE(json.value("Read").toBool(true), false);
    QCOMPARE(json.value("Tags").toArray(), QJsonArray());
    QCOMPARE(json.value("SessionID").toString(), QStringLiteral("3"));
    QCOMPARE(json.value("Envelope").toObject().value("From").toString(), QString());
}

void tst_MessageJson::messageShape()
{
    MessageRecord record;
    record.id = 5;
    record.receivedMs = 1700000000000;
    record.raw = kMultipart;
    record.envelope.mailFrom = "bounce@example.org";
    record.envelope.rcptTo = {"team@example.net", "boss@example.net", "cc-less@example.net"};
    record.authUser = QStringLiteral("app");
    const QJsonObject json = messageJson(record, decodeMessage(record.raw));
    QCOMPARE(json.value("From").toObject().value("Name").toString(), QStringLiteral("Doe, Jane"));
    QCOMPARE(json.value("Subject").toString(), QStringLiteral("Rapport été"));
    QCOMPARE(json.value("MessageID").toString(), QStringLiteral("m1@example.org"));
    QCOMPARE(json.value("ReturnPath").toString(), QStringLiteral("bounce@example.org"));
    QCOMPARE(json.value("Username").toString(), QStringLiteral("app"));
    QCOMPARE(json.value("Text").toString(), QStringLiteral("Body text"));
    const QJsonArray bcc = json.value("Bcc").toArray();
    QCOMPARE(bcc.size(), 2);
    QCOMPARE(bcc[1].toObject().value("Address").toString(), QStringLiteral("cc-less@example.net"));
    const QJsonArray inlineParts = json.value("Inline").toArray();
    QCOMPARE(inlineParts.size(), 1);
    QCOMPARE(inlineParts[0].toObject().value("ContentID").toString(), QStringLiteral("logo@x"));
    const QJsonArray attachments = json.value("Attachments").toArray();
    QCOMPARE(attachments.size(), 1);
    const QJsonObject pdf = attachments[0].toObject();
    QCOMPARE(pdf.value("FileName").toString(), QStringLiteral("a.pdf"));
    QCOMPARE(pdf.value("ContentType").toString(), QStringLiteral("application/pdf"));
    QCOMPARE(pdf.value("Size").toInt(), 3);
    QCOMPARE(pdf.value("Checksums").toObject().value("SHA1").toString(),
             QStringLiteral("d613d88cb2d86f484f6f82d44ac1fc60722abe20"));
    const QJsonObject unsubscribe = json.value("ListUnsubscribe").toObject();
    QCOMPARE(unsubscribe.value("Links").toArray(),
             QJsonArray({"mailto:u@example.org", "https://x.example/u"}));
    QCOMPARE(json.value("Date").toString(), QStringLiteral("2023-11-14T22:13:20.000Z"));
}

void tst_MessageJson::canonicalHeaderName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("canonical");
    QTest::newRow("lower") << "content-type"
                           << "Content-Type";
    QTest::newRow("upper") << "MESSAGE-ID"
                           << "Message-Id";
    QTest::newRow("x") << "x-mailer"
                       << "X-Mailer";
    QTest::newRow("single") << "subject"
                            << "Subject";
}

void tst_MessageJson::canonicalHeaderName()
{
    QFETCH(QString, name);
    QFETCH(QString, canonical);
    QCOMPARE(::canonicalHeaderName(name), canonical);
}

void tst_MessageJson::headersUnfoldAndGroup()
{
    const QByteArray raw = "Received: from a\r\n\tby b\r\nreceived: from c\r\n"
                           "Subject: =?UTF-8?Q?caf=C3=A9?=\r\n\r\nbody\r\n";
    const QJsonObject json = headersJson(decodeMessage(raw));
    QCOMPARE(json.value("Received").toArray(), QJsonArray({"from a by b", "from c"}));
    QCOMPARE(json.value("Subject").toArray(), QJsonArray({"=?UTF-8?Q?caf=C3=A9?="}));
}

void tst_MessageJson::snippet_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("snippet");
    QTest::newRow("text") << QByteArray("Subject: x\r\n\r\n  Hello\r\n\r\n  world  \r\n")
                          << QStringLiteral("Hello world");
    QTest::newRow("html only")
        << QByteArray("Content-Type: text/html\r\n\r\n<html><head><style>p{}</style></head>"
                      "<body><p>Caf&amp;&nbsp;bar</p><script>x()</script></body></html>\r\n")
        << QStringLiteral("Caf& bar");
    QTest::newRow("long") << QByteArray("Subject: x\r\n\r\n") + QByteArray(400, 'a')
                          << QString(kSnippetLength, u'a') + QStringLiteral("...");
}

void tst_MessageJson::snippet()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, snippet);
    QCOMPARE(messageSnippet(decodeMessage(raw)), snippet);
}

void tst_MessageJson::sessionShape()
{
    SessionRecord session;
    session.id = 9;
    session.peerAddress = QStringLiteral("127.0.0.1");
    session.peerPort = 40000;
    session.helo = "client.test";
    session.startedMs = 1700000000000;
    const QJsonObject active = sessionJson(session);
    QVERIFY(active.value("Ended").isNull());
    QVERIFY(active.value("TLS").isNull());
    QCOMPARE(active.value("State").toString(), QStringLiteral("active"));
    session.endedMs = 1700000001000;
    session.end = SessionEnd::Quit;
    session.tls = {QStringLiteral("TLSv1.3"), QStringLiteral("TLS_AES_256_GCM_SHA384")};
    const QJsonObject ended = sessionJson(session);
    QCOMPARE(ended.value("Ended").toString(), QStringLiteral("2023-11-14T22:13:21.000Z"));
    QCOMPARE(ended.value("TLS").toObject().value("Protocol").toString(), QStringLiteral("TLSv1.3"));
    QCOMPARE(ended.value("Peer").toObject().value("Port").toInt(), 40000);
}

void tst_MessageJson::transcriptText()
{
    const Transcript transcript = {
        {1700000000000, TranscriptEntry::Direction::Server, "220 hi\r\n"},
        {1700000000001, TranscriptEntry::Direction::Client, "EHLO x\r\n"},
        {1700000000002, TranscriptEntry::Direction::Server, "250-a\r\n250 b\r\n"},
    };
    QCOMPARE(::transcriptText(transcript), QByteArray("2023-11-14T22:13:20.000Z S: 220 hi\n"
                                                      "2023-11-14T22:13:20.001Z C: EHLO x\n"
                                                      "2023-11-14T22:13:20.002Z S: 250-a\n"
                                                      "2023-11-14T22:13:20.002Z S: 250 b\n"));
    const QJsonArray json = transcriptJson(transcript);
    QCOMPARE(json[1].toObject().value("Direction").toString(), QStringLiteral("client"));
    QCOMPARE(json[1].toObject().value("Text").toString(), QStringLiteral("EHLO x\r\n"));
}

QTEST_GUILESS_MAIN(tst_MessageJson)
#include "tst_messagejson.moc"
