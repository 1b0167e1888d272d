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
    m_thread.start();
}

SmtpService::~SmtpService()
{
    stop();
    m_thread.quit();
    m_thread.wait();
}

bool SmtpService::start(const QHostAddress &address, quint16 port, const SessionConfig &config,
                        QString *error)
{
    if (m_listening)
        return true;
    bool ok = false;
    // Created here, then moved: the server must live in the thread that serves it.
    SessionConfig sessionConfig = config;
    sessionConfig.liveTranscript =
        isSignalConnected(QMetaMethod::fromSignal(&SmtpService::transcriptAppended));
    m_server = new SmtpServer(m_store, sessionConfig);
    connect(m_server, &SmtpServer::sessionStarted, this, &SmtpService::sessionStarted);
    connect(m_server, &SmtpServer::transcriptAppended, this, &SmtpService::transcriptAppended);
    connect(m_server, &SmtpServer::sessionEnded, this, &SmtpService::sessionEnded);
    m_server->moveToThread(&m_thread);
    QMetaObject::invokeMethod(
        m_server,
        [&] {
            ok = m_server->start(address, port, error);
            m_port = m_server->serverPort();
        },
        Qt::BlockingQueuedConnection);
    if (!ok) {
        QMetaObject::invokeMethod(m_server, &QObject::deleteLater);
        m_server = nullptr;
        return false;
    }
    m_address = address;
    m_listening = true;
    Q_EMIT listeningChanged(true);
    return true;
}

void SmtpService::stop(int timeoutMs)
{
    if (!m_server)
        return;
    SmtpServer *server = std::exchange(m_server, nullptr);
    QEventLoop loop;
    connect(server, &SmtpServer::stopped, &loop, &QEventLoop::quit, Qt::QueuedConnection);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    QMetaObject::invokeMethod(server, &SmtpServer::stop, Qt::QueuedConnection);
    loop.exec();
    // Deleting the server deletes whatever sessions outlived the timeout, in their own thread.
    QMetaObject::invokeMethod(server, &QObject::deleteLater);
    m_listening = false;
    Q_EMIT listeningChanged(false);
}
