#pragma once

#include <QTcpServer>
#include <QTimer>

class QTcpSocket;

// Limits Qt HttpServer leaves to us: it buffers a whole request body however large the
// declared length, and it keeps slow or idle connections forever.
struct HttpLimits
{
    qint64 maxRequestBytes = 1024 * 1024; // request line, headers and body together
    // POST /api/v1/send carries attachments as base64: a 32 MiB request holds about 24 MB.
    qint64 maxSendRequestBytes = 32 * 1024 * 1024;
    int requestTimeoutMs = 30000;         // from the first byte of a request to its end
    int idleTimeoutMs = 120000;           // keep-alive connection without a request
    int maxConnections = 256;             // HTTP and WebSocket together
};

// Watches one connection. It connects to readyRead before the HTTP server does, so it sees every
// chunk first; it counts the bytes of the request in progress and answers 413 (and closes) once
// they exceed the limit, 408 when a request takes too long. The HTTP server tells it when a
// request is complete, and when the connection became a WebSocket, which it then leaves alone.
class ConnectionGuard : public QObject
{
    Q_OBJECT
public:
    ConnectionGuard(QTcpSocket *socket, const HttpLimits &limits);

    void requestCompleted();
    // The answer comes later (ApiResponse::later()): no idle timeout until requestCompleted().
    void responsePending();
    void upgradedToWebSocket();

    static ConnectionGuard *of(QTcpSocket *socket);

private:
    void onReadyRead();
    void onTimeout();
    void refuse(QByteArrayView statusLine);

    QTcpSocket *m_socket;
    HttpLimits m_limits;
    QTimer m_timer;
    qint64 m_requestBytes = 0;
    qint64 m_requestLimit = 0; // of the request in progress
    bool m_refused = false;
};

// A QTcpServer whose connections come with a ConnectionGuard, up to HttpLimits::maxConnections.
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit GuardedTcpServer(const HttpLimits &limits, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    HttpLimits m_limits;
    int m_open = 0;
};
