#include "Options.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace {

struct OptionSpec
{
    const char *name;
    const char *valueName; // nullptr for a flag
    const char *description;
};

// Every option may also come from the environment as SMTPEEK_<NAME> (dashes as underscores).
const OptionSpec kOptions[] = {
    {"headless", nullptr, "Run without a window: log to stdout, stop on SIGINT/SIGTERM."},
    {"listen", "addr:port", "Address and port for SMTP (default 127.0.0.1:2525; port 0 picks one)."},
    {"hostname", "name", "Name in the greeting and EHLO reply (default: this machine's)."},
    {"db", "path", "SQLite database file (default: smtpeek.sqlite in the app data folder)."},
    {"memory", nullptr, "Keep everything in memory; nothing is written to disk."},
    {"sync", "normal|full", "SQLite durability: normal survives a crash, full a power loss."},
    {"max-size", "bytes", "Largest message accepted (default 26214400)."},
    {"max-recipients", "n", "Recipients per message (default 1000)."},
    {"max-sessions", "n", "Concurrent sessions (default 1000)."},
    {"idle-timeout", "seconds", "Close a session idle this long (default 300)."},
    {"max-bad-commands", "n", "Close a session after this many refused commands (default 20)."},
    {"strict", nullptr, "Refuse messages with text lines over 1000 octets (554 5.6.0)."},
    {"tls-cert", "pem", "Certificate for STARTTLS and SMTPS (with --tls-key)."},
    {"tls-key", "pem", "Unencrypted private key of --tls-cert."},
    {"tls-auto", nullptr, "Offer STARTTLS with a self-signed certificate made on first use."},
    {"smtps-port", "port", "Also listen for implicit TLS (SMTPS) on this port, e.g. 2465."},
    {"require-tls", nullptr, "Refuse MAIL before STARTTLS (530 5.7.0)."},
    {"auth", "any|off|users:file", "AUTH PLAIN/LOGIN/CRAM-MD5: accept any credentials (default), "
                                   "none, or only user:password lines of a file."},
    {"require-auth", nullptr, "Refuse MAIL before AUTH (530 5.7.0)."},
    {"auth-tls-only", nullptr, "Offer AUTH only over TLS (538 5.7.11 before STARTTLS)."},
    {"show-secrets", nullptr, "Show AUTH secrets in transcripts instead of masking them."},
    {"retain-messages", "n", "Keep only the newest n messages (default 0: all)."},
    {"retain-sessions", "n", "Keep only the newest n sessions (default 0: all)."},
    {"inspect", "file.eml", "Print the decoded structure of a message file and exit."},
    {"json", nullptr, "With --inspect: print JSON."},
    {"api", "addr:port", "Address and port for the Mailpit-compatible HTTP API and its events "
                         "(default 127.0.0.1:8025)."},
    {"no-api", nullptr, "Do not serve the HTTP API."},
    {"api-user", "name", "Basic-auth user for the API; only meaningful when --api binds a "
                         "non-loopback address. Needs --api-password."},
    {"api-password", "secret", "Basic-auth password for the API (see --api-user)."},
};

QString environmentName(const char *option)
{
    return QStringLiteral("SMTPEEK_") + QString::fromLatin1(option).toUpper().replace(u'-', u'_');
}

class OptionReader
{
public:
    OptionReader(const QCommandLineParser &parser, const QStringList &environment)
        : m_parser(parser)
    {
        for (const QString &entry : environment) {
            const qsizetype eq = entry.indexOf(u'=');
            if (eq > 0)
                m_environment.insert(entry.left(eq), entry.mid(eq + 1));
        }
    }

    std::optional<QString> value(const char *name) const
    {
        const QString option = QString::fromLatin1(name);
        if (m_parser.isSet(option))
            return m_parser.value(option);
        const auto it = m_environment.constFind(environmentName(name));
        if (it != m_environment.cend())
            return *it;
        return std::nullopt;
    }

