#include "ApiServer.h"

#include "DeliveryJson.h"
#include "GuardedHttpServer.h"
#include "MessageJson.h"
#include "MessageWaits.h"
#include "SessionJson.h"
#include "WebhookSender.h"

#include "server/SmtpService.h"
#include "store/MessageStore.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrl>
#include <QWebSocket>

namespace {
const QStringList kEventsPath = {QStringLiteral("api"), QStringLiteral("events")};

// Probes must work without credentials.
bool isProbe(const ApiRequest &request)
{
    return request.path == QStringList{QStringLiteral("readyz")} ||
           request.path == QStringList{QStringLiteral("livez")};
}

// Compares without stopping at the first difference, so timing does not reveal the prefix.
bool equalBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a[i] ^ b[i]);
    return difference == 0;
}

ApiResponse unauthorized()
{
    ApiResponse response = ApiResponse::error(401, QStringLiteral("Unauthorized."));
    response.headers.append(
        {QByteArray("WWW-Authenticate"), QByteArray("Basic realm=\"smtpeek\"")});
    return response;
}
} // namespace

ApiServer::ApiServer(MessageStore *store, QObject *parent, const HttpLimits &limits)
    : QObject(parent), m_store(store), m_fields(store), m_routes(store, &m_fields, &m_stats),
      m_http(new GuardedHttpServer([this](const ApiRequest &r) { return respond(r); },
                                   [this](const ApiRequest &r) { return acceptsEventsUpgrade(r); },
                                   limits, this))
{
    m_stats.startedMs = QDateTime::currentMSecsSinceEpoch();
    m_statsTimer.setSingleShot(true);
    m_statsTimer.setInterval(250); // Mailpit's rate for "stats" events
    connect(&m_statsTimer, &QTimer::timeout, this, [this] {
        m_events.broadcast(
            QStringLiteral("stats"),
            QJsonObject{{QStringLiteral("Total"), m_store->messageCount()},
                        {QStringLiteral("Unread"), m_store->unreadCount()},
                        {QStringLiteral("Version"), QStringLiteral(SMTPEEK_VERSION)}});
    });
    connect(m_http, &QAbstractHttpServer::newWebSocketConnection, this, [this] {
        while (m_http->hasPendingWebSocketConnections())
            m_events.addClient(m_http->nextPendingWebSocketConnection());
    });
    connectStore();
}

ApiServer::~ApiServer() = default;

bool ApiServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    m_port = m_http->listenOn(address, port, error);
    if (m_port == 0)
        return false;
    m_address = address;
    return true;
}

QString ApiServer::url() const
{
    const QString host = m_address.protocol() == QAbstractSocket::IPv6Protocol
                             ? u'[' + m_address.toString() + u']'
                             : m_address.toString();
    return QStringLiteral("http://%1:%2").arg(host).arg(m_port);
}

void ApiServer::setBasicAuth(const QString &user, const QString &password)
{
    m_expectedAuthorization = user.isEmpty() || password.isEmpty()
                                  ? QByteArray()
                                  : "Basic " + (user + u':' + password).toUtf8().toBase64();
}

void ApiServer::setDatabaseFile(const QString &path)
{
    m_routes.setDatabaseFile(path);
}

void ApiServer::setPop3Address(std::function<QString()> address)
{
    m_routes.setPop3Address(std::move(address));
}

// Sessions and stored messages are announced from the server's and the store's threads. They are
// taken there directly and handed to this thread only when a client listens: otherwise every
// message would wake this thread for nothing.
void ApiServer::attachSessions(SmtpService *service)
{
    m_routes.setSmtpService(service);
    const auto forward = [this](const SessionRecord &session) {
        if (m_events.hasClients()) // the JSON costs more than the session itself
            QMetaObject::invokeMethod(this, [this, session] {
                m_events.broadcast(QStringLiteral("session"), sessionJson(session));
            });
    };
    connect(service, &SmtpService::sessionStarted, this, forward, Qt::DirectConnection);
    connect(service, &SmtpService::sessionEnded, this, forward, Qt::DirectConnection);
}

void ApiServer::setWebhook(const QString &url, int limit)
{
    delete m_webhook;
    m_webhook = nullptr;
    if (url.isEmpty())
        return;
    WebhookSettings settings;
    settings.url = QUrl(url);
    settings.limitPerSecond = limit;
    m_webhook = new WebhookSender(settings, this);
    connect(m_webhook, &WebhookSender::failed, this, &ApiServer::webhookFailed);
}

