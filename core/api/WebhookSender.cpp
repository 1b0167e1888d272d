#include "WebhookSender.h"

#include <QJsonDocument>
#include <QNetworkReply>

#include <algorithm>

WebhookSender::WebhookSender(const WebhookSettings &settings, QObject *parent)
    : QObject(parent), m_settings(settings), m_network(this)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &WebhookSender::sendNext);
    connect(&m_network, &QNetworkAccessManager::finished, this, &WebhookSender::onFinished);
    m_clock.start();
}

void WebhookSender::enqueue(const QJsonObject &summary)
{
    if (m_queue.size() >= m_settings.maxQueued) {
        // The head may be in flight; drop the oldest one waiting behind it.
        const Item dropped = m_queue.takeAt(m_inFlight ? 1 : 0);
        Q_EMIT failed(QStringLiteral("webhook: queue full (%1), message %2 not sent")
                          .arg(m_settings.maxQueued)
                          .arg(dropped.id));
    }
    m_queue.enqueue({QJsonDocument(summary).toJson(QJsonDocument::Compact),
                     summary.value(QStringLiteral("ID")).toString()});
    if (!m_inFlight && !m_timer.isActive())
        sendSoon(0);
}

int WebhookSender::rateDelayMs()
{
    if (m_settings.limitPerSecond <= 0)
        return 0;
    const qint64 now = m_clock.elapsed();
    while (!m_starts.empty() && m_starts.front() <= now - 1000)
        m_starts.pop_front();
    if (static_cast<int>(m_starts.size()) < m_settings.limitPerSecond)
        return 0;
    return static_cast<int>(m_starts.front() + 1000 - now) + 1;
}

void WebhookSender::sendSoon(int delayMs)
{
    m_timer.start(std::max(delayMs, rateDelayMs()));
}

void WebhookSender::sendNext()
{
    if (m_inFlight || m_queue.isEmpty())
        return;
    if (const int wait = rateDelayMs(); wait > 0) {
        m_timer.start(wait);
        return;
    }
    m_starts.push_back(m_clock.elapsed());
    Item &item = m_queue.head();
    ++item.attempts;
    QNetworkRequest request(m_settings.url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArray("smtpeek/" SMTPEEK_VERSION));
    request.setTransferTimeout(m_settings.timeoutMs);
    m_inFlight = true;
    m_network.post(request, item.body);
}

void WebhookSender::onFinished(QNetworkReply *reply)
{
    reply->deleteLater();
    m_inFlight = false;
    if (m_queue.isEmpty())
        return;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    if (status >= 200 && status < 300) {
        m_queue.dequeue();
        sendSoon(0);
        return;
    }
    Item &item = m_queue.head();
    const QString reason =
        status == 0 ? reply->errorString() : QStringLiteral("HTTP %1").arg(status);
    const bool retry = (status == 0 || status >= 500) && item.attempts < m_settings.maxAttempts;
    if (retry) {
        const int delay = std::min(m_settings.maxRetryMs,
                                   m_settings.firstRetryMs << std::min(item.attempts - 1, 16));
        Q_EMIT failed(QStringLiteral("webhook: message %1: %2, retrying in %3 ms")
                          .arg(item.id, reason)
                          .arg(delay));
        sendSoon(delay);
        return;
    }
    Q_EMIT failed(QStringLiteral("webhook: message %1 not sent after %2 attempts: %3")
                      .arg(item.id)
                      .arg(item.attempts)
                      .arg(reason));
    m_queue.dequeue();
    sendSoon(0);
}
