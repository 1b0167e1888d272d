#include "relay/RelayClient.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

namespace {
// A loopback upstream that answers each command from a script: the reply to a verb, and the
// extensions its EHLO offers. It keeps every line and byte it was sent.
class ScriptedUpstream : public QTcpServer
{
public:
    QList<QByteArray> extensions;
    QMap<QByteArray, QByteArray> replies; // verb -> reply line(s), overriding the defaults
    QByteArray received;
    int connections = 0;

    ScriptedUpstream()
    {
        listen(QHostAddress::LocalHost, 0);
        connect(this, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = nextPendingConnection();
            ++connections;
            socket->write("220 scripted.test ESMTP\r\n");
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { serve(socket); });
        });
    }

private:
    void serve(QTcpSocket *socket)
    {
        const QByteArray bytes = socket->readAll();
        received += bytes;
        m_buffer += bytes;
        while (true) {
            if (m_chunkLeft > 0) {
                const qsizetype take = std::min<qsizetype>(m_chunkLeft, m_buffer.size());
                m_buffer.remove(0, take);
                m_chunkLeft -= take;
                if (m_chunkLeft > 0)
                    return;
                socket->write("250 2.0.0 chunk ok\r\n");
            }
            const qsizetype lf = m_buffer.indexOf("\r\n");
            if (lf < 0)
                return;
            const QByteArray line = m_buffer.left(lf);
            m_buffer.remove(0, lf + 2);
            if (m_inData) {
                if (line == ".") {
                    m_inData = false;
                    socket->write(reply("DOT", "250 2.0.0 queued"));
                }
                continue;
            }
            const QByteArray verb = line.split(' ').value(0).toUpper();
            if (verb == "EHLO" && !replies.contains("EHLO")) {
                QByteArray text = "250-scripted.test\r\n";
                for (const QByteArray &extension : std::as_const(extensions))
                    text += "250-" + extension + "\r\n";
                text += "250 HELP\r\n";
                socket->write(text);
            } else if (verb == "DATA") {
                const QByteArray answer = reply("DATA", "354 go on");
                m_inData = answer.startsWith("354");
                socket->write(answer);
            } else if (verb == "BDAT") {
                m_chunkLeft = line.split(' ').value(1).toLongLong();
            } else if (m_authStep > 0 || verb == "AUTH") {
                // LOGIN: two prompts, then success; PLAIN with an initial response: success.
                const bool more = verb == "AUTH" ? !line.contains("PLAIN") : m_authStep < 2;
                m_authStep = more ? m_authStep + 1 : 0;
                socket->write(more ? "334 VXNlcm5hbWU6\r\n" : "235 2.7.0 ok\r\n");
            } else if (verb == "QUIT") {
                socket->write("221 bye\r\n");
                socket->disconnectFromHost();
            } else {
                socket->write(reply(verb, "250 2.0.0 ok"));
            }
        }
    }

    QByteArray reply(const QByteArray &verb, const QByteArray &fallback) const
    {
        return replies.value(verb, fallback) + "\r\n";
    }

    QByteArray m_buffer;
    bool m_inData = false;
    qint64 m_chunkLeft = 0;
    int m_authStep = 0;
};

OutgoingMessage message(const QByteArray &data, QList<QByteArray> recipients = {"r@x.test"})
{
    MessageRecord record;
    record.envelope.mailFrom = "s@x.test";
    record.raw = data;
    return OutgoingMessage::prepare(record, recipients, {}, 0);
}
} // namespace

class tst_RelayClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void conversation_data();
    void conversation();
    void connectionTest();
    void connectionReused_data();
    void connectionReused();
};

