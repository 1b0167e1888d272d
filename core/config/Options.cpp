#include "Options.h"

#include "ConfigFile.h"

#include "relay/OutgoingMessage.h"
#include "relay/RecipientRules.h"
#include "rules/RuleEngine.h"
#include "rules/RuleParser.h"

#include <QCommandLineParser>
#include <QFile>
#include <QRegularExpression>
#include <QFileInfo>

namespace {

// Where an option may be given. Every one may also come from the environment.
enum class Where
{
    Everywhere,
    CommandLineOnly, // naming a file to read or an action: meaningless inside the config file
    FileOnly         // desktop choices, which the Settings dialog writes
};

struct OptionSpec
{
    const char *name;
    const char *valueName; // nullptr for a flag
    const char *description;
    Where where = Where::Everywhere;
};

// Every option may also come from the environment as SMTPEEK_<NAME> (dashes as underscores),
// and all but the command-line-only ones from the config file as NAME=VALUE.
const OptionSpec kOptions[] = {
    {"config", "file",
     "Read options from this INI file (default: smtpeek/smtpeek.ini in the "
     "user's config folder, if it exists).",
     Where::CommandLineOnly},
    {"headless", nullptr, "Run without a window: log to stdout, stop on SIGINT/SIGTERM."},
    {"listen", "addr:port",
     "Address and port for SMTP (default 127.0.0.1:2525; port 0 picks one)."},
    {"hostname", "name", "Name in the greeting and EHLO reply (default: this machine's)."},
    {"db", "path", "SQLite database file (default: smtpeek.sqlite in the app data folder)."},
    {"memory", nullptr, "Keep everything in memory; nothing is written to disk."},
    {"sync", "normal|full", "SQLite durability: normal survives a crash, full a power loss."},
    {"max-size", "bytes", "Largest message accepted (default 26214400)."},
    {"max-recipients", "n", "Recipients per message (default 1000)."},
    {"max-sessions", "n", "Concurrent sessions (default 1000)."},
    {"idle-timeout", "seconds", "Close a session idle this long (default 300)."},
    {"max-bad-commands", "n", "Close a session after this many refused commands (default 20)."},
    {"max-in-flight", "bytes",
     "Mail being received or stored at once, all sessions (default 268435456, 0: no limit); "
     "past it, 452 4.3.1."},
    {"max-transcript", "bytes",
     "Transcript kept per session (default 4194304); later entries are counted, not kept."},
    {"max-transcript-entries", "n", "Transcript entries kept per session (default 20000)."},
    {"data-timeout", "seconds",
     "Longest time one message's DATA or BDAT may take (default 600); then 451 4.4.2."},
    {"tls-handshake-timeout", "seconds", "Close a TLS handshake not done by then (default 30)."},
    {"strict", nullptr, "Refuse messages with text lines over 1000 octets (554 5.6.0)."},
    {"tls-cert", "pem", "Certificate for STARTTLS and SMTPS (with --tls-key)."},
    {"tls-key", "pem", "Unencrypted private key of --tls-cert."},
    {"tls-auto", nullptr, "Offer STARTTLS with a self-signed certificate made on first use."},
    {"smtps-port", "port", "Also listen for implicit TLS (SMTPS) on this port, e.g. 2465."},
    {"pop3", "addr:port", "Serve the captured mail over POP3 here, e.g. 127.0.0.1:1110 (off)."},
    {"require-tls", nullptr, "Refuse MAIL before STARTTLS (530 5.7.0)."},
    {"auth", "any|off|users:file",
     "AUTH PLAIN/LOGIN/CRAM-MD5: accept any credentials (default), "
     "none, or only user:password lines of a file."},
    {"require-auth", nullptr, "Refuse MAIL before AUTH (530 5.7.0)."},
    {"auth-tls-only", nullptr, "Offer AUTH only over TLS (538 5.7.11 before STARTTLS)."},
    {"show-secrets", nullptr, "Show AUTH secrets in transcripts instead of masking them."},
    {"retain-messages", "n", "Keep only the newest n messages (default 0: all)."},
    {"retain-sessions", "n", "Keep only the newest n sessions (default 0: all)."},
    {"inspect", "file.eml", "Print the decoded structure of a message file and exit.",
     Where::CommandLineOnly},
    {"json", nullptr, "With --inspect: print JSON.", Where::CommandLineOnly},
    {"api", "addr:port",
     "Address and port for the Mailpit-compatible HTTP API and its events "
     "(default 127.0.0.1:8025)."},
    {"no-api", nullptr, "Do not serve the HTTP API."},
    {"api-user", "name",
     "Basic-auth user for the API; only meaningful when --api binds a "
     "non-loopback address. Needs --api-password."},
    {"api-password", "secret", "Basic-auth password for the API (see --api-user)."},
    {"relay", "host:port",
     "Upstream SMTP server that releases, auto-relay and forwards go to (port 25 if none)."},
    {"relay-tls", "auto|starttls|smtps|off",
     "TLS to the upstream: STARTTLS when offered (auto, default), required, implicit, or none."},
    {"relay-insecure", nullptr,
     "Accept the upstream's certificate without verifying it (self-signed); each attempt "
     "records it."},
    {"relay-user", "name", "AUTH user for the upstream (PLAIN, LOGIN or CRAM-MD5)."},
    {"relay-password", "secret", "AUTH password for the upstream (see --relay-password-file)."},
    {"relay-password-file", "file",
     "Read the upstream's AUTH password from the first line of "
     "this file."},
    {"relay-from", "addr",
     "MAIL FROM and Return-Path for relayed copies (default: the captured sender)."},
    {"relay-allowed", "regex", "Only recipients matching this may be released to."},
    {"relay-blocked", "regex", "Recipients matching this may never be released to."},
    {"relay-all", nullptr, "Auto-relay every captured message to its own envelope recipients."},
    {"relay-matching", "regex",
     "Auto-relay captured messages to those of their recipients matching this."},
    {"forward", "addr[,addr...]",
     "Send a copy of every captured message to these addresses through --relay."},
    {"relay-fresh-headers", nullptr,
     "Give relayed copies a new Message-ID and Date (off: the bytes are sent as captured)."},
    {"relay-retries", "n",
     "Further attempts after a temporary failure of auto-relay and forward (default 5)."},
    {"relay-retry-delay", "seconds",
     "Wait before the first retry; doubles each time (default 60)."},
    {"relay-retry-max-delay", "seconds", "Longest wait between retries (default 3600)."},
    {"relay-connect-timeout", "seconds",
     "Give up connecting (TCP and TLS) to the upstream after this long (default 30)."},
    {"relay-timeout", "seconds",
     "Give up on the upstream's greeting or a reply after this long (default 60)."},
    {"relay-data-timeout", "seconds",
     "Give up on the reply to the end of the message after this long (default 120)."},
    {"dkim-keys", "file",
     "DKIM key records for the API's /auth from this file (lines 'selector._domainkey.domain "
     "record') instead of DNS."},
    {"spamassassin", "host:port|auto",
     "SpamAssassin's spamd for the spam check (/sa-check); 'auto' starts one on a free "
     "loopback port on first use (needs the spamassassin package)."},
    {"webhook-url", "url",
     "POST each stored message's summary JSON (Mailpit's) to this http(s) URL."},
    {"webhook-limit", "n", "At most this many webhook requests per second (default 0: no limit)."},
    {"rules", "file",
     "Answer as the rules of this JSON file say: refusals, delays, disconnects, greylisting, "
     "rate limits (README, \"Rules\")."},
    {"rules-seed", "n", "Seed every random choice of the rules and chaos, to replay a run."},
    {"enable-chaos", nullptr, "Mailpit's chaos: refuse MAIL, RCPT or AUTH by probability."},
    {"chaos-triggers", "triggers",
     "With --enable-chaos: e.g. Sender:451:5,Recipient:550:10,Authentication:535:100 "
     "(trigger:code:probability)."},
    {"tag", "tag=query",
     "Tag new messages matching a search, e.g. \"Invoices=subject:invoice\", "
     "or routed as \"TAG <- FIELD PATTERN\"; repeatable, or ';'-separated."},
    {"tags-file", "file", "Tag and routing rules as --tag writes them, one a line."},
    {"tags-plus-addressing", "on|off", "Tag mail to user+NAME@... with NAME (default on)."},
    {"start-on-launch", nullptr, "Desktop: start listening when the window opens (default true).",
     Where::FileOnly},
    {"notify", nullptr, "Desktop: notify of new mail from the tray (default true).",
     Where::FileOnly},
    {"safe-preview", nullptr, "Desktop: render HTML without Chromium (default false).",
     Where::FileOnly},
};

const OptionSpec *findOption(const QString &name)
{
    for (const OptionSpec &spec : kOptions) {
        if (name == QLatin1String(spec.name))
            return &spec;
    }
    return nullptr;
}

QString environmentName(const char *option)
{
    return QStringLiteral("SMTPEEK_") + QString::fromLatin1(option).toUpper().replace(u'-', u'_');
}

QString boolText(bool value)
{
    return value ? QStringLiteral("true") : QStringLiteral("false");
}

std::optional<bool> parseBool(const QString &text)
{
    static const QStringList yes = {QStringLiteral("1"), QStringLiteral("true"),
                                    QStringLiteral("yes"), QStringLiteral("on")};
    static const QStringList no = {QStringLiteral("0"), QStringLiteral("false"),
                                   QStringLiteral("no"), QStringLiteral("off")};
    if (yes.contains(text, Qt::CaseInsensitive))
        return true;
    if (no.contains(text, Qt::CaseInsensitive))
        return false;
    return std::nullopt;
}

enum class Source
{
    CommandLine,
    Environment,
    File
};

struct OptionError
{
    QString text;
    bool fromFile; // the desktop reports these and goes on
};

// Answers each option from the first layer that has it: command line, environment, file.
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

