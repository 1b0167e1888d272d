#include "SessionHarness.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

namespace {
// Answers one stage with a given verdict and proceeds at the others, noting what it was asked.
class ScriptedHooks : public StageHooks
{
public:
    struct Question
    {
        SmtpStage stage;
        QByteArray argument;
        QByteArray message;
    };

    ScriptedHooks(SmtpStage stage, StageVerdict verdict) : m_stage(stage), m_verdict(verdict) {}

    StageVerdict decide(const StageContext &context) override
    {
        asked.append({context.stage, context.argument,
                      context.message ? *context.message : QByteArray()});
        return context.stage == m_stage ? m_verdict : StageVerdict{};
    }

    QList<Question> asked;

private:
    SmtpStage m_stage;
    StageVerdict m_verdict;
};
} // namespace

Q_DECLARE_METATYPE(SmtpStage)
Q_DECLARE_METATYPE(StageVerdict)

class tst_SmtpSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wholeConversation_data();
    void wholeConversation();
    void sequences_data();
    void sequences();
    void transcriptMarksTheMessage();
    void warningsOnTheMessage();
    void disconnectMidDataStoresNothing();
    void idleTimeout();
    void shutdownAnswersStoringFirst();
    void tooManyBadCommandsCloses();
    void unreadRepliesPauseInput();
    void bdatChunks();
    void auth_data();
    void auth();
    void authSecretsMasked();
    void starttlsWithoutCertificate();
    void stageHooks_data();
    void stageHooks();
    void stageHooksSeeEachStage();
    void stageHookDelays_data();
    void stageHookDelays();
};

void tst_SmtpSession::wholeConversation_data()
{
    QTest::addColumn<int>("step");
    QTest::newRow("one chunk") << 0;
    QTest::newRow("one byte at a time") << 1;
    QTest::newRow("seven bytes") << 7;
}

void tst_SmtpSession::wholeConversation()
{
    QFETCH(int, step);
    Harness h;
    const QByteArray second = "Subject: two\r\n\r\n..\r\n...x\r\nbye\r\n";
    h.send("EHLO client.test\r\n" + transaction() + transaction("<>", second).replace("<<>>", "<>") +
               "QUIT\r\n",
           step);
    QVERIFY(h.waitForReplies(11));
    QCOMPARE(h.peer->codes(),
             (QList<int>{220, 250, 250, 250, 354, 250, 250, 250, 354, 250, 221}));
    QVERIFY(h.peer->replies()[5].startsWith("250 2.0.0 Ok: queued as "));
    QCOMPARE(h.finished->count(), 1);
    QCOMPARE(h.session->record().end, SessionEnd::Quit);
    QCOMPARE(h.session->record().messageCount, 2);
    QCOMPARE(h.session->record().helo, QByteArray("client.test"));

    const QList<MessageSummary> stored = h.store.messages(0, 10, MessageStore::Order::OldestFirst);
    QCOMPARE(stored.size(), 2);
    QCOMPARE(h.store.raw(stored[0].id).value(),
             QByteArray("From: a@example.com\r\nSubject: test\r\n\r\nHello\r\n.dot\r\n"));
    QCOMPARE(h.store.raw(stored[1].id).value(), QByteArray("Subject: two\r\n\r\n.\r\n..x\r\nbye\r\n"));
    QCOMPARE(stored[1].envelopeFrom, QByteArray());
    QCOMPARE(stored[0].envelopeTo, QList<QByteArray>{"b@example.com"});
    QCOMPARE(stored[0].headline.subject, QStringLiteral("test"));
}

