// Times the API the way its users meet it: over HTTP on loopback, against a SQLite store.
//   1. fills a store with --messages generated 2 KB messages (default 100,000);
//   2. lists 50 summaries (newest page and a deep page, the first request with cold caches),
//      opens the latest message, runs a search;
//   3. sends --rate messages per second over SMTP (default 2,000) for --seconds while a client
//      lists 50 summaries every 20 ms, and reports the achieved rate and the list latency.
// Not a test: it prints numbers for bench/README-api.md.

#include "ApiRoutes.h"
#include "ApiServer.h"

#include "mime/MimeRuntime.h"
#include "server/SmtpService.h"
#include "store/StoreOpener.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

QByteArray generatedMessage(qint64 n)
{
    QByteArray raw = "From: Sender " + QByteArray::number(n % 97) + " <sender" +
                     QByteArray::number(n % 97) + "@example.org>\r\n" +
                     "To: Recipient <rcpt" + QByteArray::number(n % 13) + "@example.net>\r\n" +
                     "Subject: Order confirmation number " + QByteArray::number(n) + "\r\n" +
                     "Message-ID: <" + QByteArray::number(n) + "@bench.example>\r\n" +
                     "Date: Sun, 29 Nov 2026 01:00:00 +0000\r\nMIME-Version: 1.0\r\n" +
                     "Content-Type: text/plain; charset=utf-8\r\n\r\n";
    while (raw.size() < 2000)
        raw += "Thank you for your order. This line makes the message about two kilobytes.\r\n";
    return raw;
}

// A blocking socket to 127.0.0.1:port, or -1.
int connectTo(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0) {
        ::close(fd);
        return -1;
    }
    const int one = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

bool sendAll(int fd, const std::string &data)
{
    size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += size_t(n);
    }
    return true;
}

// Reads into `buffer` until it holds `needle`; returns the index after it, or npos.
size_t readUntil(int fd, std::string &buffer, const std::string &needle)
{
    for (;;) {
        const size_t at = buffer.find(needle);
        if (at != std::string::npos)
            return at + needle.size();
        char chunk[65536];
        const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
        if (n <= 0)
            return std::string::npos;
        buffer.append(chunk, size_t(n));
    }
}

// One keep-alive HTTP/1.1 connection; get() returns the status and the milliseconds taken.
class HttpClient
{
public:
    explicit HttpClient(quint16 port) : m_fd(connectTo(port)) {}
    ~HttpClient() { ::close(m_fd); }

    int get(const std::string &target, double *ms)
    {
        const auto start = Clock::now();
        if (!sendAll(m_fd, "GET " + target + " HTTP/1.1\r\nHost: bench\r\n\r\n"))
            return -1;
        const size_t headerEnd = readUntil(m_fd, m_buffer, "\r\n\r\n");
        if (headerEnd == std::string::npos)
            return -1;
        const std::string head = m_buffer.substr(0, headerEnd);
        const size_t lengthAt = head.find("Content-Length: ");
        const size_t length =
            lengthAt == std::string::npos ? 0 : std::stoul(head.substr(lengthAt + 16));
        while (m_buffer.size() < headerEnd + length) {
            char chunk[65536];
            const ssize_t n = ::recv(m_fd, chunk, sizeof chunk, 0);
            if (n <= 0)
                return -1;
            m_buffer.append(chunk, size_t(n));
        }
        m_buffer.erase(0, headerEnd + length);
        *ms = msSince(start);
        return std::stoi(head.substr(9, 3));
    }

private:
    int m_fd;
    std::string m_buffer;
};

struct Timings
{
    std::vector<double> ms;
    void add(double value) { ms.push_back(value); }
    double percentile(double p)
    {
        std::sort(ms.begin(), ms.end());
        return ms.empty() ? 0 : ms[std::min(ms.size() - 1, size_t(p * double(ms.size())))];
    }
    void print(const char *what)
    {
        std::printf("  %-44s n=%-5zu median %7.2f ms  p95 %7.2f ms  max %7.2f ms\n", what,
                    ms.size(), percentile(0.5), percentile(0.95), percentile(1.0));
    }
};

