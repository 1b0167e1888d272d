#include "GuardedHttpServer.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QTcpSocket>

namespace {
QByteArray methodName(QHttpServerRequest::Method method)
{
    switch (method) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

bool isWebSocketUpgrade(const ApiRequest &request)
{
    return request.header("Upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
}
} // namespace

GuardedHttpServer::GuardedHttpServer(Responder respond, UpgradeFilter acceptUpgrade,
                                     const HttpLimits &limits, QObject *parent)
    : QAbstractHttpServer(parent), m_respond(std::move(respond)),
      m_acceptUpgrade(std::move(acceptUpgrade)), m_limits(limits)
{}

quint16 GuardedHttpServer::listenOn(const QHostAddress &address, quint16 port, QString *error)
{
    auto *server = new GuardedTcpServer(m_limits, this);
    if (!server->listen(address, port)) {
        if (error)
            *error = server->errorString();
        delete server;
        return 0;
    }
    bind(server);
    return server->serverPort();
}

ApiRequest GuardedHttpServer::toApiRequest(const QHttpServerRequest &request)
{
    ApiRequest api;
    api.method = methodName(request.method());
    api.path = ApiRequest::splitPath(request.url().path(QUrl::FullyEncoded).toUtf8());
    api.query = request.query();
    api.body = request.body();
    for (const auto &[name, value] : request.headers())
        api.headers.append({name, value});
    return api;
}

bool GuardedHttpServer::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    ConnectionGuard *guard = ConnectionGuard::of(socket);
    if (guard)
        guard->requestCompleted();
    const ApiRequest api = toApiRequest(request);
    if (isWebSocketUpgrade(api)) {
        // Returning true hands the socket to the WebSocket server; false makes Qt call
        // missingHandler(), which answers like any other request.
        if (!m_acceptUpgrade(api))
            return false;
        if (guard)
            guard->upgradedToWebSocket();
        return true;
    }
    answer(request, socket, m_respond(api));
    return true;
}

void GuardedHttpServer::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    answer(request, socket, m_respond(toApiRequest(request)));
}

// A pending answer is written when it arrives. Qt HttpServer keeps `request` until `socket` is
// destroyed, and a connection to `socket` ends with it; a socket that has disconnected in the
// meantime gets nothing.
void GuardedHttpServer::answer(const QHttpServerRequest &request, QTcpSocket *socket,
                               const ApiResponse &response)
{
    if (!response.pending) {
        write(request, socket, response);
        return;
    }
    if (ConnectionGuard *guard = ConnectionGuard::of(socket))
        guard->responsePending();
    connect(response.pending, &ApiPendingResponse::finished, socket,
            [this, &request, socket](const ApiResponse &later) {
                if (socket->state() != QAbstractSocket::ConnectedState)
                    return;
                write(request, socket, later);
                if (ConnectionGuard *guard = ConnectionGuard::of(socket))
                    guard->requestCompleted();
            });
}

void GuardedHttpServer::write(const QHttpServerRequest &request, QTcpSocket *socket,
                              const ApiResponse &response)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.writeStatusLine(QHttpServerResponder::StatusCode(response.status));
    for (const auto &[name, value] : response.headers)
        responder.writeHeader(name, value);
    responder.writeHeader("X-Content-Type-Options", "nosniff");
    if (!response.contentType.isEmpty())
        responder.writeHeader("Content-Type", response.contentType);
    responder.writeHeader("Content-Length", QByteArray::number(response.body.size()));
    responder.writeBody(response.body);
}
