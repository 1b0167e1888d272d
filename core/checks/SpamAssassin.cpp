#include "SpamAssassin.h"

#include <QDateTime>
#include <QStandardPaths>
#include <QTcpServer>

#include <memory>

namespace {

constexpr int kStartTimeoutMs = 60000; // spamd compiles its rules on start: seconds
constexpr int kProbeIntervalMs = 200;
constexpr qsizetype kMaxResponseBytes = 1024 * 1024;

SpamReport failure(const QString &error)
{
    SpamReport report;
    report.error = error;
    return report;
}

// "Spam: True ; 1000.0 / 5.0"
void parseSpamHeader(QByteArrayView value, SpamReport &report)
{
    const qsizetype semicolon = value.indexOf(';');
    const QByteArrayView verdict = value.first(semicolon < 0 ? value.size() : semicolon).trimmed();
    report.isSpam = verdict.compare("true", Qt::CaseInsensitive) == 0 ||
                    verdict.compare("yes", Qt::CaseInsensitive) == 0;
    if (semicolon < 0)
        return;
    const QByteArrayView scores = value.sliced(semicolon + 1);
    const qsizetype slash = scores.indexOf('/');
    report.score = scores.first(slash < 0 ? scores.size() : slash).trimmed().toDouble();
    if (slash >= 0)
        report.threshold = scores.sliced(slash + 1).trimmed().toDouble();
}

bool parseScore(QStringView text, double *score)
{
    bool ok = false;
    *score = text.toDouble(&ok);
    return ok;
}

} // namespace

QByteArray spamcReportRequest(const QByteArray &message)
{
    return "REPORT SPAMC/1.5\r\nContent-length: " + QByteArray::number(message.size()) +
           "\r\n\r\n" + message;
}

std::optional<SpamReport> parseSpamdResponse(const QByteArray &response, bool closed)
{
    const qsizetype headerEnd = response.indexOf("\r\n\r\n");
    if (headerEnd < 0) {
        if (!closed)
            return std::nullopt;
        // An error answer may come without headers: "SPAMD/1.0 76 Bad header line: ..."
        const QByteArray line = response.left(response.indexOf("\r\n")).trimmed();
        return failure(line.isEmpty()
                           ? QStringLiteral("spamd closed the connection without an answer")
                           : QStringLiteral("spamd answered: %1").arg(QString::fromUtf8(line)));
    }
    const QList<QByteArray> lines = response.left(headerEnd).split('\n');
    const QList<QByteArray> status = lines.first().trimmed().split(' ');
    if (status.size() < 2 || !status[0].startsWith("SPAMD/"))
        return failure(QStringLiteral("not a spamd answer: %1")
                           .arg(QString::fromUtf8(lines.first().trimmed().left(80))));
    if (status[1] != "0")
        return failure(
            QStringLiteral("spamd answered: %1").arg(QString::fromUtf8(lines.first().trimmed())));
    SpamReport report;
    qsizetype contentLength = -1;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArrayView value = QByteArrayView(line).sliced(colon + 1).trimmed();
        if (name == "spam")
            parseSpamHeader(value, report);
        else if (name == "content-length")
            contentLength = value.toLongLong();
    }
    const QByteArray body = response.mid(headerEnd + 4);
    if (contentLength >= 0 && body.size() < contentLength && !closed)
        return std::nullopt;
    if (contentLength < 0 && !closed)
        return std::nullopt; // spamd closes after the report
    report.rules = parseSpamReportRules(QString::fromUtf8(body));
    return report;
}

QList<SpamRule> parseSpamReportRules(const QString &report)
{
    // The table follows a line of dashes: " pts rule name  description" / "---- ----- ----".
    QList<SpamRule> rules;
    bool inTable = false;
    for (const QString &rawLine : report.split(u'\n')) {
        const QString line = rawLine.trimmed().isEmpty() ? QString() : rawLine;
        if (!inTable) {
            inTable = line.startsWith(QLatin1String("---- "));
            continue;
        }
        if (line.isEmpty())
            break;
        const QStringList fields = line.simplified().split(u' ');
        double score = 0;
        if (fields.size() >= 2 && parseScore(fields[0], &score)) {
            rules.append({score, fields[1], fields.mid(2).join(u' ')});
        } else if (!rules.isEmpty()) { // a description continued on the next line
            rules.last().description += u' ' + line.simplified();
        }
    }
    return rules;
}

SpamdProcess::SpamdProcess(QObject *parent) : QObject(parent)
{
    m_probeTimer.setInterval(kProbeIntervalMs);
    m_probeTimer.setSingleShot(true);
    connect(&m_probeTimer, &QTimer::timeout, this, &SpamdProcess::probe);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError) {
        if (!m_ready)
            finish(0, QStringLiteral("could not start spamd: %1").arg(m_process.errorString()));
    });
    // spamd logs every check: read it all the time, or it blocks on a full pipe.
    connect(&m_process, &QProcess::readyReadStandardError, this,
            [this] { m_logTail = (m_logTail + m_process.readAllStandardError()).right(2048); });
    connect(&m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus) {
        m_logTail += m_process.readAllStandardError();
        const QString output = QString::fromLocal8Bit(m_logTail.right(300)).trimmed();
        m_ready = false;
        finish(0, QStringLiteral("spamd exited with status %1%2")
                      .arg(code)
                      .arg(output.isEmpty() ? QString() : QStringLiteral(": ") + output));
    });
}

SpamdProcess::~SpamdProcess()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.disconnect(this);
    m_process.terminate();
    if (!m_process.waitForFinished(3000))
        m_process.kill();
    m_process.waitForFinished(1000);
}

