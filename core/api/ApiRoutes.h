#pragma once

#include "ApiRouter.h"
#include "SummaryFields.h"

#include "SpamCheck.h"
#include "checks/KeyRecordSource.h"

#include <QHostAddress>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class DeliveryQueue;
class MessageStore;
class MessageWaits;
struct WaitRequest;
class RuleEngine;
class SmtpService;

// Counters that /api/v1/info reports and only the running API can know.
struct ApiRuntimeStats
{
    qint64 startedMs = 0;
    std::atomic<qint64> accepted{0}; // messages stored since start (counted in the store's thread)
    std::atomic<qint64> acceptedBytes{0};
    qint64 deleted = 0; // messages removed since start
};

// Every endpoint: Mailpit's API v1 paths plus smtpeek's sessions, /readyz and /livez.
// Handlers run in the API's thread; store queries are synchronous, and only the endpoints for
// one message decode it. The link and spam checks answer later (ApiPendingResponse.h).
class ApiRoutes
{
public:
    static constexpr qint64 kDefaultPageSize = 50;
    static constexpr qint64 kMaxPageSize = 1000; // a bigger page would stall the thread

    ApiRoutes(MessageStore *store, SummaryFieldsCache *fields, const ApiRuntimeStats *stats);
    ~ApiRoutes();

    void setSmtpService(const SmtpService *service) { m_smtp = service; }
    void setDatabaseFile(const QString &path) { m_databaseFile = path; }
    // Where POP3 listens, for /api/v1/info (safe to call from the API's thread); null: off.
    void setPop3Address(std::function<QString()> address) { m_pop3Address = std::move(address); }
    // Release and /api/v1/webui's MessageRelay; without it releases answer 400.
    void setRelay(DeliveryQueue *relay) { m_relay = relay; }
    // What /api/v1/chaos and /api/v1/rules read and change; null: they answer 400.
    void setRuleEngine(RuleEngine *rules) { m_rules = rules; }
    // Key records for /auth from this file (--dkim-keys); empty: from DNS.
    void setDkimKeysFile(const QString &path);
    // spamd for /sa-check: HOST:PORT or "auto" (ApiSettings.h); empty: none.
    void setSpamAssassin(const QString &address);

    ApiResponse dispatch(const ApiRequest &request) const { return m_router.dispatch(request); }
    QList<QPair<QByteArray, QString>> routes() const { return m_router.routes(); }
    // The open /api/v1/wait requests; the server hands them each stored message.
    MessageWaits *waits() const { return m_waits.get(); }

    // Message and session IDs are decimal integers; anything else ("../x", "1e3", "") is none.
    static std::optional<qint64> parseId(const QString &text);
    // A MIME part path such as "1.2.1".
    static bool isPartPath(const QString &text);
    // The "IDs" member of a request body (strings or numbers); none: an empty list.
    static std::optional<QList<qint64>> idsOf(const QJsonObject &body, ApiResponse *error);

private:
    void addMailpitRoutes();
    void addSessionRoutes();
    void addRelayRoutes(); // RelayRoutes.cpp
    void addCheckRoutes();
    void addRuleRoutes(); // RuleRoutes.cpp
    void addTagRoutes();  // TagRoutes.cpp
    void addAutomationRoutes(); // AutomationRoutes.cpp

    ApiResponse info() const;
    ApiResponse listMessages(const ApiRequest &request) const;
    ApiResponse search(const ApiRequest &request) const;
    ApiResponse setRead(const ApiRequest &request) const;
    ApiResponse deleteMessages(const ApiRequest &request) const;
    ApiResponse deleteSearch(const ApiRequest &request) const;
    ApiResponse message(const ApiRequest &request, const QString &id) const;
    ApiResponse raw(const ApiRequest &request, const QString &id) const;
    ApiResponse headers(const ApiRequest &request, const QString &id) const;
    ApiResponse part(const ApiRequest &request, const QString &id, const QString &path) const;
    ApiResponse lint(const ApiRequest &request, const QString &id) const;
    ApiResponse auth(const ApiRequest &request, const QString &id) const;
    ApiResponse htmlCheck(const ApiRequest &request, const QString &id) const;
    ApiResponse linkCheck(const ApiRequest &request, const QString &id) const;
    ApiResponse spamCheck(const ApiRequest &request, const QString &id) const;
    ApiResponse listSessions(const ApiRequest &request) const;
    ApiResponse session(const QString &id) const;
    ApiResponse transcript(const ApiRequest &request, const QString &id) const;
    ApiResponse ready() const;
    ApiResponse webui() const;
    ApiResponse release(const ApiRequest &request, const QString &id) const;
    ApiResponse deliveries(const ApiRequest &request, const QString &id) const;
    ApiResponse chaos() const;
    ApiResponse setChaos(const ApiRequest &request) const;
    ApiResponse rules() const;
    ApiResponse setRules(const ApiRequest &request) const;
    ApiResponse resetRuleHits() const;
    ApiResponse tags() const;
    ApiResponse setTags(const ApiRequest &request) const;
    ApiResponse renameTag(const ApiRequest &request, const QString &tag) const;
    ApiResponse deleteTag(const QString &tag) const;
    QJsonObject tagCountsJson() const; // /api/v1/info's Tags
    QStringList tagNames() const;      // the lists' "tags"
    ApiResponse wait(const ApiRequest &request) const;
    ApiResponse waitAnswer(const WaitRequest &wait, bool timedOut) const;
    ApiResponse send(const ApiRequest &request) const;

    // "latest" (the newest message, or the newest matching ?query=) or a numeric ID.
    std::optional<qint64> resolveMessageId(const ApiRequest &request, const QString &id) const;
    QJsonArray summariesJson(const QList<MessageSummary> &summaries) const;
    QList<qint64> matchingIds(const QString &query) const;

    MessageStore *m_store;
    SummaryFieldsCache *m_fields;
    const ApiRuntimeStats *m_stats;
    const SmtpService *m_smtp = nullptr;
    RuleEngine *m_rules = nullptr;
    QString m_databaseFile;
    std::function<QString()> m_pop3Address;
    DeliveryQueue *m_relay = nullptr;
    // Made on first use, so that an API that never verifies starts no DNS thread; handlers run
    // in the API's thread only.
    mutable std::unique_ptr<KeyRecordSource> m_dkimKeys;
    QString m_dkimKeysFile;
    // Made on first use in the API's thread, like m_dkimKeys; with "auto" it owns the spamd.
    mutable std::unique_ptr<SpamCheck> m_spamCheck;
    QString m_spamAssassinAddress;
    std::unique_ptr<MessageWaits> m_waits;
    ApiRouter m_router;
};
