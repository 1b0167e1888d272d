#include "ConfigFile.h"
#include "Options.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

// The config file as one more layer under the environment and the command line.
class tst_ConfigOptions : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyOptionFromFile();
    void precedence_data();
    void precedence();
    void badKeysNamed_data();
    void badKeysNamed();
    void desktopSkipsBadKeys();
    void missingFiles();
    void commaValueKeptWhole();
    void repeatedTags();
    void updateKeepsOtherKeys();

private:
    QString write(const QByteArray &text);
    static ParsedOptions parse(QStringList arguments, const QStringList &environment = {},
                               const QString &defaultFile = QString());

    QTemporaryDir m_dir;
    int m_files = 0;
};

QString tst_ConfigOptions::write(const QByteArray &text)
{
    const QString path = m_dir.filePath(QStringLiteral("config-%1.ini").arg(++m_files));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

ParsedOptions tst_ConfigOptions::parse(QStringList arguments, const QStringList &environment,
                                       const QString &defaultFile)
{
    arguments.prepend(QStringLiteral("smtpeek"));
    return parseOptions(arguments, environment, defaultFile);
}

// A file that sets every key to something other than its default gives exactly those options.
void tst_ConfigOptions::everyOptionFromFile()
{
    AppOptions chosen;
    chosen.headless = true;
    chosen.listenAddress = QHostAddress(QStringLiteral("::1"));
    chosen.listenPort = 3025;
    chosen.hostname = QStringLiteral("mail.test");
    chosen.databasePath = QStringLiteral("/var/tmp/x.sqlite");
    chosen.fullSync = true;
    chosen.limits.maxMessageSize = 1234;
    chosen.limits.maxRecipients = 7;
    chosen.limits.maxSessions = 9;
    chosen.limits.idleTimeoutMs = 42000;
    chosen.limits.maxBadCommands = 3;
    chosen.limits.strictLineLength = true;
    chosen.limits.maxBytesInFlight = 1 << 20;
    chosen.limits.maxTranscriptBytes = 1 << 16;
    chosen.limits.maxTranscriptEntries = 500;
    chosen.limits.maxDataMs = 60000;
    chosen.limits.tlsHandshakeTimeoutMs = 5000;
    chosen.security.tlsCertificate = QStringLiteral("/etc/c.pem");
    chosen.security.tlsKey = QStringLiteral("/etc/k.pem");
    chosen.smtpsPort = 2465;
    chosen.pop3 = true;
    chosen.pop3Port = 1995;
    chosen.security.requireTls = true;
    chosen.security.auth = QStringLiteral("users:/etc/users");
    chosen.security.requireAuth = true;
    chosen.security.authOverTlsOnly = true;
    chosen.security.showSecrets = true;
    chosen.retainMessages = 100;
    chosen.retainSessions = 50;
    chosen.api.address = QHostAddress(QStringLiteral("0.0.0.0"));
    chosen.api.port = 9025;
    chosen.api.enabled = false;
    chosen.api.user = QStringLiteral("u");
    chosen.api.password = QStringLiteral("p");
    chosen.relay.target.host = QStringLiteral("mail.example.org");
    chosen.relay.target.port = 587;
    chosen.relay.target.tls = RelayTarget::Tls::StartTls;
    chosen.relay.target.insecure = true;
    chosen.relay.target.user = QStringLiteral("relayuser");
    chosen.relay.target.password = QStringLiteral("relaypass");
    chosen.relay.target.timeouts = {5000, 6000, 7000};
    chosen.relay.returnPath = "bounce@example.org";
    chosen.relay.allowedRecipients = QStringLiteral("@example[.]org$");
    chosen.relay.blockedRecipients = QStringLiteral("^ceo@");
    chosen.relay.relayAll = true;
    chosen.relay.forward = {"copy@example.org", "audit@example.org"};
    chosen.relay.freshHeaders = true;
    chosen.relay.retries = 2;
    chosen.relay.retryDelayMs = 3000;
    chosen.relay.retryMaxDelayMs = 9000;
    chosen.api.dkimKeysFile = QStringLiteral("/etc/dkim-keys");
    chosen.api.spamAssassin = QStringLiteral("127.0.0.1:783");
    chosen.api.webhookUrl = QStringLiteral("https://hooks.example.org/smtpeek");
    chosen.api.webhookLimit = 5;
    chosen.rules.file =
        write(R"({"Rules": [{"Name": "n", "Stage": "rcpt", "Action": "disconnect"}]})");
    chosen.rules.seed = 9;
    chosen.rules.chaos = true;
    chosen.rules.triggers.recipient = {550, 10};
    chosen.tags.rules = {QStringLiteral("Ops <- client 10.*")}; // INI reads ';' as a comment
    chosen.tags.file = write("# routing\nSupport <- recipient *@support.test\n");
    chosen.tags.plusAddressing = false;
    chosen.desktop.startOnLaunch = false;
    chosen.desktop.notifyNewMail = false;
    chosen.desktop.safePreview = true;

    const QMap<QString, QString> texts = configTexts(chosen);
    const QMap<QString, QString> defaults = configTexts(AppOptions());
    QByteArray file;
    for (auto it = texts.cbegin(); it != texts.cend(); ++it) {
        // Every key is covered but those excluded by db and tls-cert (the precedence rows).
        const bool excluded = it.key() == u"memory" || it.key() == u"tls-auto" ||
                              it.key() == u"relay-matching"; // excluded by relay-all
        QVERIFY2(it.value() != defaults.value(it.key()) || excluded, qPrintable(it.key()));
        file += it.key().toUtf8() + '=' + it.value().toUtf8() + '\n';
    }
    const ParsedOptions parsed = parse({QStringLiteral("--config"), write(file)});
    QVERIFY2(parsed.options, qPrintable(parsed.message));
    QCOMPARE(configTexts(*parsed.options), texts);
    QCOMPARE(parsed.options->rules.rules.size(), 1); // the rules file is read, not just named
    QCOMPARE(parsed.options->tags.compiled->routes.size(), 2); // one of them from the tags file
    QVERIFY(!parsed.options->tags.compiled->plusAddressing);
    QCOMPARE(parsed.options->listenAddress, chosen.listenAddress);
    QCOMPARE(parsed.options->limits.idleTimeoutMs, 42000);
    QCOMPARE(parsed.options->smtpsPort, std::optional<quint16>(2465));
    QVERIFY(parsed.options->security == chosen.security);
    QVERIFY(parsed.options->apiAddressGiven);
    QVERIFY(!parsed.options->desktop.startOnLaunch);
    QVERIFY(parsed.options->desktop.safePreview);
}

void tst_ConfigOptions::precedence_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QStringList>("environment");
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("expected");

    const QStringList none;
    const QString size = QStringLiteral("max-size");
    QTest::newRow("default") << QByteArray() << none << none << size << "26214400";
    QTest::newRow("file") << QByteArray("max-size=1000\n") << none << none << size << "1000";
    QTest::newRow("environment over file")
        << QByteArray("max-size=1000\n") << QStringList{"SMTPEEK_MAX_SIZE=2000"} << none << size
        << "2000";
    QTest::newRow("command line over both")
        << QByteArray("max-size=1000\n") << QStringList{"SMTPEEK_MAX_SIZE=2000"}
        << QStringList{"--max-size", "3000"} << size << "3000";
    const QString memory = QStringLiteral("memory");
    QTest::newRow("flag in file") << QByteArray("memory=true\n") << none << none << memory
                                  << "true";
    QTest::newRow("environment turns a file's flag off")
        << QByteArray("memory=yes\n") << QStringList{"SMTPEEK_MEMORY=0"} << none << memory
        << "false";
    QTest::newRow("bare flag over environment") << QByteArray() << QStringList{"SMTPEEK_MEMORY=off"}
                                                << QStringList{"--memory"} << memory << "true";
    QTest::newRow("tls-auto in file") << QByteArray("tls-auto=true\n") << none << none << "tls-auto"
                                      << "true";
    QTest::newRow("listen on localhost")
        << QByteArray("listen=localhost:2600\n") << none << none << "listen"
        << "127.0.0.1:2600";
    QTest::newRow("listen from a [General] section")
        << QByteArray("[General]\nlisten=[::1]:2600\n") << none << none << "listen"
        << "[::1]:2600";
    QTest::newRow("desktop key from environment")
        << QByteArray("notify=false\n") << QStringList{"SMTPEEK_NOTIFY=true"} << none << "notify"
        << "true";
}