void ApiServer::attachRelay(DeliveryQueue *relay)
{
    m_routes.setRelay(relay);
}

void ApiServer::connectStore()
{
    connect(
        m_store, &MessageStore::messageStored, this,
        [this](const MessageSummary &summary) {
            ++m_stats.accepted;
            m_stats.acceptedBytes += summary.size;
            if (m_webhook)
                QMetaObject::invokeMethod(this, [this, summary] {
                    m_webhook->enqueue(summaryJson(summary, m_fields.fields(summary)));
                });
            if (m_routes.waits()->isListening())
                QMetaObject::invokeMethod(
                    this, [this, summary] { m_routes.waits()->messageStored(summary); });
            // Decoding for the event costs; nobody listening, nobody pays.
            if (m_events.hasClients())
                QMetaObject::invokeMethod(this, [this, summary] {
                    m_events.broadcast(QStringLiteral("new"),
                                       summaryJson(summary, m_fields.fields(summary)));
                    broadcastStatsSoon();
                });
        },
        Qt::DirectConnection);
    connect(m_store, &MessageStore::messagesRemoved, this, [this](const QList<qint64> &ids) {
        m_stats.deleted += ids.size();
        for (qint64 id : ids) {
            m_fields.remove(id);
            m_events.broadcast(QStringLiteral("delete"),
                               QJsonObject{{QStringLiteral("ID"), apiId(id)}});
        }
        broadcastStatsSoon();
    });
    connect(m_store, &MessageStore::readChanged, this, [this](const QList<qint64> &ids, bool read) {
        for (qint64 id : ids) {
            m_events.broadcast(
                QStringLiteral("update"),
                QJsonObject{{QStringLiteral("ID"), apiId(id)}, {QStringLiteral("Read"), read}});
        }
        broadcastStatsSoon();
    });
    // smtpeek's own event: each attempt upstream as it is recorded (with its transcript).
    connect(m_store, &MessageStore::deliverySaved, this, [this](const DeliveryRecord &delivery) {
        m_events.broadcast(QStringLiteral("delivery"), deliveryJson(delivery));
    });
    connect(m_store, &MessageStore::cleared, this, [this] {
        m_fields.clear();
        m_events.broadcast(QStringLiteral("truncate"), QJsonValue());
        broadcastStatsSoon();
    });
}

void ApiServer::broadcastStatsSoon()
{
    if (m_events.hasClients() && !m_statsTimer.isActive())
        m_statsTimer.start();
}

bool ApiServer::isAuthorized(const ApiRequest &request) const
{
    return m_expectedAuthorization.isEmpty() ||
           equalBytes(request.header("Authorization").trimmed(), m_expectedAuthorization);
}

// WebSockets ignore the same-origin policy: without this, any web page open in the user's
// browser could follow the captured mail. Clients outside a browser send no Origin.
bool ApiServer::isSameOrigin(const ApiRequest &request) const
{
    const QByteArray origin = request.header("Origin");
    if (origin.isEmpty())
        return true;
    const QUrl url(QString::fromUtf8(origin));
    return url.authority().compare(QString::fromUtf8(request.header("Host")),
                                   Qt::CaseInsensitive) == 0;
}

bool ApiServer::acceptsEventsUpgrade(const ApiRequest &request) const
{
    return request.method == "GET" && request.path == kEventsPath && isAuthorized(request) &&
           isSameOrigin(request);
}

ApiResponse ApiServer::respond(const ApiRequest &request) const
{
    if (!isProbe(request) && !isAuthorized(request))
        return unauthorized();
    if (request.path == kEventsPath && !isSameOrigin(request))
        return ApiResponse::error(403,
                                  QStringLiteral("cross-origin event subscriptions are refused"));
    return m_routes.dispatch(request);
}

std::unique_ptr<ApiServer> startApiServer(const ApiSettings &settings, const ApiSources &sources,
                                          QString *error)
{
    if (!settings.enabled)
        return nullptr;
    auto api = std::make_unique<ApiServer>(sources.store);
    api->setBasicAuth(settings.user, settings.password);
    api->setDkimKeysFile(settings.dkimKeysFile);
    api->setSpamAssassin(settings.spamAssassin);
    api->setWebhook(settings.webhookUrl, settings.webhookLimit);
    api->setDatabaseFile(sources.databaseFile);
    api->setRuleEngine(sources.rules);
    if (sources.service)
        api->attachSessions(sources.service);
    api->attachRelay(sources.relay);
    if (!api->listen(settings.address, settings.port, error))
        return nullptr;
    return api;
}