void tst_RelayClient::conversation_data()
{
    QTest::addColumn<QList<QByteArray>>("extensions");
    QTest::addColumn<QMap<QByteArray, QByteArray>>("replies");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QByteArray>("user");
    QTest::addColumn<int>("result");
    QTest::addColumn<QList<QByteArray>>("sent");    // each must be in what the upstream got
    QTest::addColumn<QList<QByteArray>>("notSent"); // none may be

    using L = QList<QByteArray>;
    using R = QMap<QByteArray, QByteArray>;
    const QByteArray plain = "Subject: x\r\n\r\n.dot\r\n";
    const int delivered = int(DeliveryAttempt::Result::Delivered);
    QTest::newRow("HELO fallback")
        << L{} << R{{"EHLO", "502 5.5.1 no"}} << plain << QByteArray() << delivered
        << L{"HELO ", "MAIL FROM:<s@x.test>\r\n", "\r\n..dot\r\n.\r\n"} << L{"SIZE="};
    QTest::newRow("size and 8bitmime")
        << L{"SIZE 1000", "8BITMIME"} << R{} << QByteArray("S: x\r\n\r\n\xc3\xa9\r\n")
        << QByteArray() << delivered << L{"SIZE=12 BODY=8BITMIME"} << L{"BDAT"};
    QTest::newRow("BDAT for a bare LF")
        << L{"CHUNKING"} << R{} << QByteArray("S: x\n\nbody\n") << QByteArray() << delivered
        << L{"BDAT 11 LAST\r\nS: x\n\nbody\n"} << L{"DATA"};
    QTest::newRow("AUTH LOGIN in clear when asked")
        << L{"AUTH LOGIN"} << R{} << plain << QByteArray("u") << delivered
        << L{"AUTH LOGIN\r\n", QByteArray("u").toBase64() + "\r\n",
             QByteArray("pw").toBase64() + "\r\n"}
        << L{};
    QTest::newRow("AUTH PLAIN preferred over LOGIN")
        << L{"AUTH LOGIN PLAIN"} << R{} << plain << QByteArray("u") << delivered
        << L{"AUTH PLAIN " + QByteArray("\0u\0pw", 5).toBase64()} << L{"AUTH LOGIN"};
    QTest::newRow("recipient refused for good")
        << L{} << R{{"RCPT", "550 5.1.1 no"}} << plain << QByteArray()
        << int(DeliveryAttempt::Result::PermanentFailure) << L{"RCPT TO:<r@x.test>"} << L{"DATA"};
    QTest::newRow("data refused for now")
        << L{} << R{{"DOT", "451 4.3.0 later"}} << plain << QByteArray()
        << int(DeliveryAttempt::Result::TemporaryFailure) << L{"DATA\r\n"} << L{};
    QTest::newRow("greeting refused")
        << L{} << R{{"EHLO", "554 5.7.1 go away"}} << plain << QByteArray()
        << int(DeliveryAttempt::Result::PermanentFailure) << L{} << L{"MAIL"};
}

void tst_RelayClient::conversation()
{
    QFETCH(QList<QByteArray>, extensions);
    using Replies = QMap<QByteArray, QByteArray>;
    QFETCH(Replies, replies);
    QFETCH(QByteArray, data);
    QFETCH(QByteArray, user);
    QFETCH(int, result);
    QFETCH(QList<QByteArray>, sent);
    QFETCH(QList<QByteArray>, notSent);

    ScriptedUpstream upstream;
    upstream.extensions = extensions;
    upstream.replies = replies;
    RelayTarget target;
    target.host = QStringLiteral("127.0.0.1");
    target.port = upstream.serverPort();
    target.tls = RelayTarget::Tls::Off;
    target.user = QString::fromLatin1(user);
    target.password = QStringLiteral("pw");
    target.heloName = "relay.test";
    RelayClient client(target, message(data));
    QSignalSpy finished(&client, &RelayClient::finished);
    client.start();
    QVERIFY(finished.wait(10000));
    const DeliveryAttempt attempt = client.attempt();
    QCOMPARE(int(attempt.result), result);
    for (const QByteArray &text : sent)
        QVERIFY2(upstream.received.contains(text), upstream.received.constData());
    for (const QByteArray &text : notSent)
        QVERIFY2(!upstream.received.contains(text), upstream.received.constData());
    QByteArray transcript;
    for (const TranscriptEntry &entry : attempt.transcript)
        transcript += entry.bytes;
    QVERIFY2(!transcript.contains(QByteArray("pw").toBase64()), transcript.constData());
    QVERIFY(!attempt.insecure);
}

