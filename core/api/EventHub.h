#pragma once

#include <QJsonValue>
#include <QList>
#include <QObject>

#include <atomic>
#include <memory>

class QWebSocket;

// The WebSocket clients of /api/events and what they are sent: Mailpit's
// {"Type": ..., "Data": ...} text frames. Clients only listen; what they send is dropped.
class EventHub : public QObject
{
    Q_OBJECT
public:
    // A client that does not read lets frames pile up; past this many unsent bytes it is dropped.
    static constexpr qint64 kMaxBacklogBytes = 8 * 1024 * 1024;

    using QObject::QObject;
    ~EventHub() override;

    void addClient(std::unique_ptr<QWebSocket> socket);
    void broadcast(const QString &type, const QJsonValue &data);
    // Thread-safe, so that other threads can skip the events nobody would receive.
    bool hasClients() const { return clientCount() > 0; }
    int clientCount() const { return m_clientCount.load(std::memory_order_relaxed); }

private:
    void drop(QWebSocket *socket);

    QList<QWebSocket *> m_clients; // owned
    std::atomic<int> m_clientCount{0};
};
