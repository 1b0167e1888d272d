#include "checks/SpamAssassin.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

namespace {

const QByteArray kGtube = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";

QByteArray message(const QByteArray &body)
{
    return "From: Alice <alice@example.com>\r\nTo: bob@example.net\r\nSubject: Lunch\r\n"
           "Date: Tue, 03 Nov 2026 10:00:00 +0100\r\nMessage-ID: <lunch.1@example.com>\r\n\r\n" +
           body + "\r\n";
}

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

// Runs a check to its end in this thread's event loop.
SpamReport check(SpamAssassin &spam, const QByteArray &bytes)
{
    std::optional<SpamReport> result;
    spam.check(bytes, [&](const SpamReport &report) { result = report; });
    QElapsedTimer timer;
    timer.start();
    while (!result && timer.elapsed() < 90000)
        QTest::qWait(20);
    if (!result)
        qFatal("the spam check never answered");
    return *result;
}

const char kReport[] =
    "Spam detection software, running on the system \"vm\",\n"
    "has identified this incoming email as possible spam.\n\n"
    "Content analysis details:   (1000.0 points, 5.0 required)\n\n"
    " pts rule name              description\n"
    "---- ---------------------- --------------------------------------------------\n"
    "-0.0 NO_RECEIVED            Informational: message has no Received headers\n"
    "1000 GTUBE                  BODY: Generic Test for Unsolicited Bulk Email\n"
    " 2.5 LONG_RULE              A description that goes on\n"
    "                            over two lines\n"
    "\n\n";

} // namespace

