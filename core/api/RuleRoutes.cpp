// Failure injection over the API: Mailpit's /api/v1/chaos, exactly, and smtpeek's /api/v1/rules.
#include "ApiRoutes.h"

#include "rules/RuleEngine.h"
#include "rules/RuleParser.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {
ApiResponse rulesUnavailable()
{
    return ApiResponse::error(400, QStringLiteral("rules are not available in this server"));
}
} // namespace

void ApiRoutes::addRuleRoutes()
{
    using Args = const QStringList &;
    m_router.add("GET", QStringLiteral("/api/v1/chaos"),
                 [this](const ApiRequest &, Args) { return chaos(); });
    m_router.add("PUT", QStringLiteral("/api/v1/chaos"),
                 [this](const ApiRequest &r, Args) { return setChaos(r); });
    m_router.add("GET", QStringLiteral("/api/v1/rules"),
                 [this](const ApiRequest &, Args) { return rules(); });
    m_router.add("PUT", QStringLiteral("/api/v1/rules"),
                 [this](const ApiRequest &r, Args) { return setRules(r); });
    m_router.add("DELETE", QStringLiteral("/api/v1/rules/hits"),
                 [this](const ApiRequest &, Args) { return resetRuleHits(); });
}

ApiResponse ApiRoutes::chaos() const
{
    if (!m_rules || !m_rules->chaosEnabled())
        return ApiResponse::error(400, QStringLiteral("Chaos is not enabled"));
    return ApiResponse::json(QJsonDocument(chaosJson(m_rules->chaos())));
}

ApiResponse ApiRoutes::setChaos(const ApiRequest &request) const
{
    if (!m_rules || !m_rules->chaosEnabled())
        return ApiResponse::error(400, QStringLiteral("Chaos is not enabled"));
    QString error;
    const std::optional<ChaosTriggers> triggers = chaosFromJson(request.body, &error);
    if (!triggers)
        return ApiResponse::error(400, error);
    m_rules->setChaos(*triggers);
    return chaos();
}

// The rules document as PUT takes it, each rule with its hit count since the last reset.
ApiResponse ApiRoutes::rules() const
{
    if (!m_rules)
        return rulesUnavailable();
    const QHash<QString, qint64> hits = m_rules->hits();
    QJsonObject document =
        QJsonDocument::fromJson(rulesDocument(m_rules->rules(), m_rules->seed())).object();
    QJsonArray list = document.value(QLatin1String("Rules")).toArray();
    for (qsizetype i = 0; i < list.size(); ++i) {
        QJsonObject rule = list.at(i).toObject();
        rule.insert(QStringLiteral("Hits"),
                    hits.value(rule.value(QLatin1String("Name")).toString()));
        list.replace(i, rule);
    }
    document.insert(QStringLiteral("Rules"), list);
    document.insert(QStringLiteral("ChaosHits"), hits.value(QStringLiteral("chaos")));
    return ApiResponse::json(QJsonDocument(document));
}

ApiResponse ApiRoutes::setRules(const ApiRequest &request) const
{
    if (!m_rules)
        return rulesUnavailable();
    const ParsedRules parsed = parseRules(request.body);
    if (!parsed.errors.isEmpty())
        return ApiResponse::error(400, parsed.errors.join(QStringLiteral("; ")));
    if (parsed.seed)
        m_rules->setSeed(parsed.seed);
    m_rules->setRules(parsed.rules);
    return rules();
}

ApiResponse ApiRoutes::resetRuleHits() const
{
    if (!m_rules)
        return rulesUnavailable();
    m_rules->resetHits();
    return ApiResponse::ok();
}