    void setFile(const ConfigFile &file)
    {
        m_file = file;
        for (auto it = file.values.cbegin(); it != file.values.cend(); ++it) {
            const OptionSpec *spec = findOption(it.key());
            if (!spec || spec->where == Where::CommandLineOnly)
                m_errors.append(
                    {QStringLiteral("%1: unknown key '%2'").arg(file.path, it.key()), true});
        }
    }

    // A repeatable option: the command line's values, else the ';'-separated ones of a layer.
    QStringList values(const char *name) const
    {
        const QString option = QString::fromLatin1(name);
        if (m_parser.isSet(option))
            return m_parser.values(option);
        return value(name).value_or(QString()).split(u';', Qt::SkipEmptyParts);
    }

    std::optional<QString> value(const char *name) const
    {
        const auto found = lookUp(name);
        return found ? std::optional<QString>(found->first) : std::nullopt;
    }

    // A flag is set by its bare option, or by a true/false value in the other layers; `absent`
    // when no layer has it.
    bool flag(const char *name, bool absent = false)
    {
        const auto found = lookUp(name);
        if (!found)
            return absent;
        if (found->second == Source::CommandLine)
            return true;
        const auto parsed = parseBool(found->first);
        if (!parsed)
            fail(name, QStringLiteral("takes true or false, not '%1'").arg(found->first));
        return parsed.value_or(absent);
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
            fail(name, QStringLiteral("takes a whole number from %1 to %2, not '%3'")
                           .arg(min)
                           .arg(max)
                           .arg(*v));
            return;
        }
        *out = T(n);
    }

    // "--max-size takes ...", "SMTPEEK_MAX_SIZE takes ...", "max-size in FILE takes ...".
    void fail(const char *name, const QString &what)
    {
        const auto found = lookUp(name);
        const Source source = found ? found->second : Source::CommandLine;
        m_errors.append(
            {QStringLiteral("%1 %2").arg(label(name, source), what), source == Source::File});
    }

    // A conflict between options: the desktop goes on only if the file alone set all of them.
    void conflict(std::initializer_list<const char *> names, const QString &what)
    {
        bool fromFile = true;
        for (const char *name : names) {
            const auto found = lookUp(name);
            fromFile = fromFile && (!found || found->second == Source::File);
        }
        m_errors.append(
            {fromFile ? QStringLiteral("%1 (in %2)").arg(what, m_file.path) : what, fromFile});
    }

    void error(const QString &what, bool fromFile) { m_errors.append({what, fromFile}); }
    const QList<OptionError> &errors() const { return m_errors; }

