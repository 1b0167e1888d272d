// The small pieces: notification throttling, mbox entries, the transcript view, sort keys.

#include "ConfigFile.h"
#include "DesktopSettings.h"
#include "NotificationThrottle.h"
#include "Options.h"
#include "SettingsSections.h"
#include "TextSortKey.h"
#include "TranscriptView.h"
#include "store/MessageExport.h"

#include <QLineEdit>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>

namespace {
// What the dialog saves into a fresh config file, read back as the options of the next launch.
std::optional<AppOptions> savedAndRead(const DesktopSettings &settings)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("smtpeek.ini"));
    QString error;
    if (!saveSettingsChanges(path, DesktopSettings(), settings, &error)) {
        qWarning() << error;
        return std::nullopt;
    }
    const ParsedOptions parsed =
        parseOptions({QStringLiteral("smtpeek"), QStringLiteral("--config"), path}, {}, QString());
    if (!parsed.options)
        qWarning() << parsed.message;
    return parsed.options;
}
} // namespace

class tst_DesktopUnits : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void securitySettingsRoundTrip();
    void webhookSettingsRoundTrip();
    void defaultsMatchTheOptions();
    void savesOnlyWhatWasEdited();
    void floodGivesAHandfulOfNotifications();
    void mboxQuotesFromLines();
    void transcriptLinesAndHighlight();
    void textSortKeysOrderLikeCaseInsensitiveCompare();
};

void tst_DesktopUnits::floodGivesAHandfulOfNotifications()
{
    NotificationThrottle throttle(5000);
    int shown = 0;
    int counted = 0;
    // 10,000 messages over 20 seconds, in batches of 25 every 50 ms.
    for (qint64 now = 0; now < 20000; now += 50) {
        if (auto n = throttle.add(25, QStringLiteral("s"), now)) {
            ++shown;
            counted += n->count;
        }
    }
    if (auto n = throttle.due(throttle.nextDueMs())) {
        ++shown;
        counted += n->count;
    }
    QVERIFY2(shown <= 6, qPrintable(QString::number(shown)));
    QCOMPARE(counted, 10000); // folded, not lost
    QCOMPARE(throttle.nextDueMs(), -1);
    // A single message after a quiet spell shows at once.
    QVERIFY(throttle.add(1, QStringLiteral("late"), 100000));
}

void tst_DesktopUnits::mboxQuotesFromLines()
{
    const QByteArray raw = "Subject: x\r\n\r\nFrom here\r\n>From there\r\nFromage\r\n";
    const QByteArray entry = mboxEntry(raw, "a@example.com", 0);
    QVERIFY(entry.startsWith("From a@example.com Thu Jan 1 00:00:00 1970\n"));
    QVERIFY(entry.contains("\r\n>From here\r\n>>From there\r\nFromage\r\n"));
    QVERIFY(entry.endsWith("\r\n\n"));
    QVERIFY(mboxEntry("x", QByteArray(), 0).startsWith("From MAILER-DAEMON "));
}

void tst_DesktopUnits::transcriptLinesAndHighlight()
{
    TranscriptView view;
    using D = TranscriptEntry::Direction;
    view.setTranscript({{0, D::Server, "220 ready\r\n"},
                        {1, D::Client, "EHLO a\r\n"},
                        {2, D::Server, "250-hello\r\n250 SIZE 1\r\n"}});
    view.append({{3, D::Client, "MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\n"},
                 {4, D::Event, "[DATA: 10 bytes, 1 lines]"}});
    QCOMPARE(view.entryCount(), 5);
    QCOMPARE(view.document()->blockCount(), 7);
    QVERIFY(view.document()->findBlockByNumber(3).text().endsWith(QStringLiteral("S: 250 SIZE 1")));
    QVERIFY(
        view.document()->findBlockByNumber(6).text().contains(QStringLiteral("[DATA: 10 bytes")));
    view.highlightEntries(3, 4);
    QCOMPARE(view.extraSelections().size(), 3);
    view.highlightEntries(-1, -1);
    QVERIFY(view.extraSelections().isEmpty());
}

// TLS and AUTH choices survive the settings file and the dialog section unchanged.
void tst_DesktopUnits::securitySettingsRoundTrip()
{
    DesktopSettings settings;
    settings.security.tlsCertificate = QStringLiteral("/etc/cert.pem");
    settings.security.tlsKey = QStringLiteral("/etc/key.pem");
    settings.security.requireTls = true;
    settings.security.auth = QStringLiteral("users:/etc/users");
    settings.security.requireAuth = true;
    settings.security.authOverTlsOnly = true;
    settings.smtpsPort = 2465;

    const std::optional<AppOptions> saved = savedAndRead(settings);
    QVERIFY(saved);
    const DesktopSettings loaded = DesktopSettings::fromOptions(*saved);
    QVERIFY(loaded.security == settings.security);
    QCOMPARE(loaded.smtpsPort, quint16(2465));

    SecuritySettingsSection section;
    section.load(loaded);
    DesktopSettings applied;
    section.apply(applied);
    QVERIFY(applied.security == settings.security);
    QCOMPARE(applied.smtpsPort, quint16(2465));

    DesktopSettings automatic;
    automatic.security.tlsAuto = true;
    automatic.security.auth = QStringLiteral("off");
    section.load(automatic);
    section.apply(applied);
    QVERIFY(applied.security == automatic.security);
}

