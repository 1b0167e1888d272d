#include "HeadlessRunner.h"

#include "ApiServer.h"
#include "pop3/Pop3Server.h"
#include "relay/DeliveryQueue.h"
#include "rules/RuleEngine.h"
#include "server/SmtpService.h"
#include "store/MessageStore.h"
#include "store/StoreOpener.h"

#include <QCoreApplication>
#include <QTextStream>

#include <algorithm>

namespace {
// Values from the network are escaped so that no sender can forge or break a log line.
bool needsEscape(QChar c)
{
    return c == u'"' || c == u'\\' || c == u'<' || c == u'>' || c.unicode() < 0x20 ||
           c.unicode() == 0x7f || c.category() == QChar::Other_Format;
}

QString escaped(const QString &text)
{
    if (std::none_of(text.cbegin(), text.cend(), needsEscape))
        return text; // almost always: no copy
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (!needsEscape(c))
            out += c;
        else if (c == u'"' || c == u'\\' || c == u'<' || c == u'>')
            out += u'\\' + QString(c);
        else
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
    }
    return out;
}

QString quoted(const QByteArray &address) { return u'<' + escaped(QString::fromUtf8(address)) + u'>'; }
} // namespace

HeadlessRunner::HeadlessRunner(const AppOptions &options, MessageStore *store, QObject *parent)
    : QObject(parent), m_options(options), m_store(store), m_service(new SmtpService(store, this)),
      m_rules(ruleEngine(options.rules)), m_log(stdout)
{
    m_service->setStageHooks(m_rules);
    connectLog();
}

HeadlessRunner::~HeadlessRunner()
{
    stopEventSources();
}

// The log and the API take events in the server's and the store's threads: those finish before
// the receivers go. Sessions get 421; once the store is flushed, nothing emits any more.
void HeadlessRunner::stopEventSources()
{
    m_service->stop();
    m_pop3.reset();
    m_relay.reset(); // connections in progress are dropped; their deliveries stay pending
    m_store->flush();
    m_api.reset();
}

// The lines are formatted in the thread that emits (a session's, the store writer's), so that a
// busy server does not wake this thread three times per message.
void HeadlessRunner::connectLog()
{
    connect(
        m_service, &SmtpService::sessionStarted, this,
        [this](const SessionRecord &s) {
            m_log.append(QStringLiteral("session %1 started from %2:%3")
                             .arg(s.id)
                             .arg(s.peerAddress)
                             .arg(s.peerPort));
        },
        Qt::DirectConnection);
    connect(
        m_service, &SmtpService::sessionEnded, this,
        [this](const SessionRecord &s) {
            m_log.append(QStringLiteral("session %1 ended: %2, %3 message(s)%4")
                             .arg(s.id)
                             .arg(sessionEndName(s.end))
                             .arg(s.messageCount)
                             .arg(s.warnings.isEmpty()
                                      ? QString()
                                      : QStringLiteral(", warnings: ") +
                                            s.warnings.join(QStringLiteral("; "))));
        },
        Qt::DirectConnection);
    connect(
        m_store, &MessageStore::messageStored, this,
        [this](const MessageSummary &m) {
            QStringList to;
            for (const QByteArray &rcpt : m.envelopeTo)
                to.append(quoted(rcpt));
            m_log.append(QStringLiteral("message %1 stored: session %2, from %3 to %4, %5 bytes, "
                                        "subject \"%6\"")
                             .arg(m.id)
                             .arg(m.sessionId)
                             .arg(quoted(m.envelopeFrom), to.join(u' '))
                             .arg(m.size)
                             .arg(escaped(m.headline.subject)));
        },
        Qt::DirectConnection);
}