void tst_SmtpSession::sequences_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<QByteArray>>("expected"); // final reply lines after the greeting, by prefix

    auto row = [](const char *name, const QByteArray &input, QList<QByteArray> expected) {
        QTest::newRow(name) << input << expected;
    };
    row("mail before helo", "MAIL FROM:<a@b.c>\r\n", {"503 5.5.1"});
    row("rcpt before mail", "EHLO x\r\nRCPT TO:<a@b.c>\r\n", {"250 ", "503 5.5.1"});
    row("data before rcpt", "EHLO x\r\nMAIL FROM:<a@b.c>\r\nDATA\r\n", {"250 ", "250 2.1.0", "503 5.5.1"});
    row("data without transaction", "HELO x\r\nDATA\r\n", {"250 ", "503 5.5.1"});
    row("nested mail", "EHLO x\r\nMAIL FROM:<a@b.c>\r\nMAIL FROM:<a@b.c>\r\n", {"250 ", "250 2.1.0", "503 5.5.1"});
    row("helo needs argument", "HELO\r\n", {"501 5.5.4"});
    row("ehlo needs argument", "EHLO\r\n", {"501 5.5.4"});
    row("rset keeps greeting", "EHLO x\r\nMAIL FROM:<a@b.c>\r\nRSET\r\nMAIL FROM:<a@b.c>\r\n", {"250 ", "250 2.1.0", "250 2.0.0", "250 2.1.0"});
    row("rset before helo", "RSET\r\nMAIL FROM:<a@b.c>\r\n", {"250 2.0.0", "503 5.5.1"});
    row("rset with argument", "RSET x\r\n", {"501 5.5.4"});
    row("ehlo resets transaction", "EHLO x\r\nMAIL FROM:<a@b.c>\r\nEHLO y\r\nRCPT TO:<a@b.c>\r\n", {"250 ", "250 2.1.0", "250 ", "503 5.5.1"});
    row("noop", "NOOP\r\nNOOP anything\r\n", {"250 2.0.0", "250 2.0.0"});
    row("vrfy", "VRFY bob\r\nVRFY\r\n", {"252 2.5.0", "501 5.5.4"});
    row("help", "HELP\r\n", {"214 2.0.0"});
    row("expn", "EXPN list\r\n", {"502 5.5.1"});
    row("unknown", "FOO\r\n", {"500 5.5.1"});
    row("garbage bytes", QByteArray("\x01\x02\xff\0\r\n", 6), {"500 5.5.1"});
    row("data argument", "EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA now\r\n", {"250 ", "250 2.1.0", "250 2.1.5", "501 5.5.4"});
    row("size over limit", "EHLO x\r\nMAIL FROM:<a@b.c> SIZE=999999999\r\n", {"250 ", "552 5.3.4"});
    row("null recipient", "EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<>\r\n", {"250 ", "250 2.1.0", "501 5.1.3"});
    row("binarymime needs bdat", "EHLO x\r\nMAIL FROM:<a@b.c> BODY=BINARYMIME\r\nRCPT TO:<d@e.f>\r\nDATA\r\n", {"250 ", "250 2.1.0", "250 2.1.5", "503 5.5.1"});
    row("utf8 rcpt needs smtputf8", "EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<\xc3\xa9@e.f>\r\n", {"250 ", "250 2.1.0", "553 5.6.7"});
    row("utf8 with smtputf8", "EHLO x\r\nMAIL FROM:<a@b.c> SMTPUTF8\r\nRCPT TO:<\xc3\xa9@e.f>\r\n", {"250 ", "250 2.1.0", "250 2.1.5"});
    row("line too long", QByteArray(600, 'N') + "\r\nNOOP\r\n", {"500 5.5.2", "250 2.0.0"});
    row("data too big then usable", "EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\n" + QByteArray(300, 'x') + "\r\n.\r\nNOOP\r\n", {"250 ", "250 2.1.0", "250 2.1.5", "354 ", "552 5.3.4", "250 2.0.0"});
    row("too many recipients", "EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<a@e.f>\r\nRCPT TO:<b@e.f>\r\nRCPT TO:<c@e.f>\r\n", {"250 ", "250 2.1.0", "250 2.1.5", "250 2.1.5", "452 4.5.3"});
    row("bdat before rcpt reads chunk", "EHLO x\r\nBDAT 6\r\nNOOP\r\nNOOP\r\n", {"250 ", "503 5.5.1", "250 2.0.0"});
    row("mail during bdat", "EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 2\r\nhiMAIL FROM:<a@b.c>\r\n", {"250 ", "250 2.1.0", "250 2.1.5", "250 2.0.0", "503 5.5.1"});
    row("quit", "QUIT\r\nNOOP\r\n", {"221 2.0.0"});
}