    bool flag(const char *name) const
    {
        if (m_parser.isSet(QString::fromLatin1(name)))
            return true;
        const auto v = value(name);
        return v && (*v == u"1" || v->compare(u"true", Qt::CaseInsensitive) == 0 ||
                     v->compare(u"yes", Qt::CaseInsensitive) == 0);
    }

    // Reads a whole number in [min, max] into *out; records an error otherwise.
    template <typename T> void number(const char *name, qint64 min, qint64 max, T *out)
    {
        const auto v = value(name);
        if (!v)
            return;
        bool ok = false;
        const qint64 n = v->toLongLong(&ok);
        if (!ok || n < min || n > max) {
            m_errors.append(QStringLiteral("--%1 takes a whole number from %2 to %3, not '%4'")
                                .arg(QLatin1String(name))
                                .arg(min)
                                .arg(max)
                                .arg(*v));
            return;
        }
        *out = T(n);
    }

    void fail(const QString &error) { m_errors.append(error); }
    const QStringList &errors() const { return m_errors; }

private:
    const QCommandLineParser &m_parser;
    QHash<QString, QString> m_environment;
    QStringList m_errors;
};

// QCommandLineParser names the program from QCoreApplication, which does not exist yet here.
QString usage(const QCommandLineParser &parser)
{
    return parser.helpText().replace(QStringLiteral("<executable_name>"),
                                     QStringLiteral("smtpeek"));
}
} // namespace

bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port)
{
    QString host;
    QString portText = text;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(QStringLiteral("]:"));
        if (close < 0)
            return false;
        host = text.mid(1, close - 1);
        portText = text.mid(close + 2);
    } else if (text.contains(u':')) {
        const qsizetype colon = text.lastIndexOf(u':');
        host = text.left(colon);
        portText = text.mid(colon + 1);
    }
    bool ok = false;
    const uint number = portText.toUInt(&ok);
    if (!ok || number > 65535)
        return false;
    QHostAddress parsed = QHostAddress::LocalHost;
    if (!host.isEmpty() && !parsed.setAddress(host)) {
        if (host.compare(u"localhost", Qt::CaseInsensitive) != 0)
            return false;
        parsed = QHostAddress::LocalHost;
    }
    *address = parsed;
    *port = quint16(number);
    return true;
}