bool HeadlessRunner::start(QString *error)
{
    SessionConfig config;
    config.hostname = m_options.hostname.toUtf8();
    config.limits = m_options.limits;
    QString fingerprint;
    if (!applySecurityOptions(m_options.security, m_options.hostname, &config, error, &fingerprint))
        return false;
    startRelay(); // before the first message: every stored one gets its planned deliveries
    if (!m_service->start(m_options.listenAddress, m_options.listenPort, config, error,
                          m_options.smtpsPort))
        return false;
    QString address = m_options.listenAddress.toString();
    if (m_options.listenAddress.protocol() == QAbstractSocket::IPv6Protocol)
        address = u'[' + address + u']';
    m_log.append(QStringLiteral("smtpeek %1 listening on %2:%3")
                     .arg(QCoreApplication::applicationVersion(), address)
                     .arg(m_service->port()));
    if (m_service->smtpsPort() != 0)
        m_log.append(QStringLiteral("smtps (implicit TLS) listening on %1:%2")
                         .arg(address)
                         .arg(m_service->smtpsPort()));
    if (!fingerprint.isEmpty())
        m_log.append(QStringLiteral("tls certificate sha256 %1").arg(fingerprint));
    if (m_options.pop3 && !startPop3(config, error))
        return false;
    if (!m_options.rules.file.isEmpty())
        m_log.append(QStringLiteral("rules: %1 from %2")
                         .arg(m_options.rules.rules.size())
                         .arg(m_options.rules.file));
    if (m_options.rules.chaos)
        m_log.append(
            QStringLiteral("chaos enabled: %1").arg(chaosTriggersText(m_options.rules.triggers)));
    return startApi(error);
}

// POP3 answers with SMTP's certificate (STLS) and accepts the credentials SMTP accepts.
bool HeadlessRunner::startPop3(const SessionConfig &smtp, QString *error)
{
    Pop3Config config;
    config.tls = smtp.tls;
    config.auth = smtp.auth;
    config.maxBadCommands = m_options.limits.maxBadCommands;
    m_pop3 = std::make_unique<Pop3Service>(m_store);
    if (!m_pop3->start(m_options.pop3Address, m_options.pop3Port, config, error))
        return false;
    m_log.append(QStringLiteral("pop3 listening on %1").arg(m_pop3->address()));
    return true;
}

void HeadlessRunner::startRelay()
{
    const RelaySettings &relay = m_options.relay;
    if (!relay.target.configured())
        return;
    m_relay = std::make_unique<DeliveryQueue>(m_store, relay);
    connect(
        m_store, &MessageStore::deliverySaved, this,
        [this](const DeliveryRecord &d) {
            const QString result = d.attempts.isEmpty() ? QStringLiteral("queued")
                                                        : d.attempts.constLast().reason;
            m_log.append(QStringLiteral("delivery %1 of message %2 (%3): %4, %5")
                             .arg(d.id)
                             .arg(d.messageId)
                             .arg(deliveryKindName(d.kind), deliveryStatusName(d.status),
                                  escaped(result)));
        },
        Qt::DirectConnection);
    m_relay->start();
    m_log.append(QStringLiteral("relay to %1 (tls %2%3)%4")
                     .arg(relay.target.address(), relayTlsName(relay.target.tls),
                          relay.target.insecure ? QStringLiteral(", certificate not verified")
                                                : QString(),
                          relay.relayAll               ? QStringLiteral(", auto-relay: all")
                          : !relay.relayMatching.isEmpty() ? QStringLiteral(", auto-relay: matching")
                                                           : QString()));
}

// The API is an extra: when its default port is taken (another smtpeek, a Mailpit), SMTP capture
// goes on with a warning. An address given with --api must work, or smtpeek does not start.
bool HeadlessRunner::startApi(QString *error)
{
    QString reason;
    m_api = startApiServer(m_options.api,
                           {m_store, m_service, m_rules.get(), databaseFile(storeOptions(m_options)),
                            m_relay.get()},
                           &reason);
    if (!m_api) {
        if (!m_options.api.enabled)
            return true;
        const QString message = QStringLiteral("api cannot listen on %1:%2: %3")
                                    .arg(m_options.api.address.toString())
                                    .arg(m_options.api.port)
                                    .arg(reason);
        if (m_options.apiAddressGiven) {
            *error = message;
            return false;
        }
        QTextStream(stderr) << "smtpeek: warning: " << message
                            << " (choose another with --api ADDR:PORT, or --no-api)" << Qt::endl;
        return true;
    }
    m_api->setPop3Address([this] { return m_pop3 ? m_pop3->address() : QString(); });
    m_log.append(QStringLiteral("api listening on %1").arg(m_api->url()));
    QObject::connect(m_api.get(), &ApiServer::webhookFailed, this,
                     [this](const QString &message) { m_log.append(message); });
    return true;
}

void HeadlessRunner::stop()
{
    if (std::exchange(m_stopping, true))
        return; // a second signal while stopping changes nothing
    m_log.append(QStringLiteral("stopping: closing sessions"));
    stopEventSources();
    m_log.append(
        QStringLiteral("stopped: %1 message(s) in the store").arg(m_store->messageCount()));
    m_log.flush();
    QCoreApplication::exit(0);
}
