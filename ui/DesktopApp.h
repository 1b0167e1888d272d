#pragma once

#include "api/ApiSettings.h"
#include "server/SecurityOptions.h"
#include "store/StoreOpener.h"

#include <QHostAddress>

#include <optional>

// What the command line says for the desktop app. Each value that is set overrides the saved
// setting for this run only; the rest comes from the settings dialog's QSettings.
struct DesktopLaunch
{
    std::optional<QHostAddress> listenAddress;
    std::optional<quint16> listenPort;
    QString hostname;
    std::optional<StoreOptions> store;
    std::optional<qint64> maxMessageSize;
    SmtpLimits limits; // the other limits, which have no setting
    std::optional<SecurityOptions> security; // TLS and AUTH options given on the command line
    std::optional<quint16> smtpsPort;        // 0: none
    ApiSettings api;
};

// Creates the QApplication (after what WebEngine needs before it), opens the store, shows the
// main window and runs the event loop. Returns the exit code.
int runDesktop(int &argc, char **argv, const DesktopLaunch &launch);
