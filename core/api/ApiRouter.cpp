#include "ApiRouter.h"

void ApiRouter::add(const QByteArray &method, const QString &pattern, Handler handler)
{
    m_routes.append({method, ApiRequest::splitPath(pattern.toUtf8()), std::move(handler)});
}

bool ApiRouter::matches(const Route &route, const QStringList &path, QStringList *args)
{
    if (route.pattern.size() != path.size())
        return false;
    QStringList found;
    for (qsizetype i = 0; i < path.size(); ++i) {
        if (route.pattern[i] == u"{}") {
            if (path[i].isEmpty())
                return false;
            found.append(path[i]);
        } else if (route.pattern[i] != path[i]) {
            return false;
        }
    }
    *args = found;
    return true;
}

ApiResponse ApiRouter::dispatch(const ApiRequest &request) const
{
    QList<QByteArray> allowed;
    for (const Route &route : m_routes) {
        QStringList args;
        if (!matches(route, request.path, &args))
            continue;
        if (route.method == request.method)
            return route.handler(request, args);
        if (!allowed.contains(route.method))
            allowed.append(route.method);
    }
    if (allowed.isEmpty())
        return ApiResponse::notFound();
    ApiResponse response = ApiResponse::error(405, QStringLiteral("Method Not Allowed"));
    response.headers.append({"Allow", allowed.join(", ")});
    return response;
}

QList<QPair<QByteArray, QString>> ApiRouter::routes() const
{
    QList<QPair<QByteArray, QString>> list;
    for (const Route &route : m_routes)
        list.append({route.method, u'/' + route.pattern.join(u'/')});
    return list;
}
