#pragma once

#include <QHostAddress>
#include <QString>

// Where and how the API listens; the command line (--api, --no-api, --api-user,
// --api-password) and the desktop settings both fill one of these.
struct ApiSettings
{
    bool enabled = true;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 8025;
    // Basic auth, applied only when both are set. Meant for a non-loopback address.
    QString user;
    QString password;
    // --dkim-keys: DKIM and ARC key records for /auth from this file instead of DNS.
    QString dkimKeysFile;
};