void timeRequests(quint16 port, const char *what, const std::string &target, int runs)
{
    HttpClient client(port);
    double ms = 0;
    if (client.get(target, &ms) != 200) {
        std::printf("  %s: request failed\n", what);
        return;
    }
    std::printf("  %-44s first (cold) %7.2f ms\n", what, ms);
    Timings warm;
    for (int i = 0; i < runs; ++i) {
        client.get(target, &ms);
        warm.add(ms);
    }
    warm.print("  then");
}

// One SMTP connection sending `perSecond` messages a second with pipelined MAIL/RCPT/DATA.
void smtpLoad(quint16 port, double perSecond, Clock::time_point until, std::atomic<qint64> *sent)
{
    const int fd = connectTo(port);
    std::string buffer;
    const auto reply = [&] { // one whole reply, multi-line or not
        for (;;) {
            const size_t end = readUntil(fd, buffer, "\r\n");
            if (end == std::string::npos)
                return std::string();
            std::string line = buffer.substr(0, end);
            buffer.erase(0, end);
            if (line.size() < 4 || line[3] != '-')
                return line;
        }
    };
    reply();
    sendAll(fd, "EHLO load.bench\r\n");
    reply();
    const auto interval = std::chrono::duration<double>(1.0 / perSecond);
    auto next = Clock::now();
    for (qint64 n = 0; Clock::now() < until; ++n) {
        std::this_thread::sleep_until(next);
        next += std::chrono::duration_cast<Clock::duration>(interval);
        sendAll(fd, "MAIL FROM:<load@bench.example>\r\nRCPT TO:<rcpt@bench.example>\r\nDATA\r\n");
        reply();
        reply();
        if (reply().compare(0, 3, "354") != 0)
            break;
        sendAll(fd, generatedMessage(n).toStdString() + ".\r\n");
        if (reply().compare(0, 3, "250") == 0)
            ++*sent;
    }
    sendAll(fd, "QUIT\r\n");
    reply();
    ::close(fd);
}

// Runs `work` on a thread while this thread serves the API, then returns.
template <typename Work> void whileServing(Work work)
{
    std::thread thread([&] {
        work();
        QMetaObject::invokeMethod(qApp, &QCoreApplication::quit, Qt::QueuedConnection);
    });
    QCoreApplication::exec();
    thread.join();
}
} // namespace