// No recipients: EHLO and QUIT only, and the capabilities are known.
void tst_RelayClient::connectionTest()
{
    ScriptedUpstream upstream;
    upstream.extensions = {"PIPELINING", "SIZE 500"};
    RelayTarget target;
    target.host = QStringLiteral("127.0.0.1");
    target.port = upstream.serverPort();
    RelayClient client(target, message("x", {}));
    QSignalSpy finished(&client, &RelayClient::finished);
    client.start();
    QVERIFY(finished.wait(10000));
    QCOMPARE(client.attempt().result, DeliveryAttempt::Result::Delivered);
    QVERIFY(client.capabilities().pipelining);
    QCOMPARE(client.capabilities().maxSize, 500);
    QVERIFY(!upstream.received.contains("MAIL"));
    QVERIFY(upstream.received.contains("QUIT"));
}

void tst_RelayClient::connectionReused_data()
{
    QTest::addColumn<QList<QByteArray>>("extensions");
    QTest::addColumn<QByteArray>("rcptReply");
    QTest::addColumn<bool>("reset"); // an RSET before the second message
    QTest::newRow("after a delivery") << QList<QByteArray>{} << QByteArray() << false;
    QTest::newRow("pipelined, after a delivery")
        << QList<QByteArray>{"PIPELINING"} << QByteArray() << false;
    QTest::newRow("after every recipient was refused")
        << QList<QByteArray>{} << QByteArray("550 5.1.1 no") << true;
    QTest::newRow("pipelined, after every recipient was refused")
        << QList<QByteArray>{"PIPELINING"} << QByteArray("550 5.1.1 no") << false;
}

// Three messages over one connection: each its own attempt and transcript, one QUIT at the end.
void tst_RelayClient::connectionReused()
{
    QFETCH(QList<QByteArray>, extensions);
    QFETCH(QByteArray, rcptReply);
    QFETCH(bool, reset);
    ScriptedUpstream upstream;
    upstream.extensions = extensions;
    if (!rcptReply.isEmpty())
        upstream.replies.insert("RCPT", rcptReply);
    RelayTarget target;
    target.host = QStringLiteral("127.0.0.1");
    target.port = upstream.serverPort();
    target.tls = RelayTarget::Tls::Off;
    RelayClient client(target, message("Subject: 1\r\n\r\none\r\n", {"a@x.test"}));
    QList<OutgoingMessage> more{message("Subject: 2\r\n\r\ntwo\r\n", {"b@x.test"}),
                                message("Subject: 3\r\n\r\nthree\r\n", {"c@x.test"})};
    client.setNextMessage([&more]() -> std::optional<OutgoingMessage> {
        if (more.isEmpty())
            return std::nullopt;
        return more.takeFirst();
    });
    QSignalSpy finished(&client, &RelayClient::finished);
    QSignalSpy closed(&client, &RelayClient::closed);
    client.start();
    QVERIFY(closed.wait(10000));
    QCOMPARE(finished.size(), 3);
    QCOMPARE(upstream.connections, 1);
    QCOMPARE(upstream.received.count("EHLO"), 1);
    QCOMPARE(upstream.received.count("QUIT"), 1);
    QCOMPARE(upstream.received.count("RSET"), reset ? 2 : 0);
    const auto expected = rcptReply.isEmpty() ? DeliveryAttempt::Result::Delivered
                                              : DeliveryAttempt::Result::PermanentFailure;
    const QList<QByteArray> recipients{"a@x.test", "b@x.test", "c@x.test"};
    for (int i = 0; i < 3; ++i) {
        const auto attempt = finished.at(i).at(0).value<DeliveryAttempt>();
        QCOMPARE(attempt.result, expected);
        QCOMPARE(attempt.recipients.value(0).address, recipients.at(i));
        QByteArray transcript;
        for (const TranscriptEntry &entry : attempt.transcript)
            transcript += entry.bytes;
        QVERIFY2(transcript.contains("RCPT TO:<" + recipients.at(i) + '>'), transcript.constData());
        QCOMPARE(transcript.contains("EHLO"), i == 0);
        QCOMPARE(transcript.contains("reused: message " + QByteArray::number(i + 1)), i > 0);
    }
    if (rcptReply.isEmpty())
        QVERIFY(upstream.received.contains("two\r\n.\r\n"));
}

QTEST_GUILESS_MAIN(tst_RelayClient)
#include "tst_relayclient.moc"
