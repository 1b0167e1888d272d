#include "ApiExchange.h"

#include <QUrl>

QByteArray ApiRequest::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

QString ApiRequest::queryValue(const QString &key) const
{
    // QUrlQuery keeps '+' literally; decoding it here makes "query=from:a+subject:b" work.
    QString raw = query.queryItemValue(key, QUrl::FullyEncoded);
    raw.replace(u'+', u' ');
    return QUrl::fromPercentEncoding(raw.toUtf8());
}

QStringList ApiRequest::splitPath(const QByteArray &encodedPath)
{
    QStringList segments;
    const QList<QByteArray> parts = encodedPath.split('/');
    // The leading '/' gives an empty first part; every later empty part is kept so that
    // "/api/v1/messages/" does not match "/api/v1/messages".
    for (qsizetype i = 1; i < parts.size(); ++i)
        segments.append(QUrl::fromPercentEncoding(parts[i]));
    return segments;
}

ApiResponse ApiResponse::json(const QJsonDocument &document, int status)
{
    return {status, "application/json", document.toJson(QJsonDocument::Compact), {}, {}};
}

ApiResponse ApiResponse::text(const QByteArray &text, int status)
{
    return {status, "text/plain; charset=utf-8", text, {}, {}};
}

ApiResponse ApiResponse::error(int status, const QString &message)
{
    return text(message.toUtf8(), status);
}

ApiResponse ApiResponse::notFound()
{
    return error(404, QStringLiteral("404 page not found"));
}

ApiResponse ApiResponse::ok()
{
    return text("ok");
}

std::optional<QJsonObject> objectBody(const ApiRequest &request, ApiResponse *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = ApiResponse::error(400, QStringLiteral("invalid JSON at offset %1: %2")
                                             .arg(parseError.offset)
                                             .arg(parseError.errorString()));
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = ApiResponse::error(400, QStringLiteral("expected a JSON object"));
        return std::nullopt;
    }
    return document.object();
}

ApiResponse ApiResponse::later(ApiPendingResponse *pending)
{
    ApiResponse response;
    response.pending = pending;
    return response;
}

void ApiPendingResponse::finish(const ApiResponse &response)
{
    // Queued: work may finish before the route has returned and the server has connected.
    QMetaObject::invokeMethod(
        this,
        [this, response] {
            Q_EMIT finished(response);
            deleteLater();
        },
        Qt::QueuedConnection);
}