private:
    std::optional<std::pair<QString, Source>> lookUp(const char *name) const
    {
        const QString option = QString::fromLatin1(name);
        const OptionSpec *spec = findOption(option);
        if (spec->where != Where::FileOnly && m_parser.isSet(option))
            return std::pair(spec->valueName ? m_parser.value(option) : QString(),
                             Source::CommandLine);
        const auto env = m_environment.constFind(environmentName(name));
        if (env != m_environment.cend())
            return std::pair(*env, Source::Environment);
        if (spec->where == Where::CommandLineOnly)
            return std::nullopt;
        const auto file = m_file.values.constFind(option);
        if (file != m_file.values.cend())
            return std::pair(*file, Source::File);
        return std::nullopt;
    }

    QString label(const char *name, Source source) const
    {
        switch (source) {
        case Source::CommandLine:
            return QStringLiteral("--") + QLatin1String(name);
        case Source::Environment:
            return environmentName(name);
        case Source::File:
            break;
        }
        return QStringLiteral("%1 in %2").arg(QLatin1String(name), m_file.path);
    }

    const QCommandLineParser &m_parser;
    QHash<QString, QString> m_environment;
    ConfigFile m_file;
    QList<OptionError> m_errors;
};

// QCommandLineParser names the program from QCoreApplication, which does not exist yet here.
QString usage(const QCommandLineParser &parser)
{
    return parser.helpText().replace(QStringLiteral("<executable_name>"),
                                     QStringLiteral("smtpeek"));
}

