#pragma once

#include "ApiExchange.h"
#include "ConnectionGuard.h"

#include <QAbstractHttpServer>
#include <functional>

// Qt HttpServer parses; this turns each request into an ApiRequest, hands it to one function
// and writes the ApiResponse back. Connections go through a GuardedTcpServer. A WebSocket
// upgrade is let through only when `acceptUpgrade` says so; otherwise the request is answered
// like any other (401, 404, ...). An ApiResponse::later() answer is written when it comes.
class GuardedHttpServer : public QAbstractHttpServer
{
    Q_OBJECT
public:
    using Responder = std::function<ApiResponse(const ApiRequest &)>;
    using UpgradeFilter = std::function<bool(const ApiRequest &)>;

    GuardedHttpServer(Responder respond, UpgradeFilter acceptUpgrade, const HttpLimits &limits,
                      QObject *parent = nullptr);

    // The bound port, or 0 with a reason.
    quint16 listenOn(const QHostAddress &address, quint16 port, QString *error);

    static ApiRequest toApiRequest(const QHttpServerRequest &request);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    void answer(const QHttpServerRequest &request, QTcpSocket *socket, const ApiResponse &response);
    void write(const QHttpServerRequest &request, QTcpSocket *socket, const ApiResponse &response);

    Responder m_respond;
    UpgradeFilter m_acceptUpgrade;
    HttpLimits m_limits;
};
