#pragma once

#include "ApiSettings.h"
#include "server/SecurityOptions.h"
#include "server/SmtpLimits.h"

#include <QHostAddress>
#include <QString>
#include <QStringList>
#include <optional>

class QCommandLineParser;

// Everything the command line (or its SMTPEEK_* environment twin) can say.
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
    bool securityGiven = false;       // any TLS or AUTH option on the command line
    std::optional<quint16> smtpsPort; // implicit TLS listener
    QString inspectPath;
    bool inspectJson = false;
    ApiSettings api;
    bool apiAddressGiven = false; // then failing to bind the API is fatal, not a warning
};

// The result of reading the command line: options, or a message and an exit code.
struct ParsedOptions
{
    std::optional<AppOptions> options;
    QString message;  // for stdout (help, version) or stderr (errors)
    int exitCode = 0; // 0 for help/version, 2 for bad usage
};

ParsedOptions parseOptions(const QStringList &arguments,
                           const QStringList &environment);

// "ADDR:PORT", "[v6]:PORT", ":PORT" or "PORT"; false on anything else.
bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port);