ParsedOptions parseOptions(const QStringList &arguments, const QStringList &environment)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "smtpeek captures every message sent to it over SMTP and delivers none.\n"
        "Every option can also be set as an environment variable SMTPEEK_<OPTION>, "
        "e.g. SMTPEEK_LISTEN=0.0.0.0:2525."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    for (const OptionSpec &spec : kOptions) {
        QCommandLineOption option(QString::fromLatin1(spec.name),
                                  QString::fromLatin1(spec.description));
        if (spec.valueName)
            option.setValueName(QString::fromLatin1(spec.valueName));
        parser.addOption(option);
    }

    ParsedOptions result;
    if (!parser.parse(arguments)) {
        result.message = parser.errorText() + QStringLiteral("\n\n") + usage(parser);
        result.exitCode = 2;
        return result;
    }
    if (parser.isSet(help)) {
        result.message = usage(parser);
        return result;
    }
    if (parser.isSet(version)) {
        result.message = QCoreApplication::applicationName() + u' ' +
                         QCoreApplication::applicationVersion() + u'\n';
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.message = QStringLiteral("unexpected argument '%1'\n\n%2")
                             .arg(parser.positionalArguments().first(), usage(parser));
        result.exitCode = 2;
        return result;
    }

    OptionReader reader(parser, environment);
    AppOptions o;
    o.headless = reader.flag("headless");
    if (const auto listen = reader.value("listen")) {
        if (!parseListenAddress(*listen, &o.listenAddress, &o.listenPort))
            reader.fail(QStringLiteral("--listen takes ADDR:PORT, not '%1'").arg(*listen));
    }
    o.hostname = reader.value("hostname").value_or(QString());
    o.databasePath = reader.value("db").value_or(QString());
    o.memoryStore = reader.flag("memory");
    if (o.memoryStore && !o.databasePath.isEmpty())
        reader.fail(QStringLiteral("--db and --memory exclude each other"));
    if (const auto sync = reader.value("sync")) {
        if (*sync != u"normal" && *sync != u"full")
            reader.fail(QStringLiteral("--sync takes normal or full, not '%1'").arg(*sync));
        o.fullSync = *sync == u"full";
    }
    reader.number("max-size", 1, qint64(1) << 40, &o.limits.maxMessageSize);
    reader.number("max-recipients", 1, 1000000, &o.limits.maxRecipients);
    reader.number("max-sessions", 1, 100000, &o.limits.maxSessions);
    int idleSeconds = o.limits.idleTimeoutMs / 1000;
    reader.number("idle-timeout", 1, 86400, &idleSeconds);
    o.limits.idleTimeoutMs = idleSeconds * 1000;
    reader.number("max-bad-commands", 1, 100000, &o.limits.maxBadCommands);
    o.limits.strictLineLength = reader.flag("strict");
    SecurityOptions &security = o.security;
    security.tlsCertificate = reader.value("tls-cert").value_or(QString());
    security.tlsKey = reader.value("tls-key").value_or(QString());
    security.tlsAuto = reader.flag("tls-auto");
    if (security.tlsCertificate.isEmpty() != security.tlsKey.isEmpty())
        reader.fail(QStringLiteral("--tls-cert and --tls-key go together"));
    if (security.tlsAuto && !security.tlsCertificate.isEmpty())
        reader.fail(QStringLiteral("--tls-auto and --tls-cert exclude each other"));
    if (reader.value("smtps-port")) {
        quint16 port = 2465;
        reader.number("smtps-port", 0, 65535, &port);
        o.smtpsPort = port;
    }
    security.requireTls = reader.flag("require-tls");
    security.auth = reader.value("auth").value_or(security.auth);
    if (security.auth != u"any" && security.auth != u"off" && !security.auth.startsWith(u"users:"))
        reader.fail(
            QStringLiteral("--auth takes any, off or users:FILE, not '%1'").arg(security.auth));
    security.requireAuth = reader.flag("require-auth");
    security.authOverTlsOnly = reader.flag("auth-tls-only");
    security.showSecrets = reader.flag("show-secrets");
    o.securityGiven = security != SecurityOptions() || o.smtpsPort.has_value();
    if ((o.smtpsPort || security.requireTls) && !security.tlsConfigured())
        reader.fail(QStringLiteral("--smtps-port and --require-tls need --tls-auto or --tls-cert"));
    if (security.requireAuth && security.auth == u"off")
        reader.fail(QStringLiteral("--require-auth needs --auth any or users:FILE"));
    reader.number("retain-messages", 0, qint64(1) << 40, &o.retainMessages);
    reader.number("retain-sessions", 0, qint64(1) << 40, &o.retainSessions);
    o.inspectPath = reader.value("inspect").value_or(QString());
    o.inspectJson = reader.flag("json");
    if (const auto api = reader.value("api")) {
        o.apiAddressGiven = true;
        if (!parseListenAddress(*api, &o.api.address, &o.api.port))
            reader.fail(QStringLiteral("--api takes ADDR:PORT, not '%1'").arg(*api));
    }
    o.api.enabled = !reader.flag("no-api");
    o.api.user = reader.value("api-user").value_or(QString());
    o.api.password = reader.value("api-password").value_or(QString());
    if (o.api.user.isEmpty() != o.api.password.isEmpty())
        reader.fail(QStringLiteral("--api-user and --api-password go together"));

    if (!reader.errors().isEmpty()) {
        result.message = reader.errors().join(u'\n') + QStringLiteral("\n\n") + usage(parser);
        result.exitCode = 2;
        return result;
    }
    result.options = o;
    return result;
}
