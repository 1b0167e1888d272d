#pragma once

#include "ApiPendingResponse.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <QUrlQuery>

#include <optional>

// One HTTP request and its answer as plain values, so routes and their tests never touch a
// socket or Qt HttpServer's (tech preview) types.

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

struct ApiRequest
{
    QByteArray method; // upper case, e.g. "GET"
    QStringList path;  // percent-decoded segments: "/api/v1/info" -> {"api", "v1", "info"}
    QUrlQuery query;
    QByteArray body;
    HeaderList headers;

    // The first value of a header, compared case-insensitively; empty when absent.
    QByteArray header(const QByteArray &name) const;
    // The query value with '+' read as a space, as HTML forms and most clients send it.
    QString queryValue(const QString &key) const;

    // Splits an encoded path such as "/api/v1/message/12%2F3" into decoded segments.
    static QStringList splitPath(const QByteArray &encodedPath);
};

struct ApiResponse
{
    int status = 200;
    QByteArray contentType;
    QByteArray body;
    HeaderList headers; // besides Content-Type and Content-Length
    // Set by later(): the real answer comes from this object's finished() signal.
    QPointer<ApiPendingResponse> pending;

    static ApiResponse json(const QJsonDocument &document, int status = 200);
    static ApiResponse text(const QByteArray &text, int status = 200);
    // Mailpit answers errors in plain text: the message for 400s, "404 page not found" for
    // unknown IDs and paths.
    static ApiResponse error(int status, const QString &message);
    static ApiResponse notFound();
    static ApiResponse ok(); // Mailpit's plain "ok" for actions
    static ApiResponse later(ApiPendingResponse *pending);
};

// A JSON object body, or the 400 that explains why there is none.
std::optional<QJsonObject> objectBody(const ApiRequest &request, ApiResponse *error);
