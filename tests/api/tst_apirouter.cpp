#include "ApiRouter.h"
#include "ApiTestRequest.h"

#include <QTest>

namespace {

ApiRouter router()
{
    ApiRouter router;
    const auto echo = [](const QByteArray &name) {
        return [name](const ApiRequest &, const QStringList &args) {
            return ApiResponse::text(name + ':' + args.join(u',').toUtf8());
        };
    };
    router.add("GET", QStringLiteral("/api/v1/messages"), echo("list"));
    router.add("DELETE", QStringLiteral("/api/v1/messages"), echo("delete"));
    router.add("GET", QStringLiteral("/api/v1/message/{}"), echo("message"));
    router.add("GET", QStringLiteral("/api/v1/message/{}/part/{}"), echo("part"));
    return router;
}
} // namespace

class tst_ApiRouter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dispatch_data();
    void dispatch();
    void methodNotAllowedListsAllowed();
    void queryValueDecodesPlus();
};

void tst_ApiRouter::dispatch_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<int>("status");
    QTest::addColumn<QByteArray>("body");

    QTest::newRow("list") << QByteArray("GET") << QByteArray("/api/v1/messages") << 200
                          << QByteArray("list:");
    QTest::newRow("same path, other method")
        << QByteArray("DELETE") << QByteArray("/api/v1/messages") << 200 << QByteArray("delete:");
    QTest::newRow("argument") << QByteArray("GET") << QByteArray("/api/v1/message/42") << 200
                              << QByteArray("message:42");
    QTest::newRow("two arguments") << QByteArray("GET") << QByteArray("/api/v1/message/7/part/1.2")
                                   << 200 << QByteArray("part:7,1.2");
    QTest::newRow("encoded slash stays in its segment")
        << QByteArray("GET") << QByteArray("/api/v1/message/..%2F..%2Fetc") << 200
        << QByteArray("message:../../etc");
    QTest::newRow("trailing slash") << QByteArray("GET") << QByteArray("/api/v1/messages/") << 404
                                    << QByteArray("404 page not found");
    QTest::newRow("empty argument") << QByteArray("GET") << QByteArray("/api/v1/message/") << 404
                                    << QByteArray("404 page not found");
    QTest::newRow("unknown") << QByteArray("GET") << QByteArray("/nothing") << 404
                             << QByteArray("404 page not found");
    QTest::newRow("root") << QByteArray("GET") << QByteArray("/") << 404
                          << QByteArray("404 page not found");
    QTest::newRow("extra segment") << QByteArray("GET") << QByteArray("/api/v1/message/1/x") << 404
                                   << QByteArray("404 page not found");
    QTest::newRow("wrong method") << QByteArray("PUT") << QByteArray("/api/v1/message/1") << 405
                                  << QByteArray("Method Not Allowed");
}

void tst_ApiRouter::dispatch()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(int, status);
    QFETCH(QByteArray, body);
    const ApiResponse response = router().dispatch(apiRequest(method, target));
    QCOMPARE(response.status, status);
    QCOMPARE(response.body, body);
}

void tst_ApiRouter::methodNotAllowedListsAllowed()
{
    const ApiResponse response = router().dispatch(apiRequest("POST", "/api/v1/messages"));
    QCOMPARE(response.status, 405);
    QCOMPARE(response.headers.size(), 1);
    QCOMPARE(response.headers.first().first, QByteArray("Allow"));
    QCOMPARE(response.headers.first().second, QByteArray("GET, DELETE"));
}

void tst_ApiRouter::queryValueDecodesPlus()
{
    const ApiRequest r =
        apiRequest("GET", "/api/v1/search?query=from:a+subject:%22x%2By%22&start=2");
    QCOMPARE(r.queryValue(QStringLiteral("query")), QStringLiteral("from:a subject:\"x+y\""));
    QCOMPARE(r.queryValue(QStringLiteral("start")), QStringLiteral("2"));
    QCOMPARE(r.queryValue(QStringLiteral("missing")), QString());
}

QTEST_GUILESS_MAIN(tst_ApiRouter)
#include "tst_apirouter.moc"