// A whole number of seconds into milliseconds.
void seconds(OptionReader &reader, const char *name, int max, int *ms)
{
    int value = *ms / 1000;
    reader.number(name, 1, max, &value);
    *ms = value * 1000;
}

// A regular expression option; an invalid one is an error.
QString pattern(OptionReader &reader, const char *name)
{
    const QString text = reader.value(name).value_or(QString());
    const QString problem = RecipientRules::patternProblem(text);
    if (!text.isEmpty() && !problem.isEmpty())
        reader.fail(name, QStringLiteral("takes a regular expression: %1").arg(problem));
    return text;
}

void readRelayOptions(OptionReader &reader, AppOptions &o)
{
    RelaySettings &relay = o.relay;
    RelayTarget &target = relay.target;
    if (const auto tls = reader.value("relay-tls")) {
        static const QList<RelayTarget::Tls> modes = {RelayTarget::Tls::Auto,
                                                      RelayTarget::Tls::StartTls,
                                                      RelayTarget::Tls::Smtps, RelayTarget::Tls::Off};
        const auto mode = std::find_if(modes.cbegin(), modes.cend(), [&tls](RelayTarget::Tls m) {
            return relayTlsName(m) == *tls;
        });
        if (mode == modes.cend())
            reader.fail("relay-tls",
                        QStringLiteral("takes auto, starttls, smtps or off, not '%1'").arg(*tls));
        else
            target.tls = *mode;
    }
    if (const auto address = reader.value("relay")) {
        if (!parseRelayAddress(*address, &target.host, &target.port))
            reader.fail("relay", QStringLiteral("takes HOST:PORT, not '%1'").arg(*address));
    }
    target.insecure = reader.flag("relay-insecure");
    target.user = reader.value("relay-user").value_or(QString());
    target.password = reader.value("relay-password").value_or(QString());
    if (const auto file = reader.value("relay-password-file")) {
        QFile passwordFile(*file);
        if (!target.password.isEmpty())
            reader.conflict({"relay-password", "relay-password-file"},
                            QStringLiteral("--relay-password and --relay-password-file exclude "
                                           "each other"));
        else if (passwordFile.open(QIODevice::ReadOnly))
            target.password = QString::fromUtf8(passwordFile.readLine()).trimmed();
        else
            reader.fail("relay-password-file",
                        QStringLiteral("cannot read '%1': %2").arg(*file, passwordFile.errorString()));
    }
    if (!target.password.isEmpty() && target.user.isEmpty())
        reader.conflict({"relay-password", "relay-password-file", "relay-user"},
                        QStringLiteral("--relay-password needs --relay-user"));
    target.heloName = o.hostname.toUtf8();
    target.showSecrets = o.security.showSecrets;
    seconds(reader, "relay-connect-timeout", 3600, &target.timeouts.connectMs);
    seconds(reader, "relay-timeout", 3600, &target.timeouts.commandMs);
    seconds(reader, "relay-data-timeout", 3600, &target.timeouts.dataEndMs);

    relay.returnPath = reader.value("relay-from").value_or(QString()).toUtf8();
    if (!relay.returnPath.isEmpty() && !isPlausibleAddress(relay.returnPath))
        reader.fail("relay-from", QStringLiteral("takes an email address, not '%1'")
                                      .arg(QString::fromUtf8(relay.returnPath)));
    relay.allowedRecipients = pattern(reader, "relay-allowed");
    relay.blockedRecipients = pattern(reader, "relay-blocked");
    relay.relayAll = reader.flag("relay-all");
    relay.relayMatching = pattern(reader, "relay-matching");
    if (relay.relayAll && !relay.relayMatching.isEmpty())
        reader.conflict({"relay-all", "relay-matching"},
                        QStringLiteral("--relay-all and --relay-matching exclude each other"));
    for (const QString &address : reader.value("forward").value_or(QString()).split(
             u',', Qt::SkipEmptyParts)) {
        const QByteArray trimmed = address.trimmed().toUtf8();
        if (isPlausibleAddress(trimmed))
            relay.forward.append(trimmed);
        else
            reader.fail("forward", QStringLiteral("takes email addresses, not '%1'").arg(address));
    }
    relay.freshHeaders = reader.flag("relay-fresh-headers");
    reader.number("relay-retries", 0, 100, &relay.retries);
    seconds(reader, "relay-retry-delay", 86400, &relay.retryDelayMs);
    seconds(reader, "relay-retry-max-delay", 7 * 86400, &relay.retryMaxDelayMs);
    if (relay.automatic() && !target.configured())
        reader.conflict({"relay-all", "relay-matching", "forward", "relay"},
                        QStringLiteral("--relay-all, --relay-matching and --forward need --relay "
                                       "HOST:PORT"));
}

