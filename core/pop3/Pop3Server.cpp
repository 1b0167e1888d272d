#include "Pop3Server.h"

#include "pop3/Pop3Reply.h"

#include <QMetaObject>
#include <QSslSocket>

Pop3Server::Pop3Server(MessageStore *store, const Pop3Config &config, QObject *parent)
    : QTcpServer(parent), m_store(store), m_config(config)
{}

void Pop3Server::stop()
{
    close();
    const QSet<Pop3Session *> sessions = m_sessions;
    for (Pop3Session *session : sessions)
        session->shutdown();
}

void Pop3Server::incomingConnection(qintptr descriptor)
{
    QTcpSocket *socket = m_config.tls ? new QSslSocket : new QTcpSocket;
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (m_sessions.size() >= kMaxSessions) {
        socket->write(pop3_reply::err("[SYS/TEMP] too many sessions"));
        connect(socket, &QAbstractSocket::disconnected, socket, &QObject::deleteLater);
        socket->disconnectFromHost();
        return;
    }
    auto *session = new Pop3Session(socket, m_store, m_config, this);
    m_sessions.insert(session);
    connect(session, &Pop3Session::closed, this, [this, session] {
        m_sessions.remove(session);
        session->deleteLater();
    });
    session->start();
}

Pop3Service::Pop3Service(MessageStore *store, QObject *parent) : QObject(parent), m_store(store)
{
    m_thread.setObjectName(QStringLiteral("smtpeek-pop3"));
    m_threadAnchor.moveToThread(&m_thread);
    m_thread.start();
}

Pop3Service::~Pop3Service()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

bool Pop3Service::start(const QHostAddress &address, quint16 port, const Pop3Config &config,
                        QString *error)
{
    stop();
    bool listening = false;
    QString reason;
    QString bound;
    QMetaObject::invokeMethod(
        &m_threadAnchor,
        [&] {
            m_server = new Pop3Server(m_store, config);
            listening = m_server->listen(address, port);
            if (!listening) {
                reason = m_server->errorString();
                delete std::exchange(m_server, nullptr);
                return;
            }
            const QHostAddress at = m_server->serverAddress();
            bound = (at.protocol() == QAbstractSocket::IPv6Protocol ? u'[' + at.toString() + u']'
                                                                    : at.toString()) +
                    u':' + QString::number(m_server->serverPort());
        },
        Qt::BlockingQueuedConnection);
    if (!listening) {
        *error = QStringLiteral("pop3 cannot listen on %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(reason);
        return false;
    }
    QMutexLocker locker(&m_lock);
    m_address = bound;
    return true;
}

void Pop3Service::stop()
{
    QMetaObject::invokeMethod(
        &m_threadAnchor,
        [this] {
            if (!m_server)
                return;
            m_server->stop();
            // Sessions end with the server: their sockets are its grandchildren.
            delete std::exchange(m_server, nullptr);
        },
        Qt::BlockingQueuedConnection);
    QMutexLocker locker(&m_lock);
    m_address.clear();
}

bool Pop3Service::isListening() const
{
    QMutexLocker locker(&m_lock);
    return !m_address.isEmpty();
}

QString Pop3Service::address() const
{
    QMutexLocker locker(&m_lock);
    return m_address;
}
