// The address forms of the options (Options.h): listeners, hosts, the relay's upstream.
#include "Options.h"

#include <QRegularExpression>

bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port)
{
    QString host;
    QString portText = text;
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(QStringLiteral("]:"));
        if (close < 0)
            return false;
        host = text.mid(1, close - 1);
        portText = text.mid(close + 2);
    } else if (text.contains(u':')) {
        const qsizetype colon = text.lastIndexOf(u':');
        host = text.left(colon);
        portText = text.mid(colon + 1);
    }
    bool ok = false;
    const uint number = portText.toUInt(&ok);
    if (!ok || number > 65535)
        return false;
    QHostAddress parsed = QHostAddress::LocalHost;
    if (!host.isEmpty() && !parseHostAddress(host, &parsed))
        return false;
    *address = parsed;
    *port = quint16(number);
    return true;
}

bool parseRelayAddress(const QString &text, QString *host, quint16 *port)
{
    QString name = text;
    QString portText = QStringLiteral("25");
    if (text.startsWith(u'[')) {
        const qsizetype close = text.indexOf(u']');
        if (close < 0 || (close + 1 < text.size() && text[close + 1] != u':'))
            return false;
        name = text.mid(1, close - 1);
        if (close + 1 < text.size())
            portText = text.mid(close + 2);
    } else if (text.count(u':') == 1) {
        name = text.section(u':', 0, 0);
        portText = text.section(u':', 1);
    } else if (text.contains(u':')) {
        return false; // a bare IPv6 address needs its brackets
    }
    bool ok = false;
    const uint number = portText.toUInt(&ok);
    static const QRegularExpression hostName(QStringLiteral("^[A-Za-z0-9._:-]+$"));
    if (!ok || number == 0 || number > 65535 || !hostName.match(name).hasMatch())
        return false;
    *host = name;
    *port = quint16(number);
    return true;
}

bool parseHostAddress(const QString &text, QHostAddress *address)
{
    if (text.compare(u"localhost", Qt::CaseInsensitive) == 0) {
        *address = QHostAddress::LocalHost;
        return true;
    }
    QHostAddress parsed;
    if (!parsed.setAddress(text))
        return false;
    *address = parsed;
    return true;
}

QString formatListenAddress(const QHostAddress &address, quint16 port)
{
    return address.protocol() == QAbstractSocket::IPv6Protocol
               ? QStringLiteral("[%1]:%2").arg(address.toString()).arg(port)
               : QStringLiteral("%1:%2").arg(address.toString()).arg(port);
}