int main(int argc, char *argv[])
{
    MimeRuntime mime;
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{"messages", "Messages in the store.", "n", "100000"},
                       {"rate", "Messages per second during the load phase.", "n", "2000"},
                       {"seconds", "Length of the load phase.", "s", "10"},
                       {"connections", "SMTP connections in the load phase.", "n", "8"}});
    parser.process(app);
    const qint64 count = parser.value("messages").toLongLong();
    const double rate = parser.value("rate").toDouble();
    const int seconds = parser.value("seconds").toInt();
    const int connections = parser.value("connections").toInt();

    QTemporaryDir dir;
    StoreOptions options;
    options.path = dir.filePath(QStringLiteral("bench.sqlite"));
    QString error;
    std::unique_ptr<MessageStore> store = openStore(options, &error);
    if (!store) {
        std::fprintf(stderr, "store: %s\n", qPrintable(error));
        return 1;
    }

    std::printf("filling the store with %lld messages...\n", count);
    auto start = Clock::now();
    QObject context;
    qint64 acknowledged = 0;
    for (qint64 i = 0; i < count; ++i) {
        MessageRecord m;
        m.id = store->allocateMessageId();
        m.sessionId = 1;
        m.receivedMs = 1790000000000 + i;
        m.envelope.mailFrom = "sender@example.org";
        m.envelope.rcptTo = {"rcpt@example.net"};
        m.raw = generatedMessage(i);
        store->saveMessage(m, &context, [&](bool) { ++acknowledged; });
        if (i % 2000 == 1999)
            QCoreApplication::processEvents();
    }
    while (acknowledged < count)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    std::printf("  stored in %.1f s (%.0f messages/s)\n", msSince(start) / 1000,
                double(count) / (msSince(start) / 1000));

    std::printf("\nstore queries behind one list request (median of 20):\n");
    const auto timeQuery = [](const char *what, const auto &query) {
        Timings timings;
        for (int i = 0; i < 20; ++i) {
            const auto queryStart = Clock::now();
            query();
            timings.add(msSince(queryStart));
        }
        timings.print(what);
    };
    timeQuery("messageCount()", [&] { store->messageCount(); });
    timeQuery("unreadCount()", [&] { store->unreadCount(); });
    timeQuery("messages(0, 50, NewestFirst)",
              [&] { store->messages(0, 50, MessageStore::Order::NewestFirst); });

    {
        SummaryFieldsCache fields(store.get());
        ApiRuntimeStats stats;
        ApiRoutes routes(store.get(), &fields, &stats);
        ApiRequest list;
        list.method = "GET";
        list.path = ApiRequest::splitPath("/api/v1/messages");
        list.query = QUrlQuery(QStringLiteral("limit=50"));
        timeQuery("ApiRoutes: list 50, in process", [&] { routes.dispatch(list); });
    }

    ApiServer api(store.get());
    if (!api.listen(QHostAddress::LocalHost, 0, &error)) {
        std::fprintf(stderr, "api: %s\n", qPrintable(error));
        return 1;
    }
    const quint16 port = api.port();
    std::printf("\nAPI over HTTP, %lld messages in the store:\n", store->messageCount());
    whileServing([&] {
        timeRequests(port, "GET /api/v1/messages?limit=50", "/api/v1/messages?limit=50", 200);
        const std::string deep = "/api/v1/messages?start=" + std::to_string(count - 50) + "&limit=50";
        timeRequests(port, "GET /api/v1/messages?start=N-50&limit=50", deep, 50);
        timeRequests(port, "GET /api/v1/message/latest", "/api/v1/message/latest", 50);
        timeRequests(port, "GET /api/v1/search?query=subject:4242",
                     "/api/v1/search?query=subject:4242", 20);
        timeRequests(port, "GET /api/v1/search?query=4242 (any field)", "/api/v1/search?query=4242",
                     20);
        timeRequests(port, "GET /api/v1/search?query=order (most match)",
                     "/api/v1/search?query=order", 20);
    });

    SmtpService smtp(store.get());
    if (!smtp.start(QHostAddress::LocalHost, 0, SessionConfig{}, &error)) {
        std::fprintf(stderr, "smtp: %s\n", qPrintable(error));
        return 1;
    }
    api.attachSessions(&smtp);
    std::printf("\nwhile %d connections send %.0f messages/s for %d s:\n", connections, rate,
                seconds);
    std::atomic<qint64> sent{0};
    const qint64 before = store->messageCount();
    Timings listing;
    start = Clock::now();
    whileServing([&] {
        const auto until = Clock::now() + std::chrono::seconds(seconds);
        std::vector<std::thread> senders;
        for (int i = 0; i < connections; ++i)
            senders.emplace_back(smtpLoad, smtp.port(), rate / connections, until, &sent);
        HttpClient client(port);
        while (Clock::now() < until) {
            double ms = 0;
            if (client.get("/api/v1/messages?limit=50", &ms) == 200)
                listing.add(ms);
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        for (std::thread &sender : senders)
            sender.join();
    });
    const double elapsed = msSince(start) / 1000;
    std::printf("  accepted %lld messages in %.1f s: %.0f messages/s (store grew by %lld)\n",
                qint64(sent), elapsed, double(sent) / elapsed, store->messageCount() - before);
    listing.print("GET /api/v1/messages?limit=50 every 20 ms");
    smtp.stop();
    return 0;
}
