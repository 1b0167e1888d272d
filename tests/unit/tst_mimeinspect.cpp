// `smtpeek --inspect FILE [--json]`: the report and the exit codes.
#include "mime/InspectReport.h"
#include "mime/MimeRuntime.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run
{
    int exitCode;
    QString out;
    QString err;
};

Run inspect(const QString &path, bool json)
{
    QString out;
    QString err;
    QTextStream outStream(&out);
    QTextStream errStream(&err);
    const int exitCode = runInspect(path, json, outStream, errStream);
    return {exitCode, out, err};
}

QString related()
{
    return QFINDTESTDATA("../data/mime/related.eml");
}

} // namespace

class TestMimeInspect : public QObject
{
    Q_OBJECT

    MimeRuntime m_mime;

private Q_SLOTS:

    void text();
    void json();
    void unreadableFile_data();
    void unreadableFile();
    void headerlessFile();
};

void TestMimeInspect::text()
{
    const Run run = inspect(related(), false);
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.err.isEmpty());
    for (const char *expected :
         {"Subject: Related parts and remote content", "From: Newsletter <news@example.com>",
          "1.1.2  image/png", "cid:logo@example.com", "\"report.pdf\"", "HTML body (part 1.1.1",
          "Remote resources (11):", "Warnings (0):"})
        QVERIFY2(run.out.contains(QLatin1String(expected)), expected);
}

void TestMimeInspect::json()
{
    const Run run = inspect(related(), true);
    QCOMPARE(run.exitCode, 0);
    QJsonParseError error;
    const QJsonObject report = QJsonDocument::fromJson(run.out.toUtf8(), &error).object();
    QCOMPARE(error.error, QJsonParseError::NoError);
    QCOMPARE(report.value("subject").toString(),
             QStringLiteral("Related parts and remote content"));
    QCOMPARE(report.value("messageId").toString(), QStringLiteral("related-1@example.com"));
    QCOMPARE(report.value("date").toString(), QStringLiteral("2025-03-03T10:00:00+00:00"));
    QCOMPARE(report.value("from").toArray().first().toObject().value("address").toString(),
             QStringLiteral("news@example.com"));
    const QJsonArray parts = report.value("parts").toArray();
    QCOMPARE(parts.size(), 7);
    QCOMPARE(parts.at(6).toObject().value("path").toString(), QStringLiteral("1.2"));
    QCOMPARE(parts.at(6).toObject().value("fileName").toString(), QStringLiteral("report.pdf"));
    QCOMPARE(parts.at(6).toObject().value("decodedSize").toInt(), 9);
    QCOMPARE(report.value("htmlBody").toObject().value("path").toString(), QStringLiteral("1.1.1"));
    QCOMPARE(report.value("textBody"), QJsonValue(QJsonValue::Null));
    QCOMPARE(report.value("remoteResources").toArray().size(), 11);
    QCOMPARE(report.value("headers").toArray().first().toObject().value("name").toString(),
             QStringLiteral("From"));
    QVERIFY(report.value("warnings").toArray().isEmpty());
}

void TestMimeInspect::unreadableFile_data()
{
    QTest::addColumn<bool>("json");
    QTest::newRow("text") << false;
    QTest::newRow("json") << true;
}

void TestMimeInspect::unreadableFile()
{
    QFETCH(bool, json);
    QTemporaryDir dir;
    const QString missing = dir.filePath(QStringLiteral("missing.eml"));
    const Run run = inspect(missing, json);
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.out.isEmpty());
    QVERIFY(run.err.contains(QStringLiteral("cannot read ") + missing));

    const Run directory = inspect(dir.path(), json);
    QCOMPARE(directory.exitCode, 2);
    QVERIFY(directory.err.contains(QStringLiteral("cannot read")));
}

void TestMimeInspect::headerlessFile()
{
    QTemporaryDir dir;
    QFile file(dir.filePath(QStringLiteral("body-only.txt")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("no header here, just text\n");
    file.close();
    const Run run = inspect(file.fileName(), false);
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(QStringLiteral("No header")));
    QVERIFY(run.out.contains(QStringLiteral("no header here, just text")));
}

QTEST_GUILESS_MAIN(TestMimeInspect)
#include "tst_mimeinspect.moc"