void tst_ConfigOptions::precedence()
{
    QFETCH(QByteArray, file);
    QFETCH(QStringList, environment);
    QFETCH(QStringList, arguments);
    QFETCH(QString, key);
    QFETCH(QString, expected);
    arguments << QStringLiteral("--headless");
    const ParsedOptions parsed = parse(arguments, environment, write(file));
    QVERIFY2(parsed.options, qPrintable(parsed.message));
    QCOMPARE(configTexts(*parsed.options).value(key), expected);
}

void tst_ConfigOptions::badKeysNamed_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("named");
    QTest::newRow("unknown key") << QByteArray("colour=blue\n") << "unknown key 'colour'";
    QTest::newRow("key in a group")
        << QByteArray("[server]\nport=1\n") << "unknown key 'server/port'";
    QTest::newRow("command-line-only key")
        << QByteArray("inspect=/tmp/a.eml\n") << "unknown key 'inspect'";
    QTest::newRow("bad number") << QByteArray("max-size=lots\n") << "max-size in ";
    QTest::newRow("bad flag") << QByteArray("strict=maybe\n") << "strict in ";
    QTest::newRow("bad word") << QByteArray("sync=sometimes\n") << "sync in ";
    QTest::newRow("bad address") << QByteArray("listen=nowhere:x\n") << "listen in ";
    QTest::newRow("bad relay tls") << QByteArray("relay=h:25\nrelay-tls=maybe\n") << "relay-tls in ";
    QTest::newRow("bad relay address") << QByteArray("relay=h:0\n") << "relay in ";
    QTest::newRow("bad regex") << QByteArray("relay-allowed=(\n") << "relay-allowed in ";
    QTest::newRow("bad forward") << QByteArray("relay=h\nforward=a@b,nobody\n") << "forward in ";
    QTest::newRow("auto-relay without relay")
        << QByteArray("relay-all=true\n") << "need --relay HOST:PORT (in ";
    QTest::newRow("bad spamd") << QByteArray("spamassassin=localhost\n") << "spamassassin in ";
    QTest::newRow("bad tag rule") << QByteArray("tag=a/b=subject:x\n") << "tag in ";
    QTest::newRow("bad tags file")
        << QByteArray("tags-file=/nonexistent/tags\n") << "tags-file in ";
    QTest::newRow("bad plus") << QByteArray("tags-plus-addressing=sometimes\n")
                              << "tags-plus-addressing in ";
    QTest::newRow("half a pair") << QByteArray("tls-cert=/etc/c.pem\n")
                                 << "--tls-cert and --tls-key go together (in ";
}