void readTagOptions(OptionReader &reader, TagOptions &o)
{
    auto rules = std::make_shared<TagRules>();
    QString error;
    o.rules = reader.values("tag");
    for (const QString &rule : std::as_const(o.rules)) {
        if (!rules->addRule(rule.trimmed(), &error))
            reader.fail("tag", error);
    }
    o.file = reader.value("tags-file").value_or(QString());
    if (!o.file.isEmpty() && !rules->addFile(o.file, &error))
        reader.fail("tags-file", error);
    const auto plus =
        parseBool(reader.value("tags-plus-addressing").value_or(QStringLiteral("on")));
    if (!plus)
        reader.fail("tags-plus-addressing", QStringLiteral("takes on or off"));
    rules->plusAddressing = o.plusAddressing = plus.value_or(true);
    o.compiled = rules;
}

void readRuleOptions(OptionReader &reader, RuleOptions &o)
{
    if (const auto file = reader.value("rules")) {
        o.file = *file;
        const ParsedRules parsed = readRulesFile(*file);
        for (const QString &problem : parsed.errors)
            reader.fail("rules", problem);
        o.rules = parsed.rules;
        o.seed = parsed.seed;
    }
    if (reader.value("rules-seed")) {
        qint64 seed = 0;
        reader.number("rules-seed", 0, 4294967295LL, &seed);
        o.seed = quint32(seed);
    }
    o.chaos = reader.flag("enable-chaos");
    if (const auto triggers = reader.value("chaos-triggers")) {
        QString error;
        if (const auto parsed = parseChaosTriggers(*triggers, &error))
            o.triggers = *parsed;
        else
            reader.fail("chaos-triggers", error);
        if (!o.chaos)
            reader.conflict({"chaos-triggers", "enable-chaos"},
                            QStringLiteral("--chaos-triggers needs --enable-chaos"));
    }
}

