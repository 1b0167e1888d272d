#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>

#include <functional>
#include <optional>

// The Model Context Protocol (JSON-RPC 2.0, protocol version 2025-06-18) for `smtpeek mcp`:
// one message in, at most one out. The tools speak to a running smtpeek through `call`, so a
// test can stand in for the API.
class McpSession
{
public:
    struct ApiAnswer
    {
        int status = 0; // 0: the API could not be reached (then body holds why)
        QByteArray body;
    };
    // method, path with query ("/api/v1/search?query=x"), JSON body or empty.
    using ApiCall =
        std::function<ApiAnswer(const QByteArray &, const QString &, const QByteArray &)>;

    static constexpr const char *kProtocolVersion = "2025-06-18";

    explicit McpSession(ApiCall call) : m_call(std::move(call)) {}

    // One line of JSON-RPC: the reply to write, or nothing for a notification.
    std::optional<QByteArray> handle(const QByteArray &line);

    // tools/list's entries: name, title, description and the JSON schema of the input.
    static QJsonArray tools();

private:
    QJsonObject callTool(const QString &name, const QJsonObject &arguments);

    ApiCall m_call;
};
