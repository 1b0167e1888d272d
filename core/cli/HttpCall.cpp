#include "HttpCall.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

HttpResult httpCall(const QByteArray &method, const QUrl &url, const QByteArray &body,
                    int timeoutMs, const QByteArray &contentType)
{
    QNetworkAccessManager network;
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    if (!body.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    if (!url.userName().isEmpty()) {
        request.setRawHeader("Authorization",
                             "Basic " +
                                 (url.userName() + u':' + url.password()).toUtf8().toBase64());
    }
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    HttpResult result;
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    if (result.status == 0)
        result.error = reply->errorString();
    delete reply;
    return result;
}