// Headless, a bad key stops smtpeek with exit code 2 and the key's name.
void tst_ConfigOptions::badKeysNamed()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, named);
    const QString path = write(file);
    const ParsedOptions parsed = parse({QStringLiteral("--headless")}, {}, path);
    QVERIFY(!parsed.options);
    QCOMPARE(parsed.exitCode, 2);
    QVERIFY2(parsed.message.contains(named), qPrintable(parsed.message));
    QVERIFY2(parsed.message.contains(path), qPrintable(parsed.message));
}

// The desktop reports the file's bad keys, keeps their defaults and applies the rest; a bad
// value on the command line or in the environment still stops it.
void tst_ConfigOptions::desktopSkipsBadKeys()
{
    const QString path = write("max-size=lots\ncolour=blue\nhostname=kept.test\n");
    const ParsedOptions parsed = parse({}, {}, path);
    QVERIFY2(parsed.options, qPrintable(parsed.message));
    QCOMPARE(parsed.configProblems.size(), 2);
    QVERIFY(parsed.configProblems.join(u' ').contains(u"colour"));
    QVERIFY(parsed.configProblems.join(u' ').contains(u"max-size"));
    QCOMPARE(parsed.options->limits.maxMessageSize, SmtpLimits().maxMessageSize);
    QCOMPARE(parsed.options->hostname, QStringLiteral("kept.test"));
    QCOMPARE(parsed.options->configPath, path);

    const ParsedOptions fromEnvironment = parse({}, {QStringLiteral("SMTPEEK_MAX_SIZE=x")}, path);
    QVERIFY(!fromEnvironment.options);
    QVERIFY2(fromEnvironment.message.contains(u"SMTPEEK_MAX_SIZE"),
             qPrintable(fromEnvironment.message));
}