void readOptions(OptionReader &reader, AppOptions &o)
{
    o.headless = reader.flag("headless");
    if (const auto listen = reader.value("listen")) {
        if (!parseListenAddress(*listen, &o.listenAddress, &o.listenPort))
            reader.fail("listen", QStringLiteral("takes ADDR:PORT, not '%1'").arg(*listen));
    }
    o.hostname = reader.value("hostname").value_or(QString());
    o.databasePath = reader.value("db").value_or(QString());
    o.memoryStore = reader.flag("memory");
    if (o.memoryStore && !o.databasePath.isEmpty())
        reader.conflict({"db", "memory"}, QStringLiteral("--db and --memory exclude each other"));
    if (const auto sync = reader.value("sync")) {
        if (*sync == u"normal" || *sync == u"full")
            o.fullSync = *sync == u"full";
        else
            reader.fail("sync", QStringLiteral("takes normal or full, not '%1'").arg(*sync));
    }
    reader.number("max-size", 1, qint64(1) << 40, &o.limits.maxMessageSize);
    reader.number("max-recipients", 1, 1000000, &o.limits.maxRecipients);
    reader.number("max-sessions", 1, 100000, &o.limits.maxSessions);
    int idleSeconds = o.limits.idleTimeoutMs / 1000;
    reader.number("idle-timeout", 1, 86400, &idleSeconds);
    o.limits.idleTimeoutMs = idleSeconds * 1000;
    reader.number("max-bad-commands", 1, 100000, &o.limits.maxBadCommands);
    reader.number("max-in-flight", 0, qint64(1) << 40, &o.limits.maxBytesInFlight);
    reader.number("max-transcript", 1024, qint64(1) << 32, &o.limits.maxTranscriptBytes);
    reader.number("max-transcript-entries", 10, 10000000, &o.limits.maxTranscriptEntries);
    int dataSeconds = o.limits.maxDataMs / 1000;
    reader.number("data-timeout", 1, 86400, &dataSeconds);
    o.limits.maxDataMs = dataSeconds * 1000;
    int handshakeSeconds = o.limits.tlsHandshakeTimeoutMs / 1000;
    reader.number("tls-handshake-timeout", 1, 3600, &handshakeSeconds);
    o.limits.tlsHandshakeTimeoutMs = handshakeSeconds * 1000;
    o.limits.strictLineLength = reader.flag("strict");

    SecurityOptions &security = o.security;
    security.tlsCertificate = reader.value("tls-cert").value_or(QString());
    security.tlsKey = reader.value("tls-key").value_or(QString());
    security.tlsAuto = reader.flag("tls-auto");
    if (security.tlsCertificate.isEmpty() != security.tlsKey.isEmpty())
        reader.conflict({"tls-cert", "tls-key"},
                        QStringLiteral("--tls-cert and --tls-key go together"));
    if (security.tlsAuto && !security.tlsCertificate.isEmpty())
        reader.conflict({"tls-auto", "tls-cert"},
                        QStringLiteral("--tls-auto and --tls-cert exclude each other"));
    if (reader.value("smtps-port")) {
        quint16 port = 2465;
        reader.number("smtps-port", 0, 65535, &port);
        o.smtpsPort = port;
    }
    if (const auto pop3 = reader.value("pop3")) {
        o.pop3 = parseListenAddress(*pop3, &o.pop3Address, &o.pop3Port);
        if (!o.pop3)
            reader.fail("pop3", QStringLiteral("takes ADDR:PORT, not '%1'").arg(*pop3));
    }
    security.requireTls = reader.flag("require-tls");
    if (const auto auth = reader.value("auth")) {
        if (*auth == u"any" || *auth == u"off" || auth->startsWith(u"users:"))
            security.auth = *auth;
        else
            reader.fail("auth",
                        QStringLiteral("takes any, off or users:FILE, not '%1'").arg(*auth));
    }
    security.requireAuth = reader.flag("require-auth");
    security.authOverTlsOnly = reader.flag("auth-tls-only");
    security.showSecrets = reader.flag("show-secrets");
    if ((o.smtpsPort || security.requireTls) && !security.tlsConfigured())
        reader.conflict({"smtps-port", "require-tls", "tls-auto", "tls-cert"},
                        QStringLiteral("--smtps-port and --require-tls need --tls-auto or "
                                       "--tls-cert"));
    if (security.requireAuth && security.auth == u"off")
        reader.conflict({"require-auth", "auth"},
                        QStringLiteral("--require-auth needs --auth any or users:FILE"));

    reader.number("retain-messages", 0, qint64(1) << 40, &o.retainMessages);
    reader.number("retain-sessions", 0, qint64(1) << 40, &o.retainSessions);
    o.inspectPath = reader.value("inspect").value_or(QString());
    o.inspectJson = reader.flag("json");
    if (const auto api = reader.value("api")) {
        o.apiAddressGiven = true;
        if (!parseListenAddress(*api, &o.api.address, &o.api.port))
            reader.fail("api", QStringLiteral("takes ADDR:PORT, not '%1'").arg(*api));
    }
    o.api.enabled = !reader.flag("no-api");
    o.api.user = reader.value("api-user").value_or(QString());
    o.api.password = reader.value("api-password").value_or(QString());
    o.api.dkimKeysFile = reader.value("dkim-keys").value_or(QString());
    if (const auto spamd = reader.value("spamassassin")) {
        if (parseSpamdAddress(*spamd))
            o.api.spamAssassin = *spamd;
        else
            reader.fail("spamassassin",
                        QStringLiteral("takes HOST:PORT or auto, not '%1'").arg(*spamd));
    }
    if (const auto webhook = reader.value("webhook-url")) {
        if (isWebhookUrl(*webhook))
            o.api.webhookUrl = *webhook;
        else
            reader.fail("webhook-url",
                        QStringLiteral("takes an http(s) URL, not '%1'").arg(*webhook));
    }
    reader.number("webhook-limit", 0, 100000, &o.api.webhookLimit);
    if (o.api.user.isEmpty() != o.api.password.isEmpty())
        reader.conflict({"api-user", "api-password"},
                        QStringLiteral("--api-user and --api-password go together"));

    readRelayOptions(reader, o);
    readRuleOptions(reader, o.rules);
    readTagOptions(reader, o.tags);

    o.desktop.startOnLaunch = reader.flag("start-on-launch", o.desktop.startOnLaunch);
    o.desktop.notifyNewMail = reader.flag("notify", o.desktop.notifyNewMail);
    o.desktop.safePreview = reader.flag("safe-preview", o.desktop.safePreview);
}
} // namespace