void tst_SmtpSession::sequences()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<QByteArray>, expected);
    SmtpLimits limits;
    limits.maxMessageSize = 200;
    limits.maxRecipients = 2;
    Harness h(limits);
    h.send(input);
    QVERIFY(h.repliesStartWith(expected));
}

void tst_SmtpSession::transcriptMarksTheMessage()
{
    Harness h;
    h.send("EHLO x\r\nNOOP\r\n" + transaction() + "QUIT\r\n");
    QVERIFY(h.waitForReplies(8));
    const MessageRecord message =
        h.store.message(h.store.messages(0, 1, MessageStore::Order::NewestFirst)[0].id).value();
    const Transcript &t = h.session->record().transcript;
    QCOMPARE(t[message.transcriptFirst].bytes, QByteArray("MAIL FROM:<a@example.com>\r\n"));
    QVERIFY(t[message.transcriptLast].bytes.startsWith("250 2.0.0 Ok: queued as"));
    const auto marker = std::find_if(t.cbegin(), t.cend(), [](const TranscriptEntry &e) {
        return e.direction == TranscriptEntry::Direction::Event && e.bytes.startsWith("[DATA: ");
    });
    QVERIFY(marker != t.cend());
    QCOMPARE(marker->bytes, QByteArray("[DATA: 51 bytes, 5 lines]"));
    QCOMPARE(t.first().direction, TranscriptEntry::Direction::Server);
    QVERIFY(t.first().bytes.startsWith("220 mx.test ESMTP smtpeek"));
    QVERIFY(!t.contains(TranscriptEntry{0, TranscriptEntry::Direction::Client, "Hello\r\n"}));
    QCOMPARE(message.peerAddress, QStringLiteral("192.0.2.7"));
    QCOMPARE(message.helo, QByteArray("x"));
}

void tst_SmtpSession::warningsOnTheMessage()
{
    Harness h;
    h.send("EHLO x\r\nMAIL FROM: a@b.example\r\nRCPT TO:<c@d.example>\r\nDATA\r\n"
           "Subject: w\r\n\r\nbare\nlf \xc3\xa9\r\n" + QByteArray(1200, 'L') + "\r\n.\r\n");
    QVERIFY(h.waitForReplies(6));
    const MessageRecord m =
        h.store.message(h.store.messages(0, 1, MessageStore::Order::NewestFirst)[0].id).value();
    const QString all = m.warnings.join(u'|');
    QVERIFY2(all.contains(QStringLiteral("Bare LF")), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("8-bit data without BODY=8BITMIME")), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("1202 octets")), qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("MAIL FROM path")), qPrintable(all));
    QVERIFY(m.raw.contains(QByteArray(1200, 'L') + "\r\n")); // intact, never split
}

void tst_SmtpSession::disconnectMidDataStoresNothing()
{
    Harness h;
    h.send("EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nSubject: half\r\n\r\npart");
    QVERIFY(h.waitForReplies(5));
    h.peer->hangUp();
    QTRY_COMPARE(h.finished->count(), 1);
    QCOMPARE(h.session->record().end, SessionEnd::Dropped);
    QCOMPARE(h.store.messageCount(), 0);
}

void tst_SmtpSession::idleTimeout()
{
    SmtpLimits limits;
    limits.idleTimeoutMs = 100;
    Harness h(limits);
    h.send("EHLO x\r\n");
    QTRY_COMPARE(h.finished->count(), 1);
    QVERIFY(h.peer->replies().last().startsWith("421 4.4.2"));
    QCOMPARE(h.session->record().end, SessionEnd::Timeout);
}

