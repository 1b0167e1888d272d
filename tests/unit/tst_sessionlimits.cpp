#include "SessionHarness.h"

// The bounds a session keeps: the shared budget for mail in flight, the transcript cap, the
// time one message may take.
class tst_SessionLimits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void budget_data();
    void budget();
    void budgetIsSharedAndGivenBack();
    void transcriptCap();
    void dataTimeCap();
};

namespace {
SessionConfig budgetConfig(qint64 capacity)
{
    SessionConfig config = configWith({});
    config.budget = std::make_shared<MessageBudget>(capacity);
    return config;
}

QByteArray bodyOf(qsizetype size)
{
    QByteArray body = "Subject: big\r\n\r\n";
    while (body.size() < size)
        body += QByteArray(70, 'x') + "\r\n";
    return body;
}
} // namespace

void tst_SessionLimits::budget_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QList<QByteArray>>("replies");
    QTest::addColumn<qint64>("stored");
    using L = QList<QByteArray>;
    const QByteArray ehlo = "EHLO x\r\n";
    QTest::newRow("SIZE over what is left: refused at MAIL")
        << ehlo + "MAIL FROM:<a@b.c> SIZE=50000\r\n"
        << L{"250", "452 4.3.1"} << qint64(0);
    QTest::newRow("SIZE within it")
        << ehlo + "MAIL FROM:<a@b.c> SIZE=5000\r\nRCPT TO:<d@e.f>\r\nDATA\r\n" + bodyOf(4000) +
               ".\r\n"
        << L{"250", "250", "250", "354", "250 2.0.0"} << qint64(1);
    QTest::newRow("a body without SIZE that outgrows it: read, thrown away, 452")
        << ehlo + transaction("a@b.c", bodyOf(30000)) + transaction("a@b.c", bodyOf(2000))
        << L{"250", "250", "250", "354", "452 4.3.1", "250", "250", "354", "250 2.0.0"}
        << qint64(1);
    QTest::newRow("BDAT that outgrows it")
        << ehlo + "MAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nBDAT 4000\r\n" + QByteArray(4000, 'y') +
               "BDAT 8000 LAST\r\n" + QByteArray(8000, 'y')
        << L{"250", "250", "250", "250", "452 4.3.1"} << qint64(0);
}

void tst_SessionLimits::budget()
{
    QFETCH(QByteArray, input);
    QFETCH(QList<QByteArray>, replies);
    QFETCH(qint64, stored);
    const SessionConfig config = budgetConfig(10000);
    {
        Harness h(config);
        h.send(input, 512); // in pieces, as a body arrives
        QVERIFY(h.repliesStartWith(replies));
        QCOMPARE(h.store.messageCount(), stored);
        QTRY_COMPARE(config.budget->used(), qint64(0)); // all given back
    }
    QCOMPARE(config.budget->used(), qint64(0));
}

// Two sessions share one budget: the second waits for the first's message to be stored.
void tst_SessionLimits::budgetIsSharedAndGivenBack()
{
    const SessionConfig config = budgetConfig(1000);
    Harness first(config);
    Harness second(config);
    first.send("EHLO x\r\nMAIL FROM:<a@b.c> SIZE=800\r\nRCPT TO:<d@e.f>\r\nDATA\r\n");
    QVERIFY(first.waitForReplies(5));
    QCOMPARE(config.budget->used(), qint64(800));
    second.send("EHLO y\r\nMAIL FROM:<a@b.c> SIZE=300\r\n");
    QVERIFY(second.repliesStartWith({"250", "452 4.3.1"}));
    first.send(bodyOf(700) + ".\r\n");
    QVERIFY(first.waitForReplies(6));
    QVERIFY(first.peer->replies().last().startsWith("250 2.0.0"));
    QCOMPARE(config.budget->used(), qint64(0));
    second.send("MAIL FROM:<a@b.c> SIZE=300\r\n");
    QVERIFY(second.waitForReplies(4));
    QVERIFY(second.peer->replies().last().startsWith("250"));
}

// Past the cap the transcript stops growing; one marker says how much it left out, and the
// message is stored all the same.
void tst_SessionLimits::transcriptCap()
{
    SmtpLimits limits;
    limits.maxTranscriptEntries = 20;
    Harness h(limits);
    QByteArray noops;
    for (int i = 0; i < 30; ++i)
        noops += "NOOP\r\n";
    h.send("EHLO x\r\n" + noops + transaction() + "QUIT\r\n");
    QTRY_COMPARE(h.finished->count(), 1);
    QCOMPARE(h.store.messageCount(), 1);
    const Transcript &transcript = h.session->record().transcript;
    QCOMPARE(transcript.size(), 20);
    QCOMPARE(transcript.last().direction, TranscriptEntry::Direction::Event);
    QVERIFY2(transcript.last().bytes.startsWith("[transcript limit reached: "),
             transcript.last().bytes.constData());
    QVERIFY(transcript.last().bytes.contains("later entries"));
    QVERIFY(h.peer->replies().last().startsWith("221")); // the client saw every reply
}

// A trickle that never ends the message is closed once DATA has taken too long.
void tst_SessionLimits::dataTimeCap()
{
    SmtpLimits limits;
    limits.maxDataMs = 300;
    Harness h(limits);
    h.send("EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nSubject: slow\r\n");
    QElapsedTimer clock;
    clock.start();
    while (h.finished->isEmpty() && clock.elapsed() < 3000) {
        h.send("x"); // activity: the idle timeout alone would never fire
        QTest::qWait(20);
    }
    QCOMPARE(h.finished->count(), 1);
    QVERIFY(h.peer->replies().last().startsWith("451 4.4.2"));
    QCOMPARE(h.session->record().end, SessionEnd::Timeout);
    QCOMPARE(h.store.messageCount(), 0);
}

QTEST_GUILESS_MAIN(tst_SessionLimits)
#include "tst_sessionlimits.moc"
