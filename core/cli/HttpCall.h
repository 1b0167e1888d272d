#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

// One HTTP request from a command-line tool, answered synchronously (a local event loop).
struct HttpResult
{
    int status = 0; // 0: no answer (then `error` says why)
    QByteArray body;
    QString error;
};

HttpResult httpCall(const QByteArray &method, const QUrl &url, const QByteArray &body,
                    int timeoutMs, const QByteArray &contentType = "application/json");