void tst_SmtpSession::shutdownAnswersStoringFirst()
{
    Harness h;
    h.peer->feed("EHLO x\r\n" + transaction());
    // The store answers through the event loop, so the session is still storing here.
    QCOMPARE(h.session->state(), SmtpSession::State::Storing);
    h.session->shutdown();
    QTRY_COMPARE(h.finished->count(), 1);
    const QList<QByteArray> replies = h.peer->replies();
    QVERIFY(replies[replies.size() - 2].startsWith("250 2.0.0 Ok: queued as"));
    QVERIFY(replies.last().startsWith("421 4.3.0 shutting down"));
    QCOMPARE(h.store.messageCount(), 1);
    QCOMPARE(h.session->record().end, SessionEnd::Shutdown);
}

void tst_SmtpSession::tooManyBadCommandsCloses()
{
    SmtpLimits limits;
    limits.maxBadCommands = 3;
    Harness h(limits);
    h.send("BAD\r\nBAD\r\nNOOP\r\nBAD\r\nNOOP\r\n");
    QTRY_COMPARE(h.finished->count(), 1);
    QCOMPARE(h.peer->codes(), (QList<int>{220, 500, 500, 250, 500, 421}));
    QVERIFY(h.peer->replies().last().startsWith("421 4.7.0"));
    QCOMPARE(h.session->record().end, SessionEnd::Error);
}

// A client that pipelines and never reads: the session stops reading once the replies waiting
// for it pass the limit, and answers everything, in order, as the client takes them.
void tst_SmtpSession::unreadRepliesPauseInput()
{
    Harness h;
    h.peer->stopReading();
    constexpr int kNoops = 60000; // 16 bytes a reply: several times the limit
    QByteArray input = "EHLO x\r\n";
    for (int i = 0; i < kNoops; ++i)
        input += "NOOP\r\n";
    h.send(input + "QUIT\r\n");
    int pauses = 0;
    qint64 mostWaiting = 0;
    for (; h.finished->isEmpty() && pauses < 100; ++pauses) {
        mostWaiting = std::max(mostWaiting, h.peer->bytesToWrite());
        h.peer->readReplies(); // the session goes on with the input it holds
    }
    h.peer->readReplies();
    QCOMPARE(h.finished->count(), 1);
    QVERIFY2(pauses >= 3, qPrintable(QString::number(pauses)));
    QVERIFY2(mostWaiting <= SmtpSession::kMaxUnsentReplyBytes + 512,
             qPrintable(QString::number(mostWaiting)));
    const QList<int> codes = h.peer->codes();
    QCOMPARE(codes.size(), kNoops + 3);
    QCOMPARE(codes.count(250), kNoops + 1);
    QCOMPARE(codes.last(), 221);
}

void tst_SmtpSession::bdatChunks()
{
    for (int step : {0, 1}) {
        Harness h;
        h.send(QByteArray("EHLO x\r\nMAIL FROM:<a@b.c> BODY=BINARYMIME\r\nRCPT TO:<d@e.f>\r\n"
                          "BDAT 5\r\nab\r\nc"
                          "BDAT 0\r\n"
                          "BDAT 4 LAST\r\n.\r\n") +
                   QByteArray(1, '\0') + "QUIT\r\n",
               step);
        QVERIFY(h.waitForReplies(8));
        QCOMPARE(h.peer->codes(), (QList<int>{220, 250, 250, 250, 250, 250, 250, 221}));
        QVERIFY(h.peer->replies()[6].startsWith("250 2.0.0 Ok: queued as"));
        const QList<MessageSummary> stored = h.store.messages(0, 5, MessageStore::Order::OldestFirst);
        QCOMPARE(stored.size(), 1);
        QCOMPARE(h.store.raw(stored[0].id).value(), QByteArray("ab\r\nc.\r\n\0", 9));
    }
}