QString versionText()
{
    return QStringLiteral("smtpeek %1\n"
                          "Copyright (c) 2026 The smtpeek developers\n"
                          "License: MIT <https://opensource.org/licenses/MIT>\n"
                          "This is free software: you are free to change and redistribute it.\n")
        .arg(QStringLiteral(SMTPEEK_VERSION));
}

std::shared_ptr<RuleEngine> ruleEngine(const RuleOptions &options)
{
    auto engine = std::make_shared<RuleEngine>();
    engine->setSeed(options.seed);
    engine->setRules(options.rules);
    if (options.chaos)
        engine->enableChaos(options.triggers);
    return engine;
}

StoreOptions storeOptions(const AppOptions &options)
{
    StoreOptions store;
    store.memory = options.memoryStore;
    store.path = options.databasePath;
    store.fullSync = options.fullSync;
    store.retention = {options.retainMessages, options.retainSessions};
    store.tagRules = options.tags.compiled;
    return store;
}

QMap<QString, QString> configTexts(const AppOptions &o)
{
    const auto number = [](qint64 n) { return QString::number(n); };
    return {
        {QStringLiteral("headless"), boolText(o.headless)},
        {QStringLiteral("listen"), formatListenAddress(o.listenAddress, o.listenPort)},
        {QStringLiteral("hostname"), o.hostname},
        {QStringLiteral("db"), o.databasePath},
        {QStringLiteral("memory"), boolText(o.memoryStore)},
        {QStringLiteral("sync"), o.fullSync ? QStringLiteral("full") : QStringLiteral("normal")},
        {QStringLiteral("max-size"), number(o.limits.maxMessageSize)},
        {QStringLiteral("max-recipients"), number(o.limits.maxRecipients)},
        {QStringLiteral("max-sessions"), number(o.limits.maxSessions)},
        {QStringLiteral("idle-timeout"), number(o.limits.idleTimeoutMs / 1000)},
        {QStringLiteral("max-bad-commands"), number(o.limits.maxBadCommands)},
        {QStringLiteral("max-in-flight"), number(o.limits.maxBytesInFlight)},
        {QStringLiteral("max-transcript"), number(o.limits.maxTranscriptBytes)},
        {QStringLiteral("max-transcript-entries"), number(o.limits.maxTranscriptEntries)},
        {QStringLiteral("data-timeout"), number(o.limits.maxDataMs / 1000)},
        {QStringLiteral("tls-handshake-timeout"), number(o.limits.tlsHandshakeTimeoutMs / 1000)},
        {QStringLiteral("strict"), boolText(o.limits.strictLineLength)},
        {QStringLiteral("tls-cert"), o.security.tlsCertificate},
        {QStringLiteral("tls-key"), o.security.tlsKey},
        {QStringLiteral("tls-auto"), boolText(o.security.tlsAuto)},
        // No key means no SMTPS listener, so "none" is the empty text that is never written.
        {QStringLiteral("smtps-port"), o.smtpsPort ? number(*o.smtpsPort) : QString()},
        {QStringLiteral("pop3"),
         o.pop3 ? formatListenAddress(o.pop3Address, o.pop3Port) : QString()},
        {QStringLiteral("require-tls"), boolText(o.security.requireTls)},
        {QStringLiteral("auth"), o.security.auth},
        {QStringLiteral("require-auth"), boolText(o.security.requireAuth)},
        {QStringLiteral("auth-tls-only"), boolText(o.security.authOverTlsOnly)},
        {QStringLiteral("show-secrets"), boolText(o.security.showSecrets)},
        {QStringLiteral("retain-messages"), number(o.retainMessages)},
        {QStringLiteral("retain-sessions"), number(o.retainSessions)},
        {QStringLiteral("api"), formatListenAddress(o.api.address, o.api.port)},
        {QStringLiteral("no-api"), boolText(!o.api.enabled)},
        {QStringLiteral("api-user"), o.api.user},
        {QStringLiteral("api-password"), o.api.password},
        {QStringLiteral("relay"),
         o.relay.target.configured() ? o.relay.target.address() : QString()},
        {QStringLiteral("relay-tls"), relayTlsName(o.relay.target.tls)},
        {QStringLiteral("relay-insecure"), boolText(o.relay.target.insecure)},
        {QStringLiteral("relay-user"), o.relay.target.user},
        {QStringLiteral("relay-password"), o.relay.target.password},
        {QStringLiteral("relay-from"), QString::fromUtf8(o.relay.returnPath)},
        {QStringLiteral("relay-allowed"), o.relay.allowedRecipients},
        {QStringLiteral("relay-blocked"), o.relay.blockedRecipients},
        {QStringLiteral("relay-all"), boolText(o.relay.relayAll)},
        {QStringLiteral("relay-matching"), o.relay.relayMatching},
        {QStringLiteral("forward"), QString::fromUtf8(o.relay.forward.join(','))},
        {QStringLiteral("relay-fresh-headers"), boolText(o.relay.freshHeaders)},
        {QStringLiteral("relay-retries"), number(o.relay.retries)},
        {QStringLiteral("relay-retry-delay"), number(o.relay.retryDelayMs / 1000)},
        {QStringLiteral("relay-retry-max-delay"), number(o.relay.retryMaxDelayMs / 1000)},
        {QStringLiteral("relay-connect-timeout"), number(o.relay.target.timeouts.connectMs / 1000)},
        {QStringLiteral("relay-timeout"), number(o.relay.target.timeouts.commandMs / 1000)},
        {QStringLiteral("relay-data-timeout"), number(o.relay.target.timeouts.dataEndMs / 1000)},
        {QStringLiteral("dkim-keys"), o.api.dkimKeysFile},
        {QStringLiteral("spamassassin"), o.api.spamAssassin},
        {QStringLiteral("webhook-url"), o.api.webhookUrl},
        {QStringLiteral("webhook-limit"), number(o.api.webhookLimit)},
        {QStringLiteral("rules"), o.rules.file},
        {QStringLiteral("rules-seed"), o.rules.seed ? number(*o.rules.seed) : QString()},
        {QStringLiteral("enable-chaos"), boolText(o.rules.chaos)},
        {QStringLiteral("chaos-triggers"), chaosTriggersText(o.rules.triggers)},
        {QStringLiteral("tag"), o.tags.rules.join(u';')},
        {QStringLiteral("tags-file"), o.tags.file},
        {QStringLiteral("tags-plus-addressing"), boolText(o.tags.plusAddressing)},
        {QStringLiteral("start-on-launch"), boolText(o.desktop.startOnLaunch)},
        {QStringLiteral("notify"), boolText(o.desktop.notifyNewMail)},
        {QStringLiteral("safe-preview"), boolText(o.desktop.safePreview)},
    };
}

