#pragma once

#include <QHostAddress>
#include <QString>
#include <QUrl>

#include <optional>

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
    // --spamassassin: spamd's HOST:PORT or "auto" for /sa-check; empty: no spam check.
    QString spamAssassin;
    // --webhook-url: each stored message's summary is POSTed there; empty: none.
    QString webhookUrl;
    int webhookLimit = 0; // --webhook-limit: requests per second; 0: no limit
};

// A webhook URL must be http(s) with a host.
inline bool isWebhookUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && (url.scheme() == u"http" || url.scheme() == u"https") &&
           !url.host().isEmpty();
}

// --spamassassin's value: "auto" (smtpeek starts spamd) or HOST:PORT (an IPv6 host in brackets).
struct SpamdAddress
{
    bool automatic = false;
    QString host;
    quint16 port = 0;
};

inline std::optional<SpamdAddress> parseSpamdAddress(const QString &text)
{
    if (text.compare(u"auto", Qt::CaseInsensitive) == 0)
        return SpamdAddress{true, {}, 0};
    const qsizetype colon = text.lastIndexOf(u':');
    bool ok = false;
    const uint port = colon > 0 ? text.mid(colon + 1).toUInt(&ok) : 0;
    QString host = text.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (!ok || port == 0 || port > 65535 || host.isEmpty() || host.contains(u'/'))
        return std::nullopt;
    return SpamdAddress{false, host, static_cast<quint16>(port)};
}
