#pragma once

#include "api/ApiSettings.h"
#include "relay/RelaySettings.h"
#include "rules/ChaosTriggers.h"
#include "rules/Rule.h"
#include "server/SecurityOptions.h"
#include "server/SmtpLimits.h"
#include "store/StoreOpener.h"

#include <QHostAddress>
#include <QMap>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

class RuleEngine;

// Choices only the desktop app acts on; the config file and the environment hold them, the
// command line does not.
struct DesktopChoices
{
    bool startOnLaunch = true;
    bool notifyNewMail = true;
    bool safePreview = false; // render HTML with QTextBrowser instead of Chromium
};

// Failure injection: the rules file and Mailpit's chaos.
struct RuleOptions
{
    QString file;                // --rules: read, and validated, at start
    QList<Rule> rules;           // what it holds
    std::optional<quint32> seed; // --rules-seed, else the file's Seed
    bool chaos = false;          // --enable-chaos
    ChaosTriggers triggers;      // --chaos-triggers
};

// What tags messages as they arrive (store/TagRules.h).
struct TagOptions
{
    QStringList rules;          // --tag, each "TAG=QUERY" or "TAG <- FIELD PATTERN"
    QString file;               // --tags-file: more of those, one a line
    bool plusAddressing = true; // --tags-plus-addressing
    std::shared_ptr<const TagRules> compiled = std::make_shared<const TagRules>(); // all of them
};

// Everything the command line, its SMTPEEK_* environment twin or the config file can say.
struct AppOptions
{
    bool headless = false;
    QHostAddress listenAddress = QHostAddress::LocalHost;
    quint16 listenPort = 2525;
    QString hostname;
    QString databasePath; // empty: the default file in the app data folder
    bool memoryStore = false;
    bool fullSync = false;
    qint64 retainMessages = 0;
    qint64 retainSessions = 0;
    SmtpLimits limits;
    SecurityOptions security;
    std::optional<quint16> smtpsPort; // implicit TLS listener
    bool pop3 = false;                // --pop3: the mailboxes over POP3 (core/pop3)
    QHostAddress pop3Address = QHostAddress::LocalHost;
    quint16 pop3Port = 1110;
    QString inspectPath;
    bool inspectJson = false;
    ApiSettings api;
    bool apiAddressGiven = false; // then failing to bind the API is fatal, not a warning
    RelaySettings relay;
    RuleOptions rules;
    TagOptions tags;
    DesktopChoices desktop;
    QString configPath; // the config file read, and the one the desktop's Settings write
};

// The result of reading the command line: options, or a message and an exit code.
struct ParsedOptions
{
    std::optional<AppOptions> options;
    QString message;  // for stdout (help, version) or stderr (errors)
    int exitCode = 0; // 0 for help/version, 2 for bad usage
    // Bad keys or values of the config file, which the desktop reports and skips (those keys
    // keep their defaults); headless they are errors instead.
    QStringList configProblems;
};

// Layers the command line over the environment over the config file over the defaults. The
// file is --config or SMTPEEK_CONFIG (which must exist), else `defaultConfigFile` (if it does).
ParsedOptions parseOptions(const QStringList &arguments, const QStringList &environment,
                           const QString &defaultConfigFile);

// Where and how the options say to keep mail.
StoreOptions storeOptions(const AppOptions &options);

// The engine the sessions ask, set up as the options say.
std::shared_ptr<RuleEngine> ruleEngine(const RuleOptions &options);

// The text the config file holds for each option a file may set, keyed by option name.
QMap<QString, QString> configTexts(const AppOptions &options);

// "ADDR:PORT", "[v6]:PORT", ":PORT" or "PORT"; false on anything else.
bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port);
// An IP address, or "localhost" for 127.0.0.1; false on anything else.
bool parseHostAddress(const QString &text, QHostAddress *address);
// "host:port", "[v6]:port" or "host" (port 25) for --relay; false on anything else.
bool parseRelayAddress(const QString &text, QString *host, quint16 *port);
// The inverse of parseListenAddress: "127.0.0.1:2525", "[::1]:2525".
QString formatListenAddress(const QHostAddress &address, quint16 port);

// The text of --version: name, version and licence.
QString versionText();