void tst_SmtpSession::auth_data()
{
    QTest::addColumn<QByteArray>("policy");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<QByteArray>>("expected");
    QTest::addColumn<QByteArray>("user");

    const QByteArray plain = "AUTH PLAIN " + QByteArray("\0alice\0secret", 13).toBase64() + "\r\n";
    QTest::newRow("any accepts") << QByteArray("any") << "EHLO x\r\n" + plain + "MAIL FROM:<a@b.c>\r\n"
                                 << QList<QByteArray>{"250 ", "235 2.7.0", "250 2.1.0"} << QByteArray("alice");
    QTest::newRow("login flow") << QByteArray("any") << "EHLO x\r\nAUTH LOGIN\r\n" + QByteArray("bob").toBase64() + "\r\n" + QByteArray("pw").toBase64() + "\r\n"
                                << QList<QByteArray>{"250 ", "334 VXNlcm5hbWU6", "334 UGFzc3dvcmQ6", "235 2.7.0"} << QByteArray("bob");
    QTest::newRow("users wrong password") << QByteArray("users") << "EHLO x\r\nAUTH PLAIN " + QByteArray("\0alice\0nope", 11).toBase64() + "\r\n"
                                          << QList<QByteArray>{"250 ", "535 5.7.8"} << QByteArray("");
    QTest::newRow("users right password") << QByteArray("users") << "EHLO x\r\n" + plain << QList<QByteArray>{"250 ", "235 2.7.0"} << QByteArray("alice");
    QTest::newRow("required") << QByteArray("required") << "EHLO x\r\nMAIL FROM:<a@b.c>\r\n" + plain + "MAIL FROM:<a@b.c>\r\n"
                              << QList<QByteArray>{"250 ", "530 5.7.0", "235 2.7.0", "250 2.1.0"} << QByteArray("alice");
    QTest::newRow("tls only") << QByteArray("tlsonly") << "EHLO x\r\n" + plain << QList<QByteArray>{"250 ", "538 5.7.11"} << QByteArray("");
    QTest::newRow("off") << QByteArray("off") << "EHLO x\r\n" + plain << QList<QByteArray>{"250 ", "502 5.5.1"} << QByteArray("");
    QTest::newRow("before ehlo") << QByteArray("any") << plain << QList<QByteArray>{"503 5.5.1"} << QByteArray("");
    QTest::newRow("twice") << QByteArray("any") << "EHLO x\r\n" + plain + plain << QList<QByteArray>{"250 ", "235 2.7.0", "503 5.5.1"} << QByteArray("alice");
    QTest::newRow("in transaction") << QByteArray("any") << "EHLO x\r\nMAIL FROM:<a@b.c>\r\n" + plain << QList<QByteArray>{"250 ", "250 2.1.0", "503 5.5.1"} << QByteArray("");
    QTest::newRow("cancel") << QByteArray("any") << QByteArray("EHLO x\r\nAUTH PLAIN\r\n*\r\nNOOP\r\n") << QList<QByteArray>{"250 ", "334", "501 5.7.0", "250 2.0.0"} << QByteArray("");
    QTest::newRow("long initial response") << QByteArray("any") << "EHLO x\r\nAUTH PLAIN " + (QByteArray("\0u\0", 3) + QByteArray(3000, 'p')).toBase64() + "\r\n"
                                           << QList<QByteArray>{"250 ", "235 2.7.0"} << QByteArray("u");
    QTest::newRow("ehlo keeps authentication") << QByteArray("any") << "EHLO x\r\n" + plain + "EHLO y\r\nAUTH PLAIN\r\n"
                                            << QList<QByteArray>{"250 ", "235 2.7.0", "250 ", "503 5.5.1"} << QByteArray("alice");
}

