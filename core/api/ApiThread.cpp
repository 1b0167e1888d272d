#include "ApiThread.h"

#include "ApiServer.h"

ApiThread::ApiThread()
{
    m_thread.setObjectName(QStringLiteral("smtpeek-api"));
    m_anchor.moveToThread(&m_thread);
}

ApiThread::~ApiThread()
{
    if (m_server)
        QMetaObject::invokeMethod(
            &m_anchor, [this] { m_server.reset(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

bool ApiThread::start(const ApiSettings &settings, const ApiSources &sources, QString *error)
{
    if (!settings.enabled || m_server)
        return m_server != nullptr;
    m_thread.start();
    QMetaObject::invokeMethod(
        &m_anchor,
        [&] {
            m_server = startApiServer(settings, sources, error);
            m_port = m_server ? m_server->port() : 0;
        },
        Qt::BlockingQueuedConnection);
    if (!m_server) {
        m_thread.quit();
        m_thread.wait();
    }
    return m_server != nullptr;
}

void ApiThread::connectWebhookFailures(QObject *context, std::function<void(const QString &)> show)
{
    if (m_server)
        QObject::connect(m_server.get(), &ApiServer::webhookFailed, context, std::move(show));
}