QString SpamdProcess::program()
{
    return QStandardPaths::findExecutable(QStringLiteral("spamd"),
                                          {QStringLiteral("/usr/sbin"), QStringLiteral("/usr/bin"),
                                           QStringLiteral("/usr/local/sbin"),
                                           QStringLiteral("/usr/local/bin")});
}

void SpamdProcess::whenReady(std::function<void(quint16, const QString &)> ready)
{
    if (m_ready) {
        ready(m_port, {});
        return;
    }
    m_waiting.append(std::move(ready));
    if (m_process.state() == QProcess::NotRunning)
        start();
}

void SpamdProcess::start()
{
    const QString spamd = program();
    if (spamd.isEmpty()) {
        finish(0, QStringLiteral("spamd is not installed (Debian: apt install spamassassin)"));
        return;
    }
    // A free port: the kernel picks one for a listener we close at once. Another program could
    // take it in between; then spamd fails to bind and the error says so.
    QTcpServer picker;
    if (!picker.listen(QHostAddress::LocalHost, 0)) {
        finish(0, QStringLiteral("no free loopback port for spamd"));
        return;
    }
    m_port = picker.serverPort();
    picker.close();
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    // -x: no per-user configuration (smtpeek's user may have no home); logs to stderr, which
    // the exit error quotes.
    m_process.setProcessChannelMode(QProcess::SeparateChannels);
    m_process.start(spamd, {QStringLiteral("--listen=127.0.0.1:%1").arg(m_port),
                            QStringLiteral("--nouser-config"), QStringLiteral("--max-children=2"),
                            QStringLiteral("--syslog=stderr")});
    m_probeTimer.start();
}

void SpamdProcess::probe()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    if (QDateTime::currentMSecsSinceEpoch() - m_startedMs > kStartTimeoutMs) {
        finish(0, QStringLiteral("spamd did not start listening within %1 s")
                      .arg(kStartTimeoutMs / 1000));
        return;
    }
    auto *socket = new QTcpSocket(this);
    connect(socket, &QTcpSocket::connected, this, [this, socket] {
        socket->abort();
        socket->deleteLater();
        m_ready = true;
        finish(m_port, {});
    });
    connect(socket, &QTcpSocket::errorOccurred, this, [this, socket] {
        socket->deleteLater();
        if (!m_ready)
            m_probeTimer.start();
    });
    socket->connectToHost(QHostAddress::LocalHost, m_port);
}

void SpamdProcess::finish(quint16 port, const QString &error)
{
    const auto waiting = std::exchange(m_waiting, {});
    for (const auto &ready : waiting)
        ready(port, error);
}

SpamAssassin::SpamAssassin(const QString &host, quint16 port, QObject *parent)
    : QObject(parent), m_host(host), m_port(port)
{
    if (host.isEmpty())
        m_process = new SpamdProcess(this);
}

void SpamAssassin::check(const QByteArray &message, std::function<void(const SpamReport &)> done)
{
    if (message.size() > kMaxSpamCheckBytes) {
        done(failure(QStringLiteral("the message is %1 KB; spamc's limit, and smtpeek's, is %2 KB")
                         .arg(message.size() / 1024)
                         .arg(kMaxSpamCheckBytes / 1024)));
        return;
    }
    if (!m_process) {
        send(m_host, m_port, message, std::move(done));
        return;
    }
    m_process->whenReady(
        [this, message, done = std::move(done)](quint16 port, const QString &error) {
            if (port == 0)
                done(failure(error));
            else
                send(QStringLiteral("127.0.0.1"), port, message, done);
        });
}

void SpamAssassin::send(const QString &host, quint16 port, const QByteArray &message,
                        std::function<void(const SpamReport &)> done)
{
    auto *socket = new QTcpSocket(this);
    auto *timer = new QTimer(socket);
    auto response = std::make_shared<QByteArray>();
    auto answered = std::make_shared<bool>(false);
    const QString where = QStringLiteral("%1:%2").arg(host).arg(port);
    const auto answer = [socket, answered, done](const SpamReport &report) {
        if (*answered)
            return;
        *answered = true;
        socket->abort();
        socket->deleteLater();
        done(report);
    };
    const auto read = [socket, response, answered, answer](bool closed) {
        if (*answered)
            return; // answer() aborts the socket, which reports that it disconnected
        response->append(socket->readAll());
        if (response->size() > kMaxResponseBytes) {
            answer(failure(QStringLiteral("spamd's answer is over 1 MB")));
            return;
        }
        if (const std::optional<SpamReport> report = parseSpamdResponse(*response, closed))
            answer(*report);
    };
    timer->setSingleShot(true);
    connect(timer, &QTimer::timeout, socket, [answer, where, this] {
        answer(failure(QStringLiteral("spamd at %1 did not answer within %2 s")
                           .arg(where)
                           .arg(m_timeoutMs / 1000.0)));
    });
    connect(socket, &QTcpSocket::connected, socket,
            [socket, message] { socket->write(spamcReportRequest(message)); });
    connect(socket, &QTcpSocket::readyRead, socket, [read] { read(false); });
    connect(socket, &QTcpSocket::disconnected, socket, [read] { read(true); });
    connect(socket, &QTcpSocket::errorOccurred, socket,
            [socket, read, answer, where](QAbstractSocket::SocketError error) {
                if (error == QAbstractSocket::RemoteHostClosedError) {
                    read(true);
                    return;
                }
                answer(failure(QStringLiteral("no spamd at %1: %2 (start one with `spamd "
                                              "--listen=%1`, or run smtpeek with "
                                              "--spamassassin auto)")
                                   .arg(where, socket->errorString())));
            });
    timer->start(m_timeoutMs);
    socket->connectToHost(host, port);
}
