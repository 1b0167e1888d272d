#pragma once

#include "server/SecurityOptions.h"

#include <QString>
#include <QtGlobal>

class QSettings;

// What the user chose in the settings dialog, persisted with QSettings. Storage choices apply
// at the next launch; everything else applies at once (listening changes at the next Start).
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

    bool notifyNewMail = true;
    bool safePreview = false; // render HTML with QTextBrowser instead of Chromium

    static DesktopSettings load(QSettings &settings);
    void save(QSettings &settings) const;
};
