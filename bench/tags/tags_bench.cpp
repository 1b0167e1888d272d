// Tags and POP3 over a SQLite store of --messages generated 2 KB messages (default 100,000),
// each with one of 20 tags in X-Tags and every tenth with a second by plus-addressing:
//   the tag list with counts (GET /api/v1/tags, /api/v1/info, the sidebar), a tag: search and
//   its page, tagging 1,000 messages, opening a POP3 maildrop of a tag and of all mail, and
//   RETR's dot-stuffing rate. Medians of 20 runs (5 for the slow ones). Not a test.
#include "mime/MimeRuntime.h"
#include "pop3/Pop3Maildrop.h"
#include "store/StoreOpener.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace {
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

template <typename Work> void time(const char *what, int runs, const Work &work)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        const auto start = Clock::now();
        work();
        ms.push_back(msSince(start));
    }
    std::sort(ms.begin(), ms.end());
    std::printf("  %-52s median %8.2f ms  (min %.2f, max %.2f)\n", what, ms[ms.size() / 2],
                ms.front(), ms.back());
}

QByteArray generatedMessage(qint64 i)
{
    QByteArray body;
    while (body.size() < 1900)
        body += "Line of the body of message " + QByteArray::number(i) + ", padded.\r\n";
    return "From: app@example.org\r\nTo: user@example.net\r\nSubject: Message " +
           QByteArray::number(i) + "\r\nX-Tags: tag" + QByteArray::number(i % 20) + "\r\n\r\n" +
           body;
}
} // namespace

int main(int argc, char *argv[])
{
    MimeRuntime mime;
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{"messages", "Messages in the store.", "n", "100000"}});
    parser.process(app);
    const qint64 count = parser.value("messages").toLongLong();

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
    const auto fillStart = Clock::now();
    QObject context;
    qint64 acknowledged = 0;
    for (qint64 i = 0; i < count; ++i) {
        MessageRecord m;
        m.id = store->allocateMessageId();
        m.sessionId = 1;
        m.envelope.rcptTo = {i % 10 == 0 ? QByteArray("user+plus@example.net")
                                         : QByteArray("user@example.net")};
        m.raw = generatedMessage(i);
        m.read = i % 2 == 0;
        store->saveMessage(m, &context, [&](bool) { ++acknowledged; });
        if (i % 2000 == 1999)
            QCoreApplication::processEvents();
    }
    while (acknowledged < count)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 100);
    std::printf("  stored in %.1f s (%.0f messages/s, tags on arrival included)\n\n",
                msSince(fillStart) / 1000, double(count) / (msSince(fillStart) / 1000));

    qint64 tags = 0;
    time("tagCounts() (21 tags with total and unread)", 20,
         [&] { tags = store->tagCounts().size(); });
    time("tagNames() (the lists' \"tags\")", 20, [&] { tags = store->tagNames().size(); });
    qint64 found = 0;
    time("matchingIds(tag:tag7) (every match)", 20, [&] {
        found = store->matchingIds(MessageQuery::parse(QStringLiteral("tag:tag7")), -1).size();
    });
    time("search(tag:tag7 is:unread), page of 50 and counts", 20,
         [&] { store->search(MessageQuery::parse(QStringLiteral("tag:tag7 is:unread")), 0, 50); });
    time("search(-is:tagged), page of 50 and counts", 20,
         [&] { store->search(MessageQuery::parse(QStringLiteral("-is:tagged")), 0, 50); });
    QList<qint64> thousand;
    for (qint64 id = 1; id <= std::min<qint64>(count, 1000); ++id)
        thousand.append(id);
    time("addTags(1,000 messages, 1 tag), durable", 5,
         [&] { store->addTags(thousand, {QStringLiteral("bulk")}); });
    qint64 maildrop = 0;
    time("Pop3Maildrop::open(\"tag7\")", 5,
         [&] { maildrop = Pop3Maildrop::open(*store, QStringLiteral("tag7")).count(); });
    time("Pop3Maildrop::open(all mail)", 5,
         [&] { maildrop = Pop3Maildrop::open(*store, QStringLiteral("anyone")).count(); });
    const QByteArray raw = *store->raw(1);
    const auto stuffStart = Clock::now();
    qint64 bytes = 0;
    for (int i = 0; i < 20000; ++i)
        bytes += Pop3Maildrop::multiline(raw).size();
    const double stuffMs = msSince(stuffStart);
    std::printf("  RETR framing (raw() excluded): %.0f messages/s, %.0f MB/s\n",
                20000 / (stuffMs / 1000), bytes / (stuffMs / 1000) / 1e6);
    const auto retrStart = Clock::now();
    for (qint64 id = 1; id <= std::min<qint64>(count, 5000); ++id)
        bytes += Pop3Maildrop::multiline(*store->raw(id)).size();
    std::printf("  RETR of 5,000 messages, raw() and framing: %.0f messages/s\n",
                std::min<qint64>(count, 5000) / (msSince(retrStart) / 1000));
    std::printf("\n(%lld tags, %lld found, %lld in the last maildrop)\n", tags, found, maildrop);
    return 0;
}
