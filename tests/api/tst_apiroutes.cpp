#include "ApiRoutes.h"
#include "ApiTestRequest.h"

#include "mime/MimeRuntime.h"
#include "store/MemoryStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {
const MimeRuntime mimeRuntime;

QJsonObject object(const ApiResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}
} // namespace

// The routes over a real in-memory store: status codes and semantics, without a socket.
class tst_ApiRoutes : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void listPages();
    void messageMarksRead();
    void badRequests_data();
    void badRequests();
    void deleteAndRead();
    void parseId_data();
    void parseId();

private:
    void store(const QByteArray &subject);

    std::unique_ptr<MemoryStore> m_store;
    std::unique_ptr<SummaryFieldsCache> m_fields;
    ApiRuntimeStats m_stats;
    std::unique_ptr<ApiRoutes> m_routes;
};

void tst_ApiRoutes::init()
{
    m_store = std::make_unique<MemoryStore>();
    m_fields = std::make_unique<SummaryFieldsCache>(m_store.get());
    m_routes = std::make_unique<ApiRoutes>(m_store.get(), m_fields.get(), &m_stats);
    for (const char *subject : {"first", "second", "third"})
        store(subject);
}

void tst_ApiRoutes::cleanup()
{
    m_routes.reset();
    m_fields.reset();
    m_store.reset();
}

void tst_ApiRoutes::store(const QByteArray &subject)
{
    MessageRecord m;
    m.id = m_store->allocateMessageId();
    m.sessionId = 1;
    m.receivedMs = 1700000000000 + m.id;
    m.envelope.mailFrom = "s@example.org";
    m.envelope.rcptTo = {"r@example.net"};
    m.raw = "From: s@example.org\r\nTo: r@example.net\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
    QObject context;
    bool stored = false;
    m_store->saveMessage(m, &context, [&](bool ok) { stored = ok; });
    QVERIFY(QTest::qWaitFor([&] { return stored; }, 5000));
}

void tst_ApiRoutes::listPages()
{
    const QJsonObject page =
        object(m_routes->dispatch(apiRequest("GET", "/api/v1/messages?start=1&limit=1")));
    QCOMPARE(page.value("total").toInt(), 3);
    QCOMPARE(page.value("messages_count").toInt(), 3);
    QCOMPARE(page.value("count").toInt(), 1);
    QCOMPARE(page.value("start").toInt(), 1);
    const QJsonArray messages = page.value("messages").toArray();
    QCOMPARE(messages.size(), 1);
    QCOMPARE(messages[0].toObject().value("Subject").toString(), QStringLiteral("second"));
    const QJsonObject search =
        object(m_routes->dispatch(apiRequest("GET", "/api/v1/search?query=subject:third")));
    QCOMPARE(search.value("messages_count").toInt(), 1);
    QCOMPARE(search.value("messages_unread").toInt(), 1);
    QCOMPARE(search.value("total").toInt(), 3);
    QCOMPARE(search.value("unread").toInt(), 3);
    const QJsonObject second = object(
        m_routes->dispatch(apiRequest("GET", "/api/v1/search?query=s%40example&start=1&limit=1")));
    QCOMPARE(second.value("messages_count").toInt(), 3);
    QCOMPARE(second.value("messages").toArray()[0].toObject().value("Subject").toString(),
             QStringLiteral("second"));
    const QJsonObject beyond =
        object(m_routes->dispatch(apiRequest("GET", "/api/v1/search?query=subject:third&start=5")));
    QCOMPARE(beyond.value("messages").toArray().size(), 0);
    QCOMPARE(beyond.value("messages_count").toInt(), 1);
}

void tst_ApiRoutes::messageMarksRead()
{
    const ApiResponse latest = m_routes->dispatch(apiRequest("GET", "/api/v1/message/latest"));
    QCOMPARE(latest.status, 200);
    QCOMPARE(object(latest).value("Subject").toString(), QStringLiteral("third"));
    QCOMPARE(m_store->unreadCount(), 2);
    // The newest of a search's matches.
    const ApiResponse matching =
        m_routes->dispatch(apiRequest("GET", "/api/v1/message/latest?query=subject:first"));
    QCOMPARE(matching.status, 200);
    QCOMPARE(object(matching).value("Subject").toString(), QStringLiteral("first"));
    QCOMPARE(m_routes->dispatch(apiRequest("GET", "/api/v1/message/latest?query=zzz")).status, 404);
}