void tst_SmtpSession::auth()
{
    QFETCH(QByteArray, policy);
    QFETCH(QByteArray, input);
    QFETCH(QList<QByteArray>, expected);
    QFETCH(QByteArray, user);
    SessionConfig config = configWith({});
    if (policy == "users") {
        config.auth.mode = AuthPolicy::Mode::Users;
        config.auth.users.insert("alice", "secret");
    }
    config.auth.required = policy == "required";
    config.auth.onlyOverTls = policy == "tlsonly";
    if (policy == "off")
        config.auth.mode = AuthPolicy::Mode::Off;
    Harness h(config);
    h.send(input);
    QVERIFY(h.repliesStartWith(expected));
    QCOMPARE(h.session->record().authUser, QString::fromUtf8(user));
    const bool advertised = h.peer->written().contains("AUTH PLAIN LOGIN CRAM-MD5");
    QCOMPARE(advertised, policy != "off" && policy != "tlsonly" && input.startsWith("EHLO"));
}

void tst_SmtpSession::authSecretsMasked()
{
    for (bool mask : {true, false}) {
        SessionConfig config = configWith({});
        config.auth.maskSecrets = mask;
        Harness h(config);
        const QByteArray secret = QByteArray("\0alice\0s3cret", 13).toBase64();
        // LOGIN succeeds; the PLAIN after it is refused (503) but its line is masked all the same.
        h.send("EHLO x\r\nAUTH LOGIN\r\n" + QByteArray("bob").toBase64() + "\r\n" +
               QByteArray("hunter2").toBase64() + "\r\nAUTH PLAIN " + secret + "\r\n");
        QVERIFY(h.waitForReplies(6));
        QCOMPARE(h.peer->codes().last(), 503);
        QByteArray transcript;
        for (const TranscriptEntry &e : h.session->record().transcript)
            transcript += e.bytes;
        QCOMPARE(transcript.contains(secret), !mask);
        QCOMPARE(transcript.contains(QByteArray("hunter2").toBase64()), !mask);
        QCOMPARE(transcript.contains("AUTH PLAIN [credentials hidden]"), mask);
    }
}

void tst_SmtpSession::starttlsWithoutCertificate()
{
    Harness h;
    h.send("EHLO x\r\nSTARTTLS\r\n");
    QVERIFY(h.waitForReplies(3));
    QVERIFY(!h.peer->written().contains("STARTTLS\r\n250"));
    QVERIFY(h.peer->replies().last().startsWith("502 5.5.1"));
}

