#pragma once

#include "ApiRoutes.h"
#include "ApiSettings.h"
#include "ConnectionGuard.h"
#include "EventHub.h"
#include "SummaryFields.h"

#include <QHostAddress>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>

class DeliveryQueue;
class GuardedHttpServer;
class WebhookSender;
class MessageStore;
class RuleEngine;
class SmtpService;

// The Mailpit-compatible HTTP API and the /api/events WebSocket on one port. It lives in the
// thread that creates it (an ApiThread in the desktop app, the main thread headless). It takes
// the store's and the sessions' signals in the threads that emit them (counting, and handing an
// event over only while a client listens), so the SMTP service must be stopped and the store
// flushed before an ApiServer is destroyed.
class ApiServer : public QObject
{
    Q_OBJECT
public:
    explicit ApiServer(MessageStore *store, QObject *parent = nullptr,
                       const HttpLimits &limits = {});
    ~ApiServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const { return m_port; }
    QHostAddress address() const { return m_address; }
    // "http://127.0.0.1:8025"
    QString url() const;

    // Requests without these credentials get 401 (except /readyz and /livez).
    void setBasicAuth(const QString &user, const QString &password);
    // Session events on /api/events, readiness and the SMTP address in /api/v1/info.
    void attachSessions(SmtpService *service);
    // Releases upstream, and the settings /api/v1/webui reports.
    void attachRelay(DeliveryQueue *relay);
    // Reported by /api/v1/info; empty for the in-memory store.
    void setDatabaseFile(const QString &path);
    // Where POP3 listens, for /api/v1/info's POP3Listen ("" when off); called in the API's thread.
    void setPop3Address(std::function<QString()> address);
    // Rules and chaos for /api/v1/rules and /api/v1/chaos.
    void setRuleEngine(RuleEngine *rules) { m_routes.setRuleEngine(rules); }
    // Key records for /auth from this file; empty: from DNS.
    void setDkimKeysFile(const QString &path) { m_routes.setDkimKeysFile(path); }
    // spamd for /sa-check: HOST:PORT or "auto"; empty: none.
    void setSpamAssassin(const QString &address) { m_routes.setSpamAssassin(address); }

    // POSTs each stored message's summary to `url`; limit: per second, 0 for none.
    void setWebhook(const QString &url, int limit);

    int eventClientCount() const { return m_events.clientCount(); }

Q_SIGNALS:
    // A webhook request failed (it may be retried): for the log and the desktop's status bar.
    void webhookFailed(const QString &message);

private:
    ApiResponse respond(const ApiRequest &request) const;
    bool acceptsEventsUpgrade(const ApiRequest &request) const;
    bool isAuthorized(const ApiRequest &request) const;
    bool isSameOrigin(const ApiRequest &request) const;
    void connectStore();
    void broadcastStatsSoon();

    MessageStore *m_store;
    SummaryFieldsCache m_fields;
    ApiRuntimeStats m_stats;
    ApiRoutes m_routes;
    EventHub m_events;
    GuardedHttpServer *m_http;
    QByteArray m_expectedAuthorization; // "Basic base64(user:password)"; empty: no auth
    QTimer m_statsTimer;
    WebhookSender *m_webhook = nullptr;
    QHostAddress m_address;
    quint16 m_port = 0;
};

// What an API serves besides its settings; service, rules and relay may be null.
struct ApiSources
{
    MessageStore *store = nullptr;
    SmtpService *service = nullptr; // session events, readiness, the SMTP address
    RuleEngine *rules = nullptr;
    QString databaseFile; // reported by /api/v1/info; empty for the in-memory store
    DeliveryQueue *relay = nullptr; // release, deliveries and /api/v1/webui's MessageRelay
};

// Starts the API as `settings` say. Returns null when the API is disabled, or when it cannot
// listen (then *error says why).
std::unique_ptr<ApiServer> startApiServer(const ApiSettings &settings, const ApiSources &sources,
                                          QString *error);
