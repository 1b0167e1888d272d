#include "SmtpServer.h"

#include "store/MessageStore.h"

#include <QSslSocket>
#include <QTcpSocket>

SmtpServer::SmtpServer(MessageStore *store, const SessionConfig &config, QObject *parent)
    : QTcpServer(parent), m_store(store), m_config(config)
{
    // Sessions are created in incomingConnection(); the pending-connection queue stays unused.
    setMaxPendingConnections(std::numeric_limits<int>::max());
}

bool SmtpServer::start(const QHostAddress &address, quint16 port, QString *error)
{
    m_stopping = false;
    if (isListening())
        return true;
    if (listen(address, port))
        return true;
    *error = QStringLiteral("cannot listen on %1:%2: %3")
                 .arg(address.toString())
                 .arg(port)
                 .arg(errorString());
    return false;
}

void SmtpServer::stop()
{
    close();
    m_stopping = true;
    if (m_sessions.isEmpty()) {
        Q_EMIT stopped();
        return;
    }
    const QSet<SmtpSession *> sessions = m_sessions;
    for (SmtpSession *session : sessions)
        session->shutdown();
}

void SmtpServer::incomingConnection(qintptr descriptor)
{
    // A QSslSocket is a plain socket until STARTTLS (or at once, for SMTPS) encrypts it.
    QTcpSocket *socket = m_config.tls ? new QSslSocket : new QTcpSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    if (m_stopping || m_sessions.size() >= m_config.limits.maxSessions) {
        refuse(socket);
        return;
    }
    SessionRecord identity;
    identity.id = m_store->allocateSessionId();
    identity.peerAddress = socket->peerAddress().toString();
    identity.peerPort = socket->peerPort();
    identity.localPort = socket->localPort();
    auto *session = new SmtpSession(socket, m_store, m_config, identity, this);
    m_sessions.insert(session);
    connect(session, &SmtpSession::started, this, &SmtpServer::sessionStarted);
    connect(session, &SmtpSession::transcriptAppended, this, &SmtpServer::transcriptAppended);
    connect(session, &SmtpSession::finished, this, &SmtpServer::sessionEnded);
    connect(session, &SmtpSession::closed, this, [this, session] { onSessionClosed(session); });
    session->start();
}

void SmtpServer::refuse(QTcpSocket *socket)
{
    const SmtpReply reply = m_stopping ? Reply::shuttingDown()
                                       : Reply::tooManySessions(m_config.hostname);
    socket->write(reply.toWire());
    connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
    socket->disconnectFromHost();
    if (socket->state() == QAbstractSocket::UnconnectedState)
        socket->deleteLater();
}

void SmtpServer::onSessionClosed(SmtpSession *session)
{
    m_sessions.remove(session);
    session->deleteLater();
    if (m_stopping && m_sessions.isEmpty())
        Q_EMIT stopped();
}