void tst_SmtpSession::stageHooks_data()
{
    QTest::addColumn<SmtpStage>("stage");
    QTest::addColumn<StageVerdict>("verdict");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<int>>("codes"); // every reply, the greeting first
    QTest::addColumn<bool>("closed");
    QTest::addColumn<int>("stored");

    using Action = StageVerdict::Action;
    const auto refuse = [](int code, const QByteArray &enhanced) {
        return StageVerdict{Action::Reply, SmtpReply{code, enhanced, {"refused by rule"}},
                            QStringLiteral("test rule")};
    };
    const QByteArray mailRcpt = "EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\n";
    const QByteArray plain = "AUTH PLAIN " + QByteArray("\0alice\0secret", 13).toBase64() + "\r\n";
    QTest::newRow("connect refused") << SmtpStage::Connect << refuse(554, "5.3.2")
                                     << QByteArray("EHLO x\r\n") << QList<int>{554} << true << 0;
    QTest::newRow("connect greeted otherwise")
        << SmtpStage::Connect << refuse(220, {}) << QByteArray("EHLO x\r\n")
        << QList<int>{220, 250} << false << 0;
    QTest::newRow("helo") << SmtpStage::Helo << refuse(550, "5.7.1")
                          << QByteArray("EHLO x\r\nMAIL FROM:<a@b.c>\r\n")
                          << QList<int>{220, 550, 503} << false << 0;
    QTest::newRow("mail") << SmtpStage::Mail << refuse(451, "4.7.1") << mailRcpt
                          << QList<int>{220, 250, 451, 503} << false << 0;
    QTest::newRow("rcpt") << SmtpStage::Rcpt << refuse(550, "5.1.1") << mailRcpt + "DATA\r\n"
                          << QList<int>{220, 250, 250, 550, 503} << false << 0;
    QTest::newRow("data") << SmtpStage::Data << refuse(554, "5.7.1")
                          << mailRcpt + "DATA\r\nNOOP\r\n" << QList<int>{220, 250, 250, 250, 554, 250}
                          << false << 0;
    QTest::newRow("message") << SmtpStage::Message << refuse(550, "5.7.1")
                             << "EHLO x\r\n" + transaction() + "NOOP\r\n"
                             << QList<int>{220, 250, 250, 250, 354, 550, 250} << false << 0;
    QTest::newRow("bdat: chunk read, transaction failed")
        << SmtpStage::Bdat << refuse(452, "4.3.1")
        << mailRcpt + "BDAT 4 LAST\r\nabcdNOOP\r\nRCPT TO:<d@e.f>\r\n"
        << QList<int>{220, 250, 250, 250, 452, 250, 503} << false << 0;
    QTest::newRow("auth") << SmtpStage::Auth << refuse(535, "5.7.8")
                          << "EHLO x\r\n" + plain + "MAIL FROM:<a@b.c>\r\n"
                          << QList<int>{220, 250, 535, 250} << false << 0;
    QTest::newRow("quit") << SmtpStage::Quit << refuse(221, "2.0.0") << QByteArray("QUIT\r\n")
                          << QList<int>{220, 221} << true << 0;
    QTest::newRow("disconnect with a reply")
        << SmtpStage::Rcpt
        << StageVerdict{Action::Disconnect, SmtpReply{421, "4.7.0", {"bye"}}, QStringLiteral("drop")}
        << mailRcpt + "NOOP\r\n" << QList<int>{220, 250, 250, 421} << true << 0;
    QTest::newRow("disconnect without a reply")
        << SmtpStage::Rcpt << StageVerdict{Action::Disconnect, SmtpReply{}, QStringLiteral("drop")}
        << mailRcpt + "NOOP\r\n" << QList<int>{220, 250, 250} << true << 0;
    QTest::newRow("disconnect after part of a reply")
        << SmtpStage::Rcpt << StageVerdict{Action::Disconnect,
                                           SmtpReply{421, "4.7.0", {"bye"}},
                                           QStringLiteral("cut"),
                                           0,
                                           0,
                                           5}
        << mailRcpt << QList<int>{220, 250, 250, 421} << true << 0;
    QTest::newRow("message discarded")
        << SmtpStage::Message << StageVerdict{Action::Discard, {}, QStringLiteral("hole")}
        << "EHLO x\r\n" + transaction() + "NOOP\r\n"
        << QList<int>{220, 250, 250, 250, 354, 250, 250} << false << 0;
    QTest::newRow("proceed") << SmtpStage::Rcpt << StageVerdict{}
                             << "EHLO x\r\n" + transaction() << QList<int>{220, 250, 250, 250, 354, 250}
                             << false << 1;
}

void tst_SmtpSession::stageHooks()
{
    QFETCH(SmtpStage, stage);
    QFETCH(StageVerdict, verdict);
    QFETCH(QByteArray, input);
    QFETCH(QList<int>, codes);
    QFETCH(bool, closed);
    QFETCH(int, stored);
    SessionConfig config = configWith({});
    config.hooks = std::make_shared<ScriptedHooks>(stage, verdict);
    Harness h(config);
    h.send(input);
    QVERIFY(QTest::qWaitFor([&] { return h.peer->codes().size() >= codes.size(); }, 5000));
    QTest::qWait(20); // no further reply may follow
    QCOMPARE(h.peer->codes(), codes);
    QCOMPARE(h.finished->count() == 1, closed);
    QCOMPARE(h.store.messageCount(), stored);
    QVERIFY(h.session->record().authUser.isEmpty());
    if (verdict.action != StageVerdict::Action::Proceed) {
        const QByteArray marker = "[rule " + verdict.rule.toUtf8();
        const Transcript &t = h.session->record().transcript;
        QVERIFY(std::any_of(t.cbegin(), t.cend(), [&](const TranscriptEntry &e) {
            return e.direction == TranscriptEntry::Direction::Event && e.bytes.startsWith(marker);
        }));
    }
    if (verdict.partialBytes >= 0)
        QVERIFY2(h.peer->written().endsWith("\r\n421 4"), h.peer->written().right(20).constData());
}

