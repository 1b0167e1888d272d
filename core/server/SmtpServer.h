#pragma once

#include "server/SmtpSession.h"

#include <QHostAddress>
#include <QSet>
#include <QTcpServer>

class MessageStore;

// Accepts connections and gives each its own SmtpSession. Lives in one thread (its event loop
// serves every session); the rest of the program sees only its signals, which carry values.
class SmtpServer : public QTcpServer
{
    Q_OBJECT
public:
    SmtpServer(MessageStore *store, const SessionConfig &config, QObject *parent = nullptr);

    // Listens on address:port (port 0 picks a free one). False with a reason on failure.
    bool start(const QHostAddress &address, quint16 port, QString *error);
    // Stops listening and ends every session with 421; stopped() follows when all are closed.
    void stop();
    int sessionCount() const { return int(m_sessions.size()); }
    const SessionConfig &config() const { return m_config; }

Q_SIGNALS:
    void sessionStarted(const SessionRecord &session);
    void transcriptAppended(qint64 sessionId, const Transcript &entries);
    void sessionEnded(const SessionRecord &session);
    void stopped();

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void refuse(QTcpSocket *socket);
    void onSessionClosed(SmtpSession *session);

    MessageStore *m_store;
    SessionConfig m_config;
    QSet<SmtpSession *> m_sessions;
    bool m_stopping = false;
};