void tst_ConfigOptions::missingFiles()
{
    const QString absent = m_dir.filePath(QStringLiteral("absent.ini"));
    const ParsedOptions byDefault = parse({QStringLiteral("--headless")}, {}, absent);
    QVERIFY2(byDefault.options, qPrintable(byDefault.message));
    QCOMPARE(byDefault.options->configPath, absent); // where the desktop will write

    for (const ParsedOptions &given : {parse({QStringLiteral("--config"), absent}),
                                       parse({}, {QStringLiteral("SMTPEEK_CONFIG=") + absent})}) {
        QVERIFY(!given.options);
        QCOMPARE(given.exitCode, 2);
        QVERIFY2(given.message.contains(u"does not exist"), qPrintable(given.message));
    }
}

void tst_ConfigOptions::commaValueKeptWhole()
{
    const ParsedOptions parsed =
        parse({QStringLiteral("--headless")}, {}, write("auth=users:/etc/a,b\n"));
    QVERIFY2(parsed.options, qPrintable(parsed.message));
    QCOMPARE(parsed.options->security.auth, QStringLiteral("users:/etc/a,b"));
}

// --tag repeats on the command line; the last rule of each kind is not the only one kept.
void tst_ConfigOptions::repeatedTags()
{
    const ParsedOptions parsed =
        parse({QStringLiteral("--headless"), QStringLiteral("--tag"), QStringLiteral("A=subject:a"),
               QStringLiteral("--tag"), QStringLiteral("B <- sender *@b.test"),
               QStringLiteral("--tags-plus-addressing"), QStringLiteral("off")});
    QVERIFY2(parsed.options, qPrintable(parsed.message));
    QCOMPARE(parsed.options->tags.compiled->queryRules.size(), 1);
    QCOMPARE(parsed.options->tags.compiled->routes.size(), 1);
    QVERIFY(!parsed.options->tags.compiled->plusAddressing);
    QVERIFY(storeOptions(*parsed.options).tagRules == parsed.options->tags.compiled);

    const ParsedOptions fromEnvironment =
        parse({QStringLiteral("--headless")},
              {QStringLiteral("SMTPEEK_TAG=A=subject:a; B=from:b ;C <- auth x")});
    QVERIFY2(fromEnvironment.options, qPrintable(fromEnvironment.message));
    QCOMPARE(fromEnvironment.options->tags.compiled->queryRules.size(), 2);
    QCOMPARE(fromEnvironment.options->tags.compiled->routes.size(), 1);
    QVERIFY(fromEnvironment.options->tags.compiled->plusAddressing);
}

void tst_ConfigOptions::updateKeepsOtherKeys()
{
    const QString path = write("max-recipients=5\nhostname=old.test\n");
    QString error;
    QVERIFY2(updateConfigFile(path,
                              {{QStringLiteral("hostname"), std::nullopt},
                               {QStringLiteral("listen"), QStringLiteral("0.0.0.0:2600")}},
                              &error),
             qPrintable(error));
    const auto file = readConfigFile(path, &error);
    QVERIFY2(file, qPrintable(error));
    const QHash<QString, QString> expected = {
        {QStringLiteral("max-recipients"), QStringLiteral("5")},
        {QStringLiteral("listen"), QStringLiteral("0.0.0.0:2600")}};
    QCOMPARE(file->values, expected);

    const QString created = m_dir.filePath(QStringLiteral("new/smtpeek.ini"));
    QVERIFY2(updateConfigFile(created, {{QStringLiteral("db"), QStringLiteral("/x")}}, &error),
             qPrintable(error));
    QCOMPARE(QFile::permissions(created) & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
}

QTEST_GUILESS_MAIN(tst_ConfigOptions)
#include "tst_configoptions.moc"
