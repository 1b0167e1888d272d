#include "IngestCommand.h"

#include "MailSources.h"
#include "SendmailInput.h"
#include "relay/RelayClient.h"
#include "store/StoreOpener.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>

#include <deque>

#include <unistd.h>

namespace {
// What each input turned into, and the bar a terminal sees while files are read.
struct IngestReport
{
    qint64 ingested = 0;
    QList<SkippedInput> skipped;
    qint64 filesDone = 0;
    qint64 files = 0;
    QElapsedTimer shown;

    void progress(QTextStream &err, bool force = false)
    {
        if (!isatty(STDERR_FILENO) || (!force && shown.isValid() && shown.elapsed() < 100))
            return;
        shown.start();
        constexpr int kWidth = 30;
        const int filled = files > 0 ? int(kWidth * filesDone / files) : kWidth;
        err << "\r[" << QString(filled, u'#') << QString(kWidth - filled, u' ') << "] "
            << filesDone << '/' << files << " files, " << ingested << " messages" << Qt::flush;
    }
};

// The envelope of a found message: the From_ line's sender or the From field, and the To, Cc
// and Bcc addresses; nothing when it names no recipient.
std::optional<OutgoingMessage> envelopeOf(const FoundMessage &found, QString *problem)
{
    const HeaderAddresses header = headerAddresses(found.raw);
    if (header.recipients.isEmpty()) {
        *problem = QStringLiteral("no recipients in To, Cc or Bcc");
        return std::nullopt;
    }
    return OutgoingMessage::of(found.envelopeFrom.isEmpty() ? header.from : found.envelopeFrom,
                               header.recipients, found.raw);
}

// Over SMTP: one connection carries every message in turn (RelayClient's next message).
bool submitAll(const RelayTarget &target, std::deque<FoundMessage> &queue, IngestReport &report,
               QTextStream &err)
{
    std::deque<QString> sent; // origins of the messages on the wire, in order
    const auto next = [&]() -> std::optional<OutgoingMessage> {
        while (!queue.empty()) {
            const FoundMessage found = queue.front();
            queue.pop_front();
            QString problem;
            if (std::optional<OutgoingMessage> outgoing = envelopeOf(found, &problem)) {
                sent.push_back(found.origin);
                return outgoing;
            }
            report.skipped.append({found.origin, problem});
        }
        return std::nullopt;
    };
    std::optional<OutgoingMessage> first = next();
    if (!first)
        return true;
    RelayClient client(target, *first);
    client.setNextMessage(next);
    bool allIn = true;
    QEventLoop loop;
    QObject::connect(&client, &RelayClient::finished, &loop, [&](const DeliveryAttempt &attempt) {
        const QString origin = sent.front();
        sent.pop_front();
        if (attempt.result == DeliveryAttempt::Result::Delivered) {
            ++report.ingested;
        } else {
            allIn = false;
            report.skipped.append({origin, attempt.reason});
        }
        report.progress(err);
    });
    QObject::connect(&client, &RelayClient::closed, &loop, &QEventLoop::quit);
    client.start();
    loop.exec();
    // The connection failed: what it did not take is not in.
    for (FoundMessage &left : queue)
        report.skipped.append({left.origin, QStringLiteral("not sent: the connection ended")});
    allIn = allIn && queue.empty();
    queue.clear();
    return allIn;
}

// Straight into a database, as if received, with one session for the whole ingest.
bool storeAll(MessageStore *store, const SessionRecord &session, std::deque<FoundMessage> &queue,
              IngestReport &report)
{
    bool allIn = true;
    for (const FoundMessage &found : queue) {
        QString problem;
        const std::optional<OutgoingMessage> envelope = envelopeOf(found, &problem);
        if (!envelope) {
            report.skipped.append({found.origin, problem});
            continue;
        }
        MessageRecord message;
        message.id = store->allocateMessageId();
        message.sessionId = session.id;
        message.receivedMs = QDateTime::currentMSecsSinceEpoch();
        message.envelope.mailFrom = envelope->mailFrom;
        message.envelope.rcptTo = envelope->recipients;
        message.envelope.smtpUtf8 = envelope->smtpUtf8;
        message.envelope.body =
            envelope->eightBit ? Envelope::Body::EightBitMime : Envelope::Body::SevenBit;
        message.helo = session.helo;
        message.peerAddress = session.peerAddress;
        message.raw = found.raw;
        QEventLoop loop;
        bool stored = false;
        store->saveMessage(message, &loop, [&](bool ok) {
            stored = ok;
            loop.quit();
        });
        loop.exec();
        if (stored) {
            ++report.ingested;
        } else {
            allIn = false;
            report.skipped.append({found.origin, QStringLiteral("the database refused it")});
        }
    }
    queue.clear();
    return allIn;
}

std::optional<RelayTarget> smtpTarget(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(u':');
    bool ok = false;
    const uint port = colon > 0 ? text.mid(colon + 1).toUInt(&ok) : 0;
    if (!ok || port == 0 || port > 65535)
        return std::nullopt;
    RelayTarget target;
    target.host = text.left(colon);
    target.port = quint16(port);
    target.tls = RelayTarget::Tls::Off;
    target.heloName = "smtpeek-ingest";
    return target;
}
} // namespace

