#include "RelaySettings.h"

QString RelayTarget::address() const
{
    return host.contains(u':') ? QStringLiteral("[%1]:%2").arg(host).arg(port)
                               : QStringLiteral("%1:%2").arg(host).arg(port);
}

QString relayTlsName(RelayTarget::Tls tls)
{
    switch (tls) {
    case RelayTarget::Tls::Auto:
        return QStringLiteral("auto");
    case RelayTarget::Tls::StartTls:
        return QStringLiteral("starttls");
    case RelayTarget::Tls::Smtps:
        return QStringLiteral("smtps");
    case RelayTarget::Tls::Off:
        break;
    }
    return QStringLiteral("off");
}
