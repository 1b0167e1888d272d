#include "ConnectionGuard.h"

#include <QTcpSocket>

ConnectionGuard::ConnectionGuard(QTcpSocket *socket, const HttpLimits &limits)
    : QObject(socket), m_socket(socket), m_limits(limits)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ConnectionGuard::onTimeout);
    connect(socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
    m_timer.start(m_limits.idleTimeoutMs);
}

ConnectionGuard *ConnectionGuard::of(QTcpSocket *socket)
{
    return socket ? socket->findChild<ConnectionGuard *>(QString(), Qt::FindDirectChildrenOnly)
                  : nullptr;
}

void ConnectionGuard::onReadyRead()
{
    if (m_refused) {
        m_socket->readAll(); // whatever else arrives is dropped before the server parses it
        return;
    }
    if (m_requestBytes == 0) {
        m_timer.start(m_limits.requestTimeoutMs);
        const QByteArray start = m_socket->peek(24);
        const bool send =
            start.startsWith("POST /api/v1/send ") || start.startsWith("POST /api/v1/send?");
        m_requestLimit = send ? m_limits.maxSendRequestBytes : m_limits.maxRequestBytes;
    }
    m_requestBytes += m_socket->bytesAvailable();
    if (m_requestBytes > m_requestLimit)
        refuse("413 Payload Too Large");
}

void ConnectionGuard::requestCompleted()
{
    m_requestBytes = 0;
    m_timer.start(m_limits.idleTimeoutMs);
}

void ConnectionGuard::responsePending()
{
    m_timer.stop(); // the connection waits for us, not we for it
}

void ConnectionGuard::upgradedToWebSocket()
{
    m_timer.stop();
    disconnect(m_socket, &QTcpSocket::readyRead, this, &ConnectionGuard::onReadyRead);
}

void ConnectionGuard::onTimeout()
{
    if (m_requestBytes > 0)
        refuse("408 Request Timeout");
    else
        m_socket->disconnectFromHost();
}

void ConnectionGuard::refuse(QByteArrayView statusLine)
{
    m_refused = true;
    m_timer.stop();
    m_socket->readAll();
    const QByteArray body = statusLine.toByteArray() + '\n';
    m_socket->write("HTTP/1.1 " + statusLine.toByteArray() +
                    "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                    QByteArray::number(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
    m_socket->disconnectFromHost();
}

GuardedTcpServer::GuardedTcpServer(const HttpLimits &limits, QObject *parent)
    : QTcpServer(parent), m_limits(limits)
{}

void GuardedTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (m_open >= m_limits.maxConnections) {
        socket->abort();
        socket->deleteLater();
        return;
    }
    ++m_open;
    connect(socket, &QObject::destroyed, this, [this] { --m_open; });
    // Qt writes a response in several pieces; with Nagle's algorithm the last one waits for the
    // client's delayed ACK, 40 ms on Linux, on every keep-alive request.
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    new ConnectionGuard(socket, m_limits);
    addPendingConnection(socket);
}
