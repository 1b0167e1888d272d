#include "DesktopSettings.h"

#include <QSettings>

DesktopSettings DesktopSettings::load(QSettings &s)
{
    const DesktopSettings d;
    DesktopSettings r;
    r.listenAddress = s.value(QStringLiteral("server/address"), d.listenAddress).toString();
    r.listenPort = quint16(s.value(QStringLiteral("server/port"), d.listenPort).toUInt());
    r.hostname = s.value(QStringLiteral("server/hostname"), d.hostname).toString();
    r.maxMessageSize =
        s.value(QStringLiteral("server/maxMessageSize"), d.maxMessageSize).toLongLong();
    r.startOnLaunch = s.value(QStringLiteral("server/startOnLaunch"), d.startOnLaunch).toBool();
    r.memoryStore = s.value(QStringLiteral("storage/memory"), d.memoryStore).toBool();
    r.databasePath = s.value(QStringLiteral("storage/path"), d.databasePath).toString();
    r.retainMessages =
        s.value(QStringLiteral("storage/retainMessages"), d.retainMessages).toLongLong();
    r.retainSessions =
        s.value(QStringLiteral("storage/retainSessions"), d.retainSessions).toLongLong();
    SecurityOptions &t = r.security;
    t.tlsAuto = s.value(QStringLiteral("security/tlsAuto"), d.security.tlsAuto).toBool();
    t.tlsCertificate = s.value(QStringLiteral("security/tlsCertificate")).toString();
    t.tlsKey = s.value(QStringLiteral("security/tlsKey")).toString();
    t.requireTls = s.value(QStringLiteral("security/requireTls"), false).toBool();
    t.auth = s.value(QStringLiteral("security/auth"), d.security.auth).toString();
    t.requireAuth = s.value(QStringLiteral("security/requireAuth"), false).toBool();
    t.authOverTlsOnly = s.value(QStringLiteral("security/authOverTlsOnly"), false).toBool();
    t.showSecrets = s.value(QStringLiteral("security/showSecrets"), false).toBool();
    r.smtpsPort = quint16(s.value(QStringLiteral("security/smtpsPort"), 0).toUInt());
    r.notifyNewMail = s.value(QStringLiteral("notifications/newMail"), d.notifyNewMail).toBool();
    r.safePreview = s.value(QStringLiteral("preview/safeMode"), d.safePreview).toBool();
    return r;
}

void DesktopSettings::save(QSettings &s) const
{
    s.setValue(QStringLiteral("server/address"), listenAddress);
    s.setValue(QStringLiteral("server/port"), listenPort);
    s.setValue(QStringLiteral("server/hostname"), hostname);
    s.setValue(QStringLiteral("server/maxMessageSize"), maxMessageSize);
    s.setValue(QStringLiteral("server/startOnLaunch"), startOnLaunch);
    s.setValue(QStringLiteral("storage/memory"), memoryStore);
    s.setValue(QStringLiteral("storage/path"), databasePath);
    s.setValue(QStringLiteral("storage/retainMessages"), retainMessages);
    s.setValue(QStringLiteral("storage/retainSessions"), retainSessions);
    s.setValue(QStringLiteral("security/tlsAuto"), security.tlsAuto);
    s.setValue(QStringLiteral("security/tlsCertificate"), security.tlsCertificate);
    s.setValue(QStringLiteral("security/tlsKey"), security.tlsKey);
    s.setValue(QStringLiteral("security/requireTls"), security.requireTls);
    s.setValue(QStringLiteral("security/auth"), security.auth);
    s.setValue(QStringLiteral("security/requireAuth"), security.requireAuth);
    s.setValue(QStringLiteral("security/authOverTlsOnly"), security.authOverTlsOnly);
    s.setValue(QStringLiteral("security/showSecrets"), security.showSecrets);
    s.setValue(QStringLiteral("security/smtpsPort"), smtpsPort);
    s.setValue(QStringLiteral("notifications/newMail"), notifyNewMail);
    s.setValue(QStringLiteral("preview/safeMode"), safePreview);
}
