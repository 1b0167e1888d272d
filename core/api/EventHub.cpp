#include "EventHub.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QWebSocket>

namespace {
constexpr quint64 kMaxIncomingBytes = 64 * 1024;
}

EventHub::~EventHub()
{
    for (QWebSocket *socket : std::as_const(m_clients)) {
        socket->disconnect(this);
        socket->close(QWebSocketProtocol::CloseCodeGoingAway);
        delete socket;
    }
}

void EventHub::addClient(std::unique_ptr<QWebSocket> socket)
{
    QWebSocket *client = socket.release();
    client->setParent(nullptr);
    client->setMaxAllowedIncomingFrameSize(kMaxIncomingBytes);
    client->setMaxAllowedIncomingMessageSize(kMaxIncomingBytes);
    connect(client, &QWebSocket::disconnected, this, [this, client] { drop(client); });
    m_clients.append(client);
    m_clientCount.store(int(m_clients.size()), std::memory_order_relaxed);
}

void EventHub::broadcast(const QString &type, const QJsonValue &data)
{
    if (m_clients.isEmpty())
        return;
    const QString frame = QString::fromUtf8(
        QJsonDocument(QJsonObject{{QStringLiteral("Type"), type}, {QStringLiteral("Data"), data}})
            .toJson(QJsonDocument::Compact));
    const QList<QWebSocket *> clients = m_clients;
    for (QWebSocket *client : clients) {
        if (client->bytesToWrite() > kMaxBacklogBytes) {
            client->close(QWebSocketProtocol::CloseCodePolicyViolated,
                          QStringLiteral("not reading events"));
            drop(client);
            continue;
        }
        client->sendTextMessage(frame);
    }
}

void EventHub::drop(QWebSocket *socket)
{
    if (!m_clients.removeOne(socket))
        return;
    m_clientCount.store(int(m_clients.size()), std::memory_order_relaxed);
    socket->disconnect(this);
    socket->deleteLater();
}