// The webhook set in the dialog reaches the config file and comes back; a URL that is not
// http(s) is not taken.
void tst_DesktopUnits::webhookSettingsRoundTrip()
{
    DesktopSettings settings;
    settings.webhookUrl = QStringLiteral("https://hooks.example.test/mail");
    settings.webhookLimit = 7;
    const std::optional<AppOptions> saved = savedAndRead(settings);
    QVERIFY(saved);
    QCOMPARE(saved->api.webhookUrl, settings.webhookUrl);
    QCOMPARE(saved->api.webhookLimit, 7);

    AutomationSettingsSection section;
    section.load(DesktopSettings::fromOptions(*saved));
    DesktopSettings applied;
    section.apply(applied);
    QCOMPARE(applied.webhookUrl, settings.webhookUrl);
    QCOMPARE(applied.webhookLimit, 7);
    section.findChild<QLineEdit *>()->setText(QStringLiteral("ftp://nope"));
    DesktopSettings kept = applied;
    section.apply(kept);
    QCOMPARE(kept.webhookUrl, settings.webhookUrl);
}

// The dialog's defaults are the command line's, so an untouched dialog writes nothing.
void tst_DesktopUnits::defaultsMatchTheOptions()
{
    AppOptions fromDefaults;
    DesktopSettings::fromOptions(AppOptions()).applyTo(fromDefaults);
    AppOptions fromDialog;
    DesktopSettings().applyTo(fromDialog);
    QCOMPARE(configTexts(fromDialog), configTexts(fromDefaults));
}

// A value this run took from the command line stays out of the file; the edit goes in; a
// value set back to its default leaves the file; keys the dialog does not show stay.
void tst_DesktopUnits::savesOnlyWhatWasEdited()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("smtpeek.ini"));
    QString error;
    QVERIFY(updateConfigFile(path,
                             {{QStringLiteral("max-recipients"), QStringLiteral("7")},
                              {QStringLiteral("retain-messages"), QStringLiteral("10")}},
                             &error));
    const ParsedOptions parsed =
        parseOptions({QStringLiteral("smtpeek"), QStringLiteral("--config"), path,
                      QStringLiteral("--hostname"), QStringLiteral("cli.test")},
                     {}, QString());
    QVERIFY2(parsed.options, qPrintable(parsed.message));
    const DesktopSettings before = DesktopSettings::fromOptions(*parsed.options);
    QCOMPARE(before.hostname, QStringLiteral("cli.test"));
    QCOMPARE(before.retainMessages, 10);
    DesktopSettings after = before;
    after.listenPort = 2600;
    after.retainMessages = 0;
    QVERIFY2(saveSettingsChanges(path, before, after, &error), qPrintable(error));

    const auto file = readConfigFile(path, &error);
    QVERIFY2(file, qPrintable(error));
    const QHash<QString, QString> expected = {
        {QStringLiteral("max-recipients"), QStringLiteral("7")},
        {QStringLiteral("listen"), QStringLiteral("127.0.0.1:2600")}};
    QCOMPARE(file->values, expected);
}

void tst_DesktopUnits::textSortKeysOrderLikeCaseInsensitiveCompare()
{
    const QStringList texts = {
        QString(),
        QStringLiteral("a"),
        QStringLiteral("A"),
        QStringLiteral("ab"),
        QStringLiteral("Invoice 12345 for your order"),
        QStringLiteral("INVOICE 12345 FOR YOUR ORDER, again"),
        QStringLiteral("invoice 12346 for your order"),
        QStringLiteral("Invoice 1234"),
        QStringLiteral("Zebra"),
        QStringLiteral("_under"),
        QStringLiteral("[bracket"),
        QStringLiteral("Émile"),
        QStringLiteral("émile"),
        QStringLiteral("Straße"),
        QStringLiteral("STRASSE"),
        QStringLiteral("Σίσυφος"),
        QStringLiteral("σίσυφοσ"),
        QStringLiteral("ǅemal"),
        QStringLiteral("ǆemal"),
        QStringLiteral("\U00010400 deseret"), // a letter outside the BMP, and its lower case
        QStringLiteral("\U00010428 deseret"),
        QStringLiteral("\U0001F600 smile"),
        QStringLiteral("a\u0000b"),
        QStringLiteral("日本語の件名"),
    };
    for (const QString &a : texts) {
        for (const QString &b : texts) {
            const TextSortKey keyA(a);
            const TextSortKey keyB(b);
            if (keyA == keyB)
                continue; // the full comparison decides
            const bool compareSaysLess = a.compare(b, Qt::CaseInsensitive) < 0;
            QVERIFY2(compareSaysLess == (keyA < keyB), qPrintable(a + QStringLiteral(" / ") + b));
        }
        QVERIFY(TextSortKey(a) == TextSortKey(a.toUpper()) || a.toUpper().size() != a.size());
    }
}

QTEST_MAIN(tst_DesktopUnits)
#include "tst_desktopunits.moc"
