#pragma once

#include "server/SmtpSession.h"

#include <QHostAddress>
#include <QMutex>
#include <QObject>
#include <QThread>
#include <optional>

class MessageStore;
class SmtpServer;

// Runs an SmtpServer in a thread of its own and lets any other thread start and stop it; where it
// listens may be read from any thread (the desktop's API thread reports it).
// Signals are re-emitted here, so receivers connect once and survive restarts. The session
// signals are emitted in the server's thread: a receiver with a thread of its own gets them
// queued as usual, and one that does not need that thread (a log) can take them directly and
// spare it a wake-up per session.
class SmtpService : public QObject
{
    Q_OBJECT
public:
    explicit SmtpService(MessageStore *store, QObject *parent = nullptr);
    ~SmtpService() override;

    // Blocks until the server listens or has failed; the bound port is in port() afterwards.
    // With smtpsPort, a second listener on that port speaks implicit TLS (RFC 8314).
    bool start(const QHostAddress &address, quint16 port, const SessionConfig &config,
               QString *error, std::optional<quint16> smtpsPort = std::nullopt);
    // Asked by every session started from now on (rules, chaos); null: none.
    void setStageHooks(std::shared_ptr<StageHooks> hooks) { m_hooks = std::move(hooks); }
    // Closes the listener and every session with 421, waits at most timeoutMs for them.
    void stop(int timeoutMs = 10000);
    bool isListening() const;
    QHostAddress address() const;
    quint16 port() const;
    quint16 smtpsPort() const; // 0 when there is no SMTPS listener

Q_SIGNALS:
    void listeningChanged(bool listening);
    void sessionStarted(const SessionRecord &session);
    void transcriptAppended(qint64 sessionId, const Transcript &entries);
    void sessionEnded(const SessionRecord &session);

private:
    quint16 listen(const QHostAddress &address, quint16 port, const SessionConfig &config,
                   QString *error);

    MessageStore *m_store;
    std::shared_ptr<StageHooks> m_hooks;
    QThread m_thread;
    QObject m_threadAnchor; // lives in m_thread: a context for running code there
    QList<SmtpServer *> m_servers; // live in m_thread
    mutable QMutex m_endpointLock; // guards the four below, written by start() and stop()
    bool m_listening = false;
    QHostAddress m_address;
    quint16 m_port = 0;
    quint16 m_smtpsPort = 0;
};
