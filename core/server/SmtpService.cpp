#include "SmtpService.h"

#include "server/SmtpServer.h"

#include <QEventLoop>
#include <QMetaMethod>
#include <QTimer>

SmtpService::SmtpService(MessageStore *store, QObject *parent) : QObject(parent), m_store(store)
{
    qRegisterMetaType<SessionRecord>();
    qRegisterMetaType<Transcript>();
    qRegisterMetaType<MessageSummary>();
    m_thread.setObjectName(QStringLiteral("smtpeek-server"));
    m_threadAnchor.moveToThread(&m_thread);
    m_thread.start();
}

SmtpService::~SmtpService()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

bool SmtpService::isListening() const
{
    const QMutexLocker lock(&m_endpointLock);
    return m_listening;
}

QHostAddress SmtpService::address() const
{
    const QMutexLocker lock(&m_endpointLock);
    return m_address;
}

quint16 SmtpService::port() const
{
    const QMutexLocker lock(&m_endpointLock);
    return m_port;
}

quint16 SmtpService::smtpsPort() const
{
    const QMutexLocker lock(&m_endpointLock);
    return m_smtpsPort;
}

bool SmtpService::start(const QHostAddress &address, quint16 port, const SessionConfig &config,
                        QString *error, std::optional<quint16> smtpsPort)
{
    if (isListening())
        return true;
    SessionConfig sessionConfig = config;
    sessionConfig.liveTranscript =
        isSignalConnected(QMetaMethod::fromSignal(&SmtpService::transcriptAppended));
    sessionConfig.implicitTls = false;
    sessionConfig.hooks = m_hooks;
    if (!sessionConfig.budget) // one budget for both listeners
        sessionConfig.budget = std::make_shared<MessageBudget>(config.limits.maxBytesInFlight);
    const quint16 bound = listen(address, port, sessionConfig, error);
    if (bound == 0)
        return false;
    quint16 smtpsBound = 0;
    if (smtpsPort) {
        if (!config.tls) {
            *error = QStringLiteral("implicit TLS needs a certificate (--tls-auto or --tls-cert)");
            stop();
            return false;
        }
        sessionConfig.implicitTls = true;
        smtpsBound = listen(address, *smtpsPort, sessionConfig, error);
        if (smtpsBound == 0) {
            stop();
            return false;
        }
    }
    {
        const QMutexLocker lock(&m_endpointLock);
        m_port = bound;
        m_smtpsPort = smtpsBound;
        m_address = address;
        m_listening = true;
    }
    Q_EMIT listeningChanged(true);
    return true;
}

quint16 SmtpService::listen(const QHostAddress &address, quint16 port, const SessionConfig &config,
                            QString *error)
{
    // Created here, then moved: a server must live in the thread that serves it.
    auto *server = new SmtpServer(m_store, config);
    connect(server, &SmtpServer::sessionStarted, this, &SmtpService::sessionStarted,
            Qt::DirectConnection);
    connect(server, &SmtpServer::transcriptAppended, this, &SmtpService::transcriptAppended,
            Qt::DirectConnection);
    connect(server, &SmtpServer::sessionEnded, this, &SmtpService::sessionEnded,
            Qt::DirectConnection);
    server->moveToThread(&m_thread);
    quint16 bound = 0;
    QMetaObject::invokeMethod(
        server,
        [&] {
            if (server->start(address, port, error))
                bound = server->serverPort();
        },
        Qt::BlockingQueuedConnection);
    if (bound == 0) {
        QMetaObject::invokeMethod(&m_threadAnchor, [server] { delete server; },
                                  Qt::BlockingQueuedConnection);
        return 0;
    }
    m_servers.append(server);
    return bound;
}

void SmtpService::stop(int timeoutMs)
{
    if (m_servers.isEmpty())
        return;
    const QList<SmtpServer *> servers = std::exchange(m_servers, {});
    QEventLoop loop;
    int running = int(servers.size());
    for (SmtpServer *server : servers) {
        connect(server, &SmtpServer::stopped, &loop, [&] {
            if (--running == 0)
                loop.quit();
        }, Qt::QueuedConnection);
        QMetaObject::invokeMethod(server, &SmtpServer::stop, Qt::QueuedConnection);
    }
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    // Deleted now, in their own thread, with whatever sessions outlived the timeout: a
    // deleteLater() could still be pending when the thread's event loop ends.
    QMetaObject::invokeMethod(
        &m_threadAnchor, [servers] { qDeleteAll(servers); }, Qt::BlockingQueuedConnection);
    bool wasListening = false;
    {
        const QMutexLocker lock(&m_endpointLock);
        wasListening = std::exchange(m_listening, false);
        m_smtpsPort = 0;
    }
    if (wasListening)
        Q_EMIT listeningChanged(false);
}
