#include "ApiRoutes.h"
#include "ApiTestRequest.h"

#include "mime/MimeRuntime.h"
#include "store/MemoryStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {
const MimeRuntime mimeRuntime;

// "/api/v1/message/{ID}/part/{PartID}" and the router's "/api/v1/message/{}/part/{}" alike.
QString normalized(QString path)
{
    static const QRegularExpression parameter(QStringLiteral("\\{[^}/]*\\}"));
    return path.replace(parameter, QStringLiteral("{}"));
}
} // namespace

// /api/v1/openapi.json against the routes ApiRoutes really registers, so neither can change
// without the other.
class tst_OpenApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init()
    {
        m_store = std::make_unique<MemoryStore>();
        m_fields = std::make_unique<SummaryFieldsCache>(m_store.get());
        m_routes = std::make_unique<ApiRoutes>(m_store.get(), m_fields.get(), &m_stats);
    }
    void cleanup()
    {
        m_routes.reset();
        m_fields.reset();
        m_store.reset();
    }
    void documentParses();
    void listsExactlyTheRegisteredRoutes();
    void everyOperationIsDescribed();

private:
    QJsonObject document()
    {
        const ApiResponse response = m_routes->dispatch(apiRequest("GET", "/api/v1/openapi.json"));
        if (response.status != 200 || response.contentType != "application/json")
            return {};
        return QJsonDocument::fromJson(response.body).object();
    }

    std::unique_ptr<MemoryStore> m_store;
    std::unique_ptr<SummaryFieldsCache> m_fields;
    ApiRuntimeStats m_stats;
    std::unique_ptr<ApiRoutes> m_routes;
};

void tst_OpenApi::documentParses()
{
    const QJsonObject doc = document();
    QCOMPARE(doc.value(QStringLiteral("openapi")).toString(), QStringLiteral("3.1.0"));
    QVERIFY(!doc.value(QStringLiteral("info"))
                 .toObject()
                 .value(QStringLiteral("title"))
                 .toString()
                 .isEmpty());
    QVERIFY(doc.value(QStringLiteral("paths")).isObject());
}

void tst_OpenApi::listsExactlyTheRegisteredRoutes()
{
    QSet<QString> registered;
    for (const auto &[method, pattern] : m_routes->routes())
        registered.insert(QString::fromLatin1(method) + u' ' + normalized(pattern));
    QSet<QString> documented;
    const QJsonObject paths = document().value(QStringLiteral("paths")).toObject();
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        const QJsonObject operations = path.value().toObject();
        for (auto op = operations.begin(); op != operations.end(); ++op)
            documented.insert(op.key().toUpper() + u' ' + normalized(path.key()));
    }
    const QStringList undocumented = QStringList(QSet(registered).subtract(documented).values());
    const QStringList unrouted = QStringList(QSet(documented).subtract(registered).values());
    if (!undocumented.isEmpty() || !unrouted.isEmpty()) {
        QFAIL(qPrintable(QStringLiteral("not in openapi.json: %1; documented but not routed: %2")
                             .arg(undocumented.join(u", "), unrouted.join(u", "))));
    }
    QVERIFY(registered.size() > 30);
}

void tst_OpenApi::everyOperationIsDescribed()
{
    const QJsonObject paths = document().value(QStringLiteral("paths")).toObject();
    static const QRegularExpression parameter(QStringLiteral("\\{([^}/]*)\\}"));
    for (auto path = paths.begin(); path != paths.end(); ++path) {
        QStringList inPath;
        for (const auto &match : parameter.globalMatch(path.key()))
            inPath.append(match.captured(1));
        const QJsonObject operations = path.value().toObject();
        for (auto op = operations.begin(); op != operations.end(); ++op) {
            const QJsonObject operation = op.value().toObject();
            const QString where = op.key() + u' ' + path.key();
            QVERIFY2(!operation.value(QStringLiteral("summary")).toString().isEmpty(),
                     qPrintable(where));
            QVERIFY2(!operation.value(QStringLiteral("responses")).toObject().isEmpty(),
                     qPrintable(where));
            QStringList declared;
            for (const QJsonValue &p : operation.value(QStringLiteral("parameters")).toArray()) {
                const QJsonObject object = p.toObject();
                QVERIFY2(object.value(QStringLiteral("schema")).isObject(), qPrintable(where));
                if (object.value(QStringLiteral("in")).toString() == u"path")
                    declared.append(object.value(QStringLiteral("name")).toString());
            }
            QCOMPARE(declared, inPath);
        }
    }
}

QTEST_GUILESS_MAIN(tst_OpenApi)
#include "tst_openapi.moc"