int runIngestCommand(const QStringList &arguments, QTextStream &err)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Take .eml files, mbox files and Maildir folders into smtpeek."));
    parser.addHelpOption();
    parser.addOptions({
        {QStringLiteral("smtp-addr"),
         QStringLiteral("Submit over SMTP to this running smtpeek (default 127.0.0.1:2525)."),
         QStringLiteral("host:port")},
        {QStringLiteral("db"), QStringLiteral("Write into this database instead (it is created if "
                                              "missing; no smtpeek may be using it)."),
         QStringLiteral("path")},
    });
    parser.addPositionalArgument(QStringLiteral("path"),
                                 QStringLiteral("Files and folders to read."), QStringLiteral("PATH..."));
    const auto usage = [&err](const QString &message) {
        err << "smtpeek ingest: " << message << Qt::endl;
        return 2;
    };
    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        QTextStream(stdout) << parser.helpText();
        return 0;
    }
    const QStringList paths = parser.positionalArguments();
    if (paths.isEmpty())
        return usage(QStringLiteral("give at least one file or folder"));
    const bool toDb = parser.isSet(QStringLiteral("db"));
    if (toDb && parser.isSet(QStringLiteral("smtp-addr")))
        return usage(QStringLiteral("--db and --smtp-addr exclude each other"));
    const QString address = parser.isSet(QStringLiteral("smtp-addr"))
                                ? parser.value(QStringLiteral("smtp-addr"))
                                : QStringLiteral("127.0.0.1:2525");
    const std::optional<RelayTarget> target = smtpTarget(address);
    if (!toDb && !target)
        return usage(QStringLiteral("--smtp-addr takes HOST:PORT, not '%1'").arg(address));

    std::unique_ptr<MessageStore> store;
    SessionRecord session;
    if (toDb) {
        StoreOptions options;
        options.path = parser.value(QStringLiteral("db"));
        QString error;
        store = openStore(options, &error);
        if (!store) {
            err << "smtpeek ingest: " << options.path << ": " << error << Qt::endl;
            return 1;
        }
        session.id = store->allocateSessionId();
        session.startedMs = QDateTime::currentMSecsSinceEpoch();
        session.helo = "ingest";
        session.peerAddress = QStringLiteral("ingest");
        session.end = SessionEnd::Active;
        session.transcript.append({session.startedMs, TranscriptEntry::Direction::Event,
                                   "[smtpeek ingest: " + paths.join(u' ').toUtf8() + ']'});
    }

    IngestReport report;
    const QStringList files = inputFiles(paths, &report.skipped);
    report.files = files.size();
    bool allIn = true;
    for (const QString &file : files) {
        std::deque<FoundMessage> found;
        readInputFile(
            file, [&found](const FoundMessage &message) { found.push_back(message); },
            [&report](const SkippedInput &skip) { report.skipped.append(skip); });
        const qint64 before = report.ingested;
        allIn = (toDb ? storeAll(store.get(), session, found, report)
                      : submitAll(*target, found, report, err)) &&
                allIn;
        session.messageCount += int(report.ingested - before);
        ++report.filesDone;
        report.progress(err);
    }
    if (store) {
        session.end = SessionEnd::Quit;
        session.endedMs = QDateTime::currentMSecsSinceEpoch();
        store->saveSession(session);
        store->flush();
    }
    if (isatty(STDERR_FILENO))
        err << '\n';
    err << "smtpeek ingest: " << report.ingested << " ingested, " << report.skipped.size()
        << " skipped" << Qt::endl;
    for (const SkippedInput &skip : std::as_const(report.skipped))
        err << "  skipped " << skip.origin << ": " << skip.reason << Qt::endl;
    return allIn && report.ingested > 0 ? 0 : 1;
}