class TestSpamAssassin : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        m_spamd = SpamdProcess::program();
        if (m_spamd.isEmpty())
            return;
        m_port = freePort();
        m_process.start(m_spamd,
                        {QStringLiteral("--listen=127.0.0.1:%1").arg(m_port),
                         QStringLiteral("--nouser-config"), QStringLiteral("--local"),
                         QStringLiteral("--max-children=1"), QStringLiteral("--syslog=stderr")});
        QVERIFY(m_process.waitForStarted());
    }

    void cleanupTestCase()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished();
    }

    void request()
    {
        QCOMPARE(spamcReportRequest("abc"),
                 QByteArray("REPORT SPAMC/1.5\r\nContent-length: 3\r\n\r\nabc"));
    }

    void response_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<bool>("closed");
        QTest::addColumn<bool>("complete");
        QTest::addColumn<QString>("error");
        QTest::addColumn<bool>("spam");
        QTest::addColumn<double>("score");
        QTest::addColumn<int>("rules");
        const QByteArray head =
            "SPAMD/1.1 0 EX_OK\r\nContent-length: " + QByteArray::number(qstrlen(kReport)) +
            "\r\nSpam: True ; 1000.0 / 5.0\r\n\r\n";
        QTest::newRow("spam") << head + kReport << false << true << QString() << true << 1000.0
                              << 3;
        QTest::newRow("partial body") << head + QByteArray(kReport).left(40) << false << false
                                      << QString() << false << 0.0 << 0;
        QTest::newRow("no header end yet") << QByteArray("SPAMD/1.1 0 EX_OK\r\n") << false << false
                                           << QString() << false << 0.0 << 0;
        QTest::newRow("ham") << QByteArray("SPAMD/1.1 0 EX_OK\r\nContent-length: 0\r\n"
                                           "Spam: False ; -0.1 / 5.0\r\n\r\n")
                             << false << true << QString() << false << -0.1 << 0;
        QTest::newRow("error status")
            << QByteArray("SPAMD/1.0 76 Bad header line: x\r\n\r\n") << true << true
            << QStringLiteral("spamd answered: SPAMD/1.0 76 Bad header line: x") << false << 0.0
            << 0;
        QTest::newRow("not spamd")
            << QByteArray("HTTP/1.1 400 Bad Request\r\n\r\n") << true << true
            << QStringLiteral("not a spamd answer: HTTP/1.1 400 Bad Request") << false << 0.0 << 0;
        QTest::newRow("closed silently")
            << QByteArray() << true << true
            << QStringLiteral("spamd closed the connection without an answer") << false << 0.0 << 0;
    }
    void response()
    {
        QFETCH(QByteArray, response);
        QFETCH(bool, closed);
        QFETCH(bool, complete);
        QFETCH(QString, error);
        QFETCH(bool, spam);
        QFETCH(double, score);
        QFETCH(int, rules);
        const std::optional<SpamReport> report = parseSpamdResponse(response, closed);
        QCOMPARE(report.has_value(), complete);
        if (!report)
            return;
        QCOMPARE(report->error, error);
        QCOMPARE(report->isSpam, spam);
        QCOMPARE(report->score, score);
        QCOMPARE(report->rules.size(), rules);
    }

    void rules()
    {
        const QList<SpamRule> rules = parseSpamReportRules(QString::fromUtf8(kReport));
        QCOMPARE(rules.size(), 3);
        QCOMPARE(rules[0].score, -0.0);
        QCOMPARE(rules[0].name, u"NO_RECEIVED"_qs);
        QCOMPARE(rules[1].score, 1000.0);
        QCOMPARE(rules[1].description, u"BODY: Generic Test for Unsolicited Bulk Email"_qs);
        QCOMPARE(rules[2].description, u"A description that goes on over two lines"_qs);
        QVERIFY(parseSpamReportRules(QStringLiteral("no table here")).isEmpty());
    }

    void realSpamd()
    {
        if (m_spamd.isEmpty())
            QSKIP(
                "spamd is not installed (Debian: spamassassin); scripts/deps.sh test installs it");
        SpamAssassin spam(QStringLiteral("127.0.0.1"), m_port);
        spam.setTimeout(60000);
        // spamd compiles its rules before it listens: wait for the port, bounded.
        QTRY_VERIFY_WITH_TIMEOUT(
            [this] {
                QTcpSocket probe;
                probe.connectToHost(QHostAddress::LocalHost, m_port);
                return probe.waitForConnected(200);
            }(),
            60000);
        const SpamReport gtube = check(spam, message(kGtube));
        QCOMPARE(gtube.error, QString());
        QVERIFY(gtube.isSpam);
        QVERIFY(gtube.score >= 1000);
        QCOMPARE(gtube.threshold, 5.0);
        bool found = false;
        for (const SpamRule &rule : gtube.rules)
            found = found || (rule.name == u"GTUBE" && rule.score == 1000);
        QVERIFY(found);
        const SpamReport plain = check(spam, message("Hi Bob, lunch at noon tomorrow?"));
        QCOMPARE(plain.error, QString());
        QVERIFY(!plain.isSpam);
        QVERIFY(plain.score < 5);
    }

    void noSpamd()
    {
        SpamAssassin spam(QStringLiteral("127.0.0.1"), freePort());
        QElapsedTimer timer;
        timer.start();
        const SpamReport report = check(spam, message("x"));
        QVERIFY2(report.error.startsWith(u"no spamd at 127.0.0.1:"), qPrintable(report.error));
        QVERIFY(report.error.contains(u"--spamassassin auto"));
        QVERIFY(timer.elapsed() < 10000); // refused at once, not a hang
    }

    void silentSpamd()
    {
        QTcpServer silent; // accepts, never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        SpamAssassin spam(QStringLiteral("127.0.0.1"), silent.serverPort());
        spam.setTimeout(300);
        const SpamReport report = check(spam, message("x"));
        QVERIFY2(report.error.contains(u"did not answer within 0.3 s"), qPrintable(report.error));
    }

    void tooBig()
    {
        SpamAssassin spam(QStringLiteral("127.0.0.1"), 1);
        const SpamReport report = check(spam, message(QByteArray(kMaxSpamCheckBytes, 'x')));
        QVERIFY(report.error.contains(u"spamc's limit"));
    }

    // --spamassassin auto: smtpeek's own spamd on a port it picks.
    void automaticSpamd()
    {
        if (m_spamd.isEmpty())
            QSKIP(
                "spamd is not installed (Debian: spamassassin); scripts/deps.sh test installs it");
        SpamAssassin spam(QString(), 0);
        spam.setTimeout(60000);
        const SpamReport gtube = check(spam, message(kGtube));
        QCOMPARE(gtube.error, QString());
        QVERIFY(gtube.isSpam);
    }

private:
    QString m_spamd;
    quint16 m_port = 0;
    QProcess m_process;
};

QTEST_GUILESS_MAIN(TestSpamAssassin)
#include "tst_spamassassin.moc"
