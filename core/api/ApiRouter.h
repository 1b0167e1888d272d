#pragma once

#include "ApiExchange.h"

#include <functional>

// Routes requests by method and path pattern. A pattern is a path whose "{}" segments match
// any one non-empty segment and are handed to the handler in order. A path that exists for
// other methods answers 405 with Allow; anything else 404.
class ApiRouter
{
public:
    using Handler = std::function<ApiResponse(const ApiRequest &, const QStringList &args)>;

    void add(const QByteArray &method, const QString &pattern, Handler handler);
    ApiResponse dispatch(const ApiRequest &request) const;
    // Every route as {method, pattern}, in the order added: what /api/v1/openapi.json must list.
    QList<QPair<QByteArray, QString>> routes() const;

private:
    struct Route
    {
        QByteArray method;
        QStringList pattern;
        Handler handler;
    };
    static bool matches(const Route &route, const QStringList &path, QStringList *args);

    QList<Route> m_routes;
};