void tst_SmtpSession::stageHookDelays_data()
{
    QTest::addColumn<StageVerdict>("verdict");
    QTest::addColumn<QList<int>>("codes");
    using Action = StageVerdict::Action;
    const QString rule = QStringLiteral("slow");
    QTest::newRow("delayed, then as usual")
        << StageVerdict{Action::Proceed, {}, rule, 300} << QList<int>{220, 250, 250, 250, 354};
    QTest::newRow("delayed, then refused")
        << StageVerdict{Action::Reply, SmtpReply{450, "4.2.0", {"later"}}, rule, 300}
        << QList<int>{220, 250, 250, 450, 503};
    QTest::newRow("tarpit") << StageVerdict{Action::Proceed, {}, rule, 0, 15}
                            << QList<int>{220, 250, 250, 250, 354};
}

// A delay or tarpit at RCPT: the pipelined DATA waits for it, and the replies stay in order.
void tst_SmtpSession::stageHookDelays()
{
    QFETCH(StageVerdict, verdict);
    QFETCH(QList<int>, codes);
    SessionConfig config = configWith({});
    config.hooks = std::make_shared<ScriptedHooks>(SmtpStage::Rcpt, verdict);
    Harness h(config);
    QElapsedTimer clock;
    clock.start();
    h.send("EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\n");
    QTest::qWait(100);
    // Neither the RCPT reply (2.1.5, or the rule's 4.2.0) is out whole yet, nor DATA's.
    QVERIFY(!h.peer->written().contains("2.1.5 ") && !h.peer->written().contains("4.2.0 "));
    QVERIFY(!h.peer->written().contains("354 "));
    QVERIFY(QTest::qWaitFor([&] { return h.peer->codes().size() >= codes.size(); }, 5000));
    QVERIFY2(clock.elapsed() >= 250, qPrintable(QString::number(clock.elapsed())));
    QTest::qWait(20);
    QCOMPARE(h.peer->codes(), codes);
    QCOMPARE(h.session->state(), codes.last() == 354 ? SmtpSession::State::ReceivingData
                                                     : SmtpSession::State::MailGiven);
}

void tst_SmtpSession::stageHooksSeeEachStage()
{
    SessionConfig config = configWith({});
    auto hooks = std::make_shared<ScriptedHooks>(SmtpStage::Connect, StageVerdict{});
    config.hooks = hooks;
    Harness h(config);
    h.send("EHLO x\r\nAUTH PLAIN " + QByteArray("\0alice\0secret", 13).toBase64() + "\r\n" +
           transaction() + "QUIT\r\n");
    QTRY_COMPARE(h.finished->count(), 1);
    QCOMPARE(h.session->record().authUser, QStringLiteral("alice"));
    const QList<SmtpStage> stages{SmtpStage::Connect, SmtpStage::Helo, SmtpStage::Auth,
                                  SmtpStage::Mail,    SmtpStage::Rcpt, SmtpStage::Data,
                                  SmtpStage::Message, SmtpStage::Quit};
    const QList<QByteArray> arguments{{}, "x", "alice", "a@example.com", "b@example.com", {}, {}, {}};
    QCOMPARE(hooks->asked.size(), stages.size());
    for (qsizetype i = 0; i < stages.size(); ++i) {
        QCOMPARE(hooks->asked[i].stage, stages[i]);
        QCOMPARE(hooks->asked[i].argument, arguments[i]);
    }
    const qint64 id = h.store.messages(0, 1, MessageStore::Order::NewestFirst)[0].id;
    QCOMPARE(hooks->asked[6].message, h.store.raw(id).value());
}

QTEST_GUILESS_MAIN(tst_SmtpSession)
#include "tst_smtpsession.moc"
