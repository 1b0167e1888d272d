#pragma once

// Is it spam? A client for SpamAssassin's spamd speaking the spamc protocol (SPAMC/1.5, the
// REPORT command), written here over QTcpSocket rather than by running spamc, so a check is one
// asynchronous socket and never a blocked thread. The protocol itself is pure functions.

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QProcess>
#include <QString>
#include <QTcpSocket>
#include <QTimer>

#include <functional>
#include <optional>

struct SpamRule
{
    double score = 0;
    QString name;        // "GTUBE"
    QString description; // "BODY: Generic Test for Unsolicited Bulk Email"
};

struct SpamReport
{
    QString error; // empty when spamd answered; then the rest is its verdict
    bool isSpam = false;
    double score = 0;
    double threshold = 0;
    QList<SpamRule> rules;
};

// spamc refuses to pass on messages over 500 KB by default (its -s option); so does smtpeek.
constexpr qsizetype kMaxSpamCheckBytes = 500 * 1024;

// The request spamc sends for REPORT.
QByteArray spamcReportRequest(const QByteArray &message);
// The answer once `response` holds all of it (`closed`: spamd has closed the connection);
// nullopt while more is to come.
std::optional<SpamReport> parseSpamdResponse(const QByteArray &response, bool closed);
// The rules of a report's "Content analysis details" table: score, name, description (the
// description's continuation lines joined).
QList<SpamRule> parseSpamReportRules(const QString &report);

// A spamd that smtpeek starts on a loopback port it picks (--spamassassin auto), on first use,
// and stops when it is destroyed.
class SpamdProcess : public QObject
{
    Q_OBJECT
public:
    explicit SpamdProcess(QObject *parent = nullptr);
    ~SpamdProcess() override;

    // Calls `ready` with the port once spamd accepts connections, or with 0 and a reason.
    void whenReady(std::function<void(quint16 port, const QString &error)> ready);

    static QString program(); // the spamd executable, empty when SpamAssassin is not installed

private:
    void start();
    void probe();
    void finish(quint16 port, const QString &error);

    QProcess m_process;
    QTimer m_probeTimer;
    quint16 m_port = 0;
    qint64 m_startedMs = 0;
    bool m_ready = false;
    QByteArray m_logTail; // the end of spamd's log, for the error when it exits
    QList<std::function<void(quint16, const QString &)>> m_waiting;
};

// Checks messages against one spamd, each over its own connection.
class SpamAssassin : public QObject
{
    Q_OBJECT
public:
    // spamd at `host`:`port`; with an empty host, a SpamdProcess of its own.
    SpamAssassin(const QString &host, quint16 port, QObject *parent = nullptr);

    // Answers `done` with spamd's verdict or an error, within `timeoutMs`.
    void check(const QByteArray &message, std::function<void(const SpamReport &)> done);
    void setTimeout(int timeoutMs) { m_timeoutMs = timeoutMs; }

private:
    void send(const QString &host, quint16 port, const QByteArray &message,
              std::function<void(const SpamReport &)> done);

    QString m_host;
    quint16 m_port = 0;
    SpamdProcess *m_process = nullptr; // without a host only
    int m_timeoutMs = 30000;
};
