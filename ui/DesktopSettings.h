#pragma once

#include "relay/RelaySettings.h"
#include "server/SecurityOptions.h"

#include <QString>
#include <QtGlobal>

struct AppOptions;

// What the settings dialog edits: the desktop's view of the options, which the config file
// holds under the command line's names. Storage choices apply at the next launch; everything
// else applies at once (listening changes at the next Start).
struct DesktopSettings
{
    QString listenAddress = QStringLiteral("127.0.0.1");
    quint16 listenPort = 2525;
    QString hostname; // empty: this machine's name
    qint64 maxMessageSize = 25 * 1024 * 1024;
    bool startOnLaunch = true;

    bool memoryStore = false;
    QString databasePath;      // empty: the default file in the app data folder
    qint64 retainMessages = 0; // 0: keep all
    qint64 retainSessions = 0;

    SecurityOptions security; // TLS and AUTH, applied at the next Start
    quint16 smtpsPort = 0;    // implicit TLS listener; 0: none

    RelaySettings relay; // release and auto-relay upstream, applied when saved

    bool notifyNewMail = true;
    bool safePreview = false; // render HTML with QTextBrowser instead of Chromium
    // The Checks tab's spamd (--spamassassin) and DKIM keys (--dkim-keys); not edited here.
    QString spamAssassin;
    QString dkimKeysFile;
    QString webhookUrl;   // empty: none; applied at the next launch
    int webhookLimit = 0; // requests per second; 0: no limit

    static DesktopSettings fromOptions(const AppOptions &options);
    // Sets the options this edits; an address that does not parse leaves the option as it is.
    void applyTo(AppOptions &options) const;
};

// Writes to the config file what the dialog changed from `before` to `after`, and only that:
// a value the command line gave for this run stays out of the file unless the user edits it.
bool saveSettingsChanges(const QString &configPath, const DesktopSettings &before,
                         const DesktopSettings &after, QString *error);
