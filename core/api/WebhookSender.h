#pragma once

#include <QElapsedTimer>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>
#include <QQueue>
#include <QTimer>
#include <QUrl>

#include <deque>

struct WebhookSettings
{
    QUrl url;               // empty: no webhook
    int limitPerSecond = 0; // --webhook-limit; 0: as fast as the receiver answers
    int maxAttempts = 5;    // for 5xx and connection errors
    int firstRetryMs = 500; // doubled each retry, up to maxRetryMs
    int maxRetryMs = 30000;
    int timeoutMs = 10000; // per POST
    int maxQueued = 10000; // beyond: the oldest is dropped and reported
};

// POSTs each stored message's summary JSON to a URL, one request at a time and in order, at
// most limitPerSecond starts in any second. It runs on the event loop of its thread with an
// asynchronous QNetworkAccessManager, so capturing never waits for the receiver. A 5xx or a
// connection error is retried with backoff; what cannot be sent is reported by failed().
class WebhookSender : public QObject
{
    Q_OBJECT
public:
    explicit WebhookSender(const WebhookSettings &settings, QObject *parent = nullptr);

    void enqueue(const QJsonObject &summary);
    qsizetype queued() const { return m_queue.size(); }

Q_SIGNALS:
    void failed(const QString &message);

private:
    struct Item
    {
        QByteArray body;
        QString id;
        int attempts = 0;
    };
    void sendSoon(int delayMs);
    void sendNext();
    void onFinished(class QNetworkReply *reply);
    // Milliseconds until the rate limit lets another request start; 0: now.
    int rateDelayMs();

    WebhookSettings m_settings;
    QNetworkAccessManager m_network;
    QQueue<Item> m_queue;
    bool m_inFlight = false;
    QTimer m_timer;
    QElapsedTimer m_clock;
    std::deque<qint64> m_starts; // of the requests in the last second
};