ParsedOptions parseOptions(const QStringList &arguments, const QStringList &environment,
                           const QString &defaultConfigFile)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "smtpeek captures every message sent to it over SMTP and delivers none.\n"
        "Every option can also be set as an environment variable SMTPEEK_<OPTION>, "
        "e.g. SMTPEEK_LISTEN=0.0.0.0:2525, or in the config file as OPTION=VALUE "
        "(flags as true or false). The command line wins over the environment, which wins "
        "over the file. The file also holds the desktop's start-on-launch, notify and "
        "safe-preview."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    for (const OptionSpec &spec : kOptions) {
        if (spec.where == Where::FileOnly)
            continue;
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
        result.message = versionText();
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
    const std::optional<QString> givenConfig = reader.value("config");
    o.configPath = givenConfig.value_or(defaultConfigFile);
    QString readError;
    if (givenConfig && !QFileInfo::exists(o.configPath))
        reader.error(QStringLiteral("the config file %1 does not exist").arg(o.configPath), false);
    else if (const auto file = readConfigFile(o.configPath, &readError))
        reader.setFile(*file);
    else
        reader.error(readError, !givenConfig); // a broken default file does not stop the desktop
    readOptions(reader, o);

    QStringList fatal;
    QStringList fromFile;
    for (const OptionError &error : reader.errors())
        (error.fromFile ? fromFile : fatal).append(error.text);
    const bool desktop = !o.headless && o.inspectPath.isEmpty();
    if (!desktop)
        fatal += fromFile;
    if (!fatal.isEmpty()) {
        result.message = fatal.join(u'\n') + QStringLiteral("\n\n") + usage(parser);
        result.exitCode = 2;
        return result;
    }
    result.options = o;
    if (desktop)
        result.configProblems = fromFile;
    return result;
}