void tst_ApiRoutes::badRequests_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::newRow("unknown id") << QByteArray("GET") << QByteArray("/api/v1/message/99")
                                << QByteArray() << 404;
    QTest::newRow("traversal id") << QByteArray("GET") << QByteArray("/api/v1/message/..%2F1/raw")
                                  << QByteArray() << 404;
    QTest::newRow("negative id") << QByteArray("GET") << QByteArray("/api/v1/message/-1/headers")
                                 << QByteArray() << 404;
    QTest::newRow("traversal part")
        << QByteArray("GET") << QByteArray("/api/v1/message/1/part/..%2F..") << QByteArray() << 404;
    QTest::newRow("missing part") << QByteArray("GET") << QByteArray("/api/v1/message/1/part/1.9")
                                  << QByteArray() << 404;
    QTest::newRow("no query") << QByteArray("GET") << QByteArray("/api/v1/search") << QByteArray()
                              << 400;
    QTest::newRow("bad json") << QByteArray("PUT") << QByteArray("/api/v1/messages")
                              << QByteArray("{\"Read\":") << 400;
    QTest::newRow("not an object")
        << QByteArray("PUT") << QByteArray("/api/v1/messages") << QByteArray("[]") << 400;
    QTest::newRow("bad id in body") << QByteArray("DELETE") << QByteArray("/api/v1/messages")
                                    << QByteArray("{\"IDs\":[\"1/../2\"]}") << 400;
    QTest::newRow("ids not a list") << QByteArray("DELETE") << QByteArray("/api/v1/messages")
                                    << QByteArray("{\"IDs\":\"1\"}") << 400;
    QTest::newRow("ids and search") << QByteArray("PUT") << QByteArray("/api/v1/messages")
                                    << QByteArray("{\"IDs\":[\"1\"],\"Search\":\"x\"}") << 400;
    QTest::newRow("wrong method") << QByteArray("POST") << QByteArray("/api/v1/messages")
                                  << QByteArray("{}") << 405;
    QTest::newRow("unknown session")
        << QByteArray("GET") << QByteArray("/api/v1/session/5") << QByteArray() << 404;
}

void tst_ApiRoutes::badRequests()
{
    QFETCH(QByteArray, method);
    QFETCH(QByteArray, target);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QCOMPARE(m_routes->dispatch(apiRequest(method, target, body)).status, status);
    QCOMPARE(m_store->messageCount(), 3); // nothing was deleted on the way
}

void tst_ApiRoutes::deleteAndRead()
{
    QCOMPARE(
        m_routes
            ->dispatch(apiRequest("PUT", "/api/v1/messages", "{\"IDs\":[\"1\",2],\"Read\":true}"))
            .body,
        QByteArray("ok"));
    QCOMPARE(m_store->unreadCount(), 1);
    QCOMPARE(m_routes->dispatch(apiRequest("PUT", "/api/v1/messages", "{}")).status, 200);
    QCOMPARE(m_store->unreadCount(), 3); // no IDs, Read defaults to false: all unread
    QCOMPARE(
        m_routes->dispatch(apiRequest("DELETE", "/api/v1/messages", "{\"IDs\":[\"2\"]}")).status,
        200);
    QCOMPARE(m_store->messageCount(), 2);
    QCOMPARE(m_routes->dispatch(apiRequest("DELETE", "/api/v1/search?query=first")).status, 200);
    QCOMPARE(m_store->messageCount(), 1);
    QCOMPARE(m_routes->dispatch(apiRequest("DELETE", "/api/v1/messages")).status, 200);
    QCOMPARE(m_store->messageCount(), 0);
    QCOMPARE(m_routes->dispatch(apiRequest("GET", "/api/v1/message/latest")).status, 404);
}

void tst_ApiRoutes::parseId_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("id");
    QTest::newRow("plain") << "42" << qint64(42);
    QTest::newRow("leading zero") << "007" << qint64(7);
    for (const char *bad :
         {"", "-1", "+1", "1e3", "0x1", " 1", "1 ", "../1", "١", "1234567890123456789"})
        QTest::newRow(bad) << QString::fromUtf8(bad) << qint64(-1);
}

void tst_ApiRoutes::parseId()
{
    QFETCH(QString, text);
    QFETCH(qint64, id);
    QCOMPARE(ApiRoutes::parseId(text).value_or(-1), id);
}

QTEST_GUILESS_MAIN(tst_ApiRoutes)
#include "tst_apiroutes.moc"
