// Measures what issue 4 asks of the window, on a real store and a real SMTP listener:
//   launch: a store with N messages (default 100,000) until the list is filled and painted;
//   scroll, sort and filter latency (the call plus a synchronous repaint);
//   the longest gap of a 10 ms GUI-thread timer while 2,000 messages per second arrive over
//   SMTP (one session per 5 messages, four client threads), and how long the GUI thread ran
//   in it;
//   heap bytes per list row, and how many of them are beyond the text the row shows;
//   the same live load with two API clients reading the message list, the API in its own thread
//   as the desktop runs it (or, with --api-in-gui-thread, in the GUI thread as it used to):
//   the GUI thread's gaps and the API's latency.
// Prints a Markdown report on stdout.

#include "HtmlPreview.h"
#include "MainWindow.h"
#include "MessageFilterModel.h"
#include "MessageInspector.h"
#include "MessageListModel.h"
#include "MessageTableView.h"
#include "api/ApiServer.h"
#include "api/ApiThread.h"
#include "mime/MimeRuntime.h"
#include "server/SmtpService.h"
#include "store/StoreOpener.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QScrollBar>
#include <QStandardPaths>
#include <QSysInfo>
#include <QTcpSocket>
#include <QTextStream>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <malloc.h>
#include <thread>
#include <time.h>

namespace {
QTextStream out(stdout);

double ms(qint64 ns)
{
    return double(ns) / 1e6;
}

QByteArray messageBytes(int n)
{
    QByteArray body;
    for (int line = 0; line < 20; ++line)
        body += "Line " + QByteArray::number(line) + " of a typical notification e-mail body.\r\n";
    return "From: Shop " + QByteArray::number(n % 97) + " <orders" + QByteArray::number(n % 97) +
           "@shop.test>\r\nTo: customer" + QByteArray::number(n % 1000) +
           "@example.com\r\nSubject: Invoice " + QByteArray::number(n) +
           " for your order\r\nMessage-ID: <" + QByteArray::number(n) +
           "@shop.test>\r\nContent-Type: text/plain\r\n\r\n" + body;
}

// Fills a store with `count` messages in sessions of 10, unless the file already has them.
void fillStore(const QString &path, int count)
{
    StoreOptions options;
    options.path = path;
    QString error;
    std::unique_ptr<MessageStore> store = openStore(options, &error);
    if (!store)
        qFatal("cannot open %s: %s", qPrintable(path), qPrintable(error));
    if (store->messageCount() >= count)
        return;
    const qint64 start = 1700000000000;
    QObject context;
    for (int n = int(store->messageCount()); n < count; ++n) {
        SessionRecord session;
        if (n % 10 == 0) {
            session.id = store->allocateSessionId();
            session.peerAddress = QStringLiteral("127.0.0.1");
            session.peerPort = quint16(30000 + n % 30000);
            session.helo = "bench.example";
            session.startedMs = start + n;
            session.endedMs = start + n + 9;
            session.end = SessionEnd::Quit;
            session.messageCount = 10;
            store->saveSession(session);
        }
        MessageRecord m;
        m.id = store->allocateMessageId();
        m.sessionId = store->sessionCount();
        m.receivedMs = start + n;
        m.envelope.mailFrom = "orders@shop.test";
        m.envelope.rcptTo = {"customer@example.com"};
        m.raw = messageBytes(n);
        m.headline.from = QStringLiteral("Shop %1 <orders%1@shop.test>").arg(n % 97);
        m.headline.to = QStringLiteral("customer%1@example.com").arg(n % 1000);
        m.headline.subject = QStringLiteral("Invoice %1 for your order").arg(n);
        store->saveMessage(m, &context, [](bool) {});
    }
    store->flush();
}

struct Latency
{
    QList<double> samples;
    void add(double v) { samples.append(v); }
    double max() const { return *std::max_element(samples.begin(), samples.end()); }
    double median() const { return percentile(50); }
    double percentile(int p) const
    {
        QList<double> s = samples;
        std::sort(s.begin(), s.end());
        return s[std::min<qsizetype>(s.size() - 1, s.size() * p / 100)];
    }
};

qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// The GUI thread's stalls: a 10 ms timer that records the gaps between its ticks, and how
// much of each gap the GUI thread spent running. On a shared machine a long gap in which the
// thread hardly ran was spent waiting for a CPU, not doing our work.
struct GapProbe
{
    struct Gap
    {
        qint64 wallNs;
        qint64 cpuNs;
        qint64 endNs; // since start()
        bool operator<(const Gap &o) const { return wallNs < o.wallNs; }
    };
    QTimer timer;
    QElapsedTimer clock;
    qint64 last = 0;
    qint64 lastCpu = 0;
    QList<Gap> gaps;

