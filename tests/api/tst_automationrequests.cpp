#include "ApiTestRequest.h"
#include "SendRequest.h"
#include "WaitRequest.h"

#include <QJsonDocument>
#include <QTest>

// The parameters of GET /api/v1/wait and the body of POST /api/v1/send, as pure functions.
class tst_AutomationRequests : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void waitParameters_data();
    void waitParameters();
    void sendBody_data();
    void sendBody();
    void sendDecodesAttachments();
};

void tst_AutomationRequests::waitParameters_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<qint64>("count");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<qint64>("since");
    QTest::addColumn<QString>("error");
    QTest::newRow("defaults") << QByteArray("/api/v1/wait") << qint64(1) << 30000 << qint64(0)
                              << QString();
    QTest::newRow("all given") << QByteArray("/api/v1/wait?query=subject:x&count=3&timeout=0.25"
                                             "&since=41")
                               << qint64(3) << 250 << qint64(41) << QString();
    QTest::newRow("timeout 0 answers at once")
        << QByteArray("/api/v1/wait?timeout=0") << qint64(1) << 0 << qint64(0) << QString();
    QTest::newRow("the longest timeout") << QByteArray("/api/v1/wait?timeout=3600") << qint64(1)
                                         << 3600000 << qint64(0) << QString();
    for (const char *bad : {"timeout=-1", "timeout=1000000000", "timeout=3600.5", "timeout=nan",
                            "timeout=inf", "timeout=abc"}) {
        QTest::newRow(bad) << "/api/v1/wait?" + QByteArray(bad) << qint64(0) << 0 << qint64(0)
                           << QStringLiteral("timeout");
    }
    for (const char *bad : {"count=0", "count=-2", "count=1001", "count=1.5"}) {
        QTest::newRow(bad) << "/api/v1/wait?" + QByteArray(bad) << qint64(0) << 0 << qint64(0)
                           << QStringLiteral("count");
    }
    for (const char *bad : {"since=-1", "since=x", "since=1e3"}) {
        QTest::newRow(bad) << "/api/v1/wait?" + QByteArray(bad) << qint64(0) << 0 << qint64(0)
                           << QStringLiteral("since");
    }
    for (const char *bad : {"query=subject:%22open", "query=from:", "query=-", "query=a%20is:"}) {
        QTest::newRow(bad) << "/api/v1/wait?" + QByteArray(bad) << qint64(0) << 0 << qint64(0)
                           << QStringLiteral("query");
    }
}

void tst_AutomationRequests::waitParameters()
{
    QFETCH(QByteArray, target);
    QFETCH(QString, error);
    QString problem;
    const std::optional<WaitRequest> wait = parseWaitRequest(apiRequest("GET", target), &problem);
    if (!error.isEmpty()) {
        QVERIFY(!wait);
        QVERIFY2(problem.startsWith(error), qPrintable(problem));
        return;
    }
    QVERIFY2(wait, qPrintable(problem));
    QTEST(wait->count, "count");
    QTEST(wait->timeoutMs, "timeoutMs");
    QTEST(wait->since, "since");
}

void tst_AutomationRequests::sendBody_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error"); // empty: valid
    const QByteArray to = R"("To":[{"Email":"b@x.y"}])";
    const QByteArray from = R"("From":{"Email":"a@x.y"})";
    QTest::newRow("minimal") << "{" + from + "," + to + "}" << QString();
    QTest::newRow("only Bcc, as strings") << "{" + from + R"(,"Bcc":["c@x.y"]})" << QString();
    QTest::newRow("no From") << "{" + to + "}" << QStringLiteral("From: missing");
    QTest::newRow("From as a string")
        << R"({"From":"a@x.y",)" + to + "}" << QStringLiteral("From: expected");
    QTest::newRow("From without Email")
        << R"({"From":{"Name":"A"},)" + to + "}" << QStringLiteral("From.Email: missing");
    QTest::newRow("no recipients") << "{" + from + "}" << QStringLiteral("To: no recipients");
    QTest::newRow("a bad To") << "{" + from + R"(,"To":[{"Email":"b@x.y"},{"Email":"nope"}]})"
                              << QStringLiteral("To[1].Email: not an email address");
    QTest::newRow("a name with a line break")
        << "{" + from + R"(,"To":[{"Email":"b@x.y","Name":"a\r\nBcc: z@x.y"}]})"
        << QStringLiteral("To[0].Name: contains a line break");
    QTest::newRow("Cc not an array")
        << "{" + from + "," + to + R"(,"Cc":{}})" << QStringLiteral("Cc: expected an array");
    QTest::newRow("a number for Subject") << "{" + from + "," + to + R"(,"Subject":1})"
                                          << QStringLiteral("Subject: expected a string");
    QTest::newRow("bad base64") << "{" + from + "," + to +
                                       R"(,"Attachments":[{"Filename":"f","Content":"a$b="}]})"
                                << QStringLiteral("Attachments[0].Content: invalid base64");
    QTest::newRow("no Filename") << "{" + from + "," + to +
                                        R"(,"Attachments":[{"Content":"AAAA"}]})"
                                 << QStringLiteral("Attachments[0].Filename: missing");
    QTest::newRow("a bad ContentType")
        << "{" + from + "," + to +
               R"(,"Attachments":[{"Filename":"f","Content":"AAAA","ContentType":"png"}]})"
        << QStringLiteral("Attachments[0].ContentType");
    QTest::newRow("a header name with a space")
        << "{" + from + "," + to + R"(,"Headers":{"X A":"1"}})"
        << QStringLiteral("Headers.X A: not a header name");
    QTest::newRow("header injection")
        << "{" + from + "," + to + R"(,"Headers":{"X-A":"1\nBcc: z@x.y"}})"
        << QStringLiteral("Headers.X-A: contains a line break");
    QTest::newRow("Tags with a comma")
        << "{" + from + "," + to + R"(,"Tags":["a,b"]})" << QStringLiteral("Tags:");
}

void tst_AutomationRequests::sendBody()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    QString problem;
    const std::optional<MessageDraft> draft =
        parseSendRequest(QJsonDocument::fromJson(json).object(), &problem);
    if (error.isEmpty()) {
        QVERIFY2(draft, qPrintable(problem));
        return;
    }
    QVERIFY(!draft);
    QVERIFY2(problem.startsWith(error), qPrintable(problem));
}

void tst_AutomationRequests::sendDecodesAttachments()
{
    QString problem;
    const std::optional<MessageDraft> draft = parseSendRequest(
        QJsonDocument::fromJson(R"({"From":{"Email":"a@x.y"},"To":[{"Email":"b@x.y"}],
            "Cc":[{"Email":"b@x.y"}],"Bcc":["c@x.y"],
            "Attachments":[{"Filename":"f.bin","Content":"AAECAwQ="}]})")
            .object(),
        &problem);
    QVERIFY2(draft, qPrintable(problem));
    QCOMPARE(draft->attachments.first().content, QByteArray("\x00\x01\x02\x03\x04", 5));
    QCOMPARE(draftRecipients(*draft), (QList<QByteArray>{"b@x.y", "c@x.y"}));
}

QTEST_GUILESS_MAIN(tst_AutomationRequests)
#include "tst_automationrequests.moc"
