#pragma once

#include "ApiExchange.h"

// A request as a client would send it, from a method and a target ("/path?query").
inline ApiRequest apiRequest(const QByteArray &method, const QByteArray &target,
                             const QByteArray &body = {})
{
    ApiRequest r;
    r.method = method;
    const qsizetype question = target.indexOf('?');
    r.path = ApiRequest::splitPath(question < 0 ? target : target.left(question));
    if (question >= 0)
        r.query = QUrlQuery(QString::fromUtf8(target.mid(question + 1)));
    r.body = body;
    return r;
}