    GapProbe()
    {
        timer.setTimerType(Qt::PreciseTimer);
        QObject::connect(&timer, &QTimer::timeout, [this] {
            const qint64 now = clock.nsecsElapsed();
            const qint64 cpu = threadCpuNs();
            if (last > 0)
                gaps.append({now - last, cpu - lastCpu, now});
            last = now;
            lastCpu = cpu;
        });
    }
    void start()
    {
        gaps.clear();
        last = 0;
        clock.start();
        timer.start(10);
    }
    void stop()
    {
        timer.stop();
        std::sort(gaps.begin(), gaps.end());
    }
    double longestMs() const { return gaps.isEmpty() ? 0 : ms(gaps.last().wallNs); }
    double longestRanMs() const { return gaps.isEmpty() ? 0 : ms(gaps.last().cpuNs); }
    double longestEndedS() const { return gaps.isEmpty() ? 0 : double(gaps.last().endNs) / 1e9; }
    double percentileMs(int p) const
    {
        return gaps.isEmpty() ? 0 : ms(gaps.value(int(gaps.size() * p / 100)).wallNs);
    }
    // The most the GUI thread ran between two ticks: the longest stall that is our own work.
    double mostRanMs() const
    {
        qint64 most = 0;
        for (const Gap &gap : gaps)
            most = std::max(most, gap.cpuNs);
        return ms(most);
    }
};

// Records the event whose handling ran longest on the GUI thread's CPU clock (wall time would
// count the waits for a CPU too), to name the work behind a stall: its type and receiver.
class TimedApplication : public QApplication
{
public:
    using QApplication::QApplication;

    bool notify(QObject *receiver, QEvent *event) override
    {
        if (m_depth > 0 || !m_watching)
            return QApplication::notify(receiver, event);
        ++m_depth;
        const qint64 start = threadCpuNs();
        const int type = int(event->type());
        QString receiverClass = QString::fromLatin1(receiver->metaObject()->className());
        if (const auto *timer = qobject_cast<QTimer *>(receiver))
            receiverClass += QStringLiteral(" of %1 ms").arg(timer->interval());
        const QString parentClass =
            receiver->parent() ? QString::fromLatin1(receiver->parent()->metaObject()->className())
                               : QStringLiteral("none");
        const bool handled = QApplication::notify(receiver, event);
        const qint64 took = threadCpuNs() - start;
        if (took > m_slowestNs) {
            m_slowestNs = took;
            m_slowest = QStringLiteral("event %1 to a %2 (parent: %3)")
                            .arg(type)
                            .arg(receiverClass, parentClass);
        }
        --m_depth;
        return handled;
    }
    void watch()
    {
        m_watching = true;
        m_slowestNs = 0;
        m_slowest.clear();
    }
    QString slowest() const { return m_slowest + QStringLiteral(", %1 ms").arg(ms(m_slowestNs)); }

private:
    int m_depth = 0;
    bool m_watching = false;
    qint64 m_slowestNs = 0;
    QString m_slowest;
};

// Runs `change`, then repaints the view synchronously; returns the milliseconds both took.
template <typename Change> double timed(QAbstractItemView *view, Change change)
{
    QElapsedTimer t;
    t.start();
    change();
    view->viewport()->repaint();
    return ms(t.nsecsElapsed());
}

// Sends `total` messages at `perSecond` over SMTP, one session per 5 messages.
void sendAtRate(quint16 port, int total, int perSecond, std::atomic<int> *sent)
{
    QElapsedTimer clock;
    clock.start();
    int n = 0;
    while (n < total) {
        QTcpSocket socket;
        socket.connectToHost(QStringLiteral("127.0.0.1"), port);
        if (!socket.waitForConnected(5000))
            return;
        const auto reply = [&socket] {
            for (;;) {
                while (!socket.canReadLine())
                    if (!socket.waitForReadyRead(10000))
                        return false;
                const QByteArray line = socket.readLine();
                if (line.size() < 4 || line[3] != '-')
                    return true;
            }
        };
        reply();
        socket.write("EHLO bench\r\n");
        reply();
        for (int i = 0; i < 5 && n < total; ++i, ++n) {
            // Keep to the rate: wait until this message is due.
            const qint64 due = qint64(n) * 1000 / perSecond;
            const qint64 wait = due - clock.elapsed();
            if (wait > 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(wait));
            socket.write("MAIL FROM:<load@bench.test>\r\nRCPT TO:<sink@bench.test>\r\nDATA\r\n");
            reply();
            reply();
            reply();
            socket.write(messageBytes(n) + ".\r\n");
            reply();
            ++*sent;
        }
        socket.write("QUIT\r\n");
        reply();
        socket.disconnectFromHost();
    }
}
} // namespace

// GETs the message list over one keep-alive connection until `stop`, noting each latency.
void readApi(quint16 port, const std::atomic<bool> *stop, std::vector<double> *latenciesMs)
{
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    if (!socket.waitForConnected(5000))
        return;
    QElapsedTimer request;
    while (!*stop) {
        request.start();
        socket.write("GET /api/v1/messages?limit=50 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        QByteArray response;
        qsizetype headerEnd = -1;
        qsizetype expected = -1;
        while (expected < 0 || response.size() < expected) {
            if (!socket.waitForReadyRead(10000))
                return;
            response += socket.readAll();
            if (headerEnd < 0 && (headerEnd = response.indexOf("\r\n\r\n")) >= 0) {
                const qsizetype at = response.toLower().indexOf("content-length:");
                expected =
                    headerEnd + 4 + response.mid(at + 15, 12).trimmed().split('\r')[0].toLongLong();
            }
        }
        latenciesMs->push_back(ms(request.nsecsElapsed()));
    }
}

int main(int argc, char *argv[])
{
    MimeRuntime mime;
    prepareHtmlPreviewProcess(); // the 25 MB message has an HTML body: Chromium renders it
    TimedApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("smtpeek-bench"));
    QStandardPaths::setTestModeEnabled(true);
    const QStringList args = app.arguments();
    const int count = args.contains(QStringLiteral("--messages"))
                          ? args.value(args.indexOf(QStringLiteral("--messages")) + 1).toInt()
                          : 100000;
    const QString filled =
        QDir::temp().filePath(QStringLiteral("smtpeek-ui-bench-%1.sqlite").arg(count));
    // The run adds live mail to its store: a fresh copy each time, so every run starts from
    // the same `count` messages.
    const QString path = QDir::temp().filePath(QStringLiteral("smtpeek-ui-bench-run.sqlite"));

    QElapsedTimer fill;
    fill.start();
    fillStore(filled, count);
    for (const QString &suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(path + suffix);
    if (!QFile::copy(filled, path))
        qFatal("cannot copy %s to %s", qPrintable(filled), qPrintable(path));
    out << "# UI responsiveness (" << QSysInfo::prettyProductName() << ", "
        << std::thread::hardware_concurrency() << " cores)\n\n";
    out << "- store with " << count << " messages ready in " << fill.elapsed() << " ms\n";

    // Launch: open the store, show the window, fill the list, paint it.
    QElapsedTimer launch;
    launch.start();
    StoreOptions options;
    options.path = path;
    QString error;
    std::unique_ptr<MessageStore> store = openStore(options, &error);
    const double opened = ms(launch.nsecsElapsed());
    SmtpService service(store.get());
    DesktopSettings settings;
    settings.listenPort = 0;
    settings.notifyNewMail = false;
    MainWindow window(store.get(), &service, settings, SmtpLimits());
    window.resize(1280, 800);
    window.show();
    QCoreApplication::processEvents();
    const double shown = ms(launch.nsecsElapsed());
    bool loaded = false;
    QObject::connect(&window, &MainWindow::storedMailLoaded, [&] { loaded = true; });
    GapProbe probe;
    probe.start();
    window.loadStoredMail();
    while (!loaded)
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
    MessageTableView *view = window.messageView();
    view->viewport()->repaint();
    const double usable = ms(launch.nsecsElapsed());
    probe.stop();
    out << "- launch: store open " << opened << " ms, window shown " << shown
        << " ms, list filled and painted (" << window.messageModel()->rowCount() << " rows) "
        << usable << " ms; meanwhile the longest GUI-thread gap was " << probe.longestMs()
        << " ms (the list fills in a worker; the window answers while it loads)\n";

    {
        QElapsedTimer query;
        query.start();
        const QList<MessageSummary> all =
            store->messages(0, count, MessageStore::Order::OldestFirst);
        out << "- of that, the store's query for " << all.size()
            << " summaries (run in a worker at launch): " << query.elapsed() << " ms\n";
    }
    Latency scroll;
    QScrollBar *bar = view->verticalScrollBar();
    for (int i = 0; i < 60; ++i) {
        const int target = int((quint64(i) * 7919 % 60) * bar->maximum() / 60);
        scroll.add(timed(view, [&] { bar->setValue(target); }));
    }
    out << "- scroll to 60 positions: median " << scroll.median() << " ms, max " << scroll.max()
        << " ms\n";

    Latency sort;
    for (int column : {MessageListModel::Subject, MessageListModel::From, MessageListModel::Size,
                       MessageListModel::Received}) {
        sort.add(timed(view, [&] { view->sortByColumn(column, Qt::AscendingOrder); }));
        sort.add(timed(view, [&] { view->sortByColumn(column, Qt::DescendingOrder); }));
    }
    out << "- sort by subject/from/size/received, both ways: median " << sort.median()
        << " ms, max " << sort.max() << " ms (each:";
    for (double sample : std::as_const(sort.samples))
        out << " " << qRound(sample);
    out << ")\n";

    Latency filter;
    const QString typed = QStringLiteral("invoice 4242");
    for (int i = 1; i <= typed.size(); ++i)
        filter.add(timed(view, [&] { window.messageProxy()->setSearchText(typed.left(i)); }));
    for (int i = typed.size() - 1; i >= 0; --i)
        filter.add(timed(view, [&] { window.messageProxy()->setSearchText(typed.left(i)); }));
    out << "- search typed and erased key by key (" << filter.samples.size() << " steps): median "
        << filter.median() << " ms, max " << filter.max() << " ms\n";

    // Live load: 2,000 messages per second for 10 seconds while a 10 ms timer measures gaps.
    window.startServer();
    const quint16 port = service.port();
    const auto liveLoad = [&](const char *label) {
        constexpr int kRate = 2000;
        constexpr int kSeconds = 10;
        constexpr int kClients = 4;
        std::atomic<int> sent{0};
        std::vector<std::thread> clients;
        for (int c = 0; c < kClients; ++c)
            clients.emplace_back(sendAtRate, port, kRate * kSeconds / kClients, kRate / kClients,
                                 &sent);
        probe.start();
        app.watch();
        const int before = window.messageModel()->rowCount();
        QElapsedTimer live;
        live.start();
        while (sent < kRate * kSeconds && live.elapsed() < kSeconds * 3000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        const double seconds = live.elapsed() / 1000.0;
        for (std::thread &client : clients)
            client.join();
        QElapsedTimer settle;
        settle.start();
        while (settle.elapsed() < 500)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        probe.stop();
        const int arrived = window.messageModel()->rowCount() - before;
        out << "- " << label << ": " << arrived << " messages over SMTP in " << seconds << " s ("
            << int(arrived / seconds) << " msg/s); 10 ms timer: longest gap " << probe.longestMs()
            << " ms (at " << probe.longestEndedS() << " s; the GUI thread ran "
            << probe.longestRanMs() << " ms of it), 99th percentile " << probe.percentileMs(99)
            << " ms, most the GUI thread ran between two ticks " << probe.mostRanMs()
            << " ms (a gap of 10 ms is no stall); the longest-running " << app.slowest() << "\n";
    };
    liveLoad("live");

    {
        // The same load while two API clients read the list as fast as they are answered.
        const bool inGuiThread = args.contains(QStringLiteral("--api-in-gui-thread"));
        ApiSettings api;
        api.port = 0;
        std::unique_ptr<ApiServer> guiApi;
        ApiThread apiThread;
        quint16 apiPort = 0;
        if (inGuiThread) {
            guiApi = startApiServer(api, {store.get(), &service, nullptr, path, nullptr}, &error);
            apiPort = guiApi ? guiApi->port() : 0;
        } else if (apiThread.start(api, {store.get(), &service, nullptr, path, nullptr}, &error)) {
            apiPort = apiThread.port();
        }
        if (apiPort == 0)
            qFatal("the API did not start: %s", qPrintable(error));
        std::atomic<bool> stop{false};
        std::vector<double> latencies[2];
        std::thread readers[2] = {std::thread(readApi, apiPort, &stop, &latencies[0]),
                                  std::thread(readApi, apiPort, &stop, &latencies[1])};
        liveLoad(inGuiThread ? "live with API readers, API in the GUI thread"
                             : "live with API readers, API in its own thread");
        stop = true;
        for (std::thread &reader : readers)
            reader.join();
        Latency answered;
        for (const std::vector<double> &each : latencies)
            for (double sample : each)
                answered.add(sample);
        out << "  - API: " << answered.samples.size() << " list requests, median "
            << answered.median() << " ms, 99th percentile " << answered.percentile(99)
            << " ms, max " << answered.max() << " ms\n";
    }
    service.stop();

    // Opens message `id` in the inspector; returns how long it took while `probe` watches.
    const auto openMessage = [&](qint64 id) {
        bool shown = false;
        const QMetaObject::Connection done =
            QObject::connect(window.inspector(), &MessageInspector::loaded, [&] { shown = true; });
        probe.start();
        QElapsedTimer open;
        open.start();
        window.showMessage(id);
        while (!shown)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        const qint64 openedMs = open.elapsed();
        QElapsedTimer after;
        after.start();
        while (after.elapsed() < 500)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 50);
        probe.stop();
        QObject::disconnect(done);
        return openedMs;
    };

    // A first small HTML message: the preview's Chromium view is created on first use.
    {
        MessageRecord small;
        small.id = store->allocateMessageId();
        small.receivedMs = QDateTime::currentMSecsSinceEpoch();
        small.raw = "From: a@example.com\r\nSubject: small\r\nContent-Type: text/html\r\n\r\n"
                    "<p>hello</p>\r\n";
        QObject context;
        store->saveMessage(small, &context, [](bool) {});
        store->flush();
        const qint64 openedMs = openMessage(small.id);
        out << "- the first HTML message opened in " << openedMs
            << " ms (creates the Chromium view); longest gap " << probe.longestMs() << " ms\n";
    }

    // A 25 MB message (HTML body, a 24 MB attachment) opened in the inspector.
    {
        QByteArray raw = "From: big@example.com\r\nTo: b@example.com\r\nSubject: 25 MB\r\n"
                         "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
                         "--b\r\nContent-Type: text/html\r\n\r\n<p>big</p>\r\n--b\r\n"
                         "Content-Type: application/octet-stream; name=big.bin\r\n"
                         "Content-Transfer-Encoding: base64\r\n\r\n";
        const QByteArray line = QByteArray(76, 'A') + "\r\n";
        while (raw.size() < 25 * 1024 * 1024)
            raw += line;
        raw += "--b--\r\n";
        MessageRecord big;
        big.id = store->allocateMessageId();
        big.receivedMs = QDateTime::currentMSecsSinceEpoch();
        big.raw = raw;
        big.headline.subject = QStringLiteral("25 MB");
        QObject context;
        store->saveMessage(big, &context, [](bool) {});
        store->flush();
        const qint64 openedMs = openMessage(big.id);
        out << "- a 25 MB message opened in the inspector in " << openedMs
            << " ms; 10 ms timer meanwhile: longest gap " << probe.longestMs() << " ms\n";
    }

    // Memory per row: heap growth of a fresh model holding every summary, after the
    // summaries it was filled from are gone (as in the app, where they are transient).
    malloc_trim(0);
    const size_t heapBefore = mallinfo2().uordblks;
    auto *model = new MessageListModel;
    qint64 textBytes = 0;
    {
        const QList<MessageSummary> summaries =
            store->messages(0, count, MessageStore::Order::OldestFirst);
        for (const MessageSummary &s : summaries)
            textBytes +=
                (s.headline.from.size() + s.headline.to.size() + s.headline.subject.size()) *
                qint64(sizeof(QChar));
        model->insertNow(summaries);
    }
    malloc_trim(0);
    const size_t heapAfter = mallinfo2().uordblks;
    const double perRow = double(heapAfter - heapBefore) / model->rowCount();
    out << "- list memory: " << perRow << " bytes per row, "
        << perRow - double(textBytes) / model->rowCount() << " beyond the "
        << double(textBytes) / model->rowCount() << " bytes of text it shows\n";
    delete model;
    return 0;
}
