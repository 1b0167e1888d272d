#include "RelayClient.h"

#include <QDateTime>
#include <QHostInfo>
#include <QLoggingCategory>
#include <QSslCipher>
#include <QSslConfiguration>

Q_LOGGING_CATEGORY(lcRelay, "smtpeek.relay", QtInfoMsg)

namespace {
using Result = DeliveryAttempt::Result;
using Direction = TranscriptEntry::Direction;

// Replies are at most 512 octets (RFC 5321 4.5.3.1.5); a generous cap still stops a server
// that streams one endless line.
constexpr qsizetype kMaxReplyLine = 4096;

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString replyText(const SmtpReply &reply)
{
    return QString::fromLatin1(reply.text());
}

QByteArray eightBitDenied(const char *what, const char *extension)
{
    return QByteArray("the message ") + what + " and the upstream does not offer " + extension +
           "; smtpeek does not change the message to fit, so it was not sent";
}
} // namespace

RelayClient::RelayClient(const RelayTarget &target, const OutgoingMessage &message, QObject *parent)
    : QObject(parent), m_target(target), m_message(message), m_socket(new QSslSocket(this)),
      m_reader(LineReader::Limits{kMaxReplyLine, kMaxReplyLine, 1000, 0})
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] {
        if (m_state == State::Quit)
            return finish(); // the attempt is decided; a slow QUIT changes nothing
        conclude(Result::TemporaryFailure,
                 QStringLiteral("no answer from %1 within %2 s while waiting for %3")
                     .arg(m_target.address())
                     .arg(m_timer.interval() / 1000.0)
                     .arg(m_waitingFor),
                 false);
    });
    connect(m_socket, &QSslSocket::connected, this, [this] {
        record(Direction::Event, "[connected to " + m_target.address().toUtf8() + ']');
        if (m_target.tls != RelayTarget::Tls::Smtps)
            enterState(State::Greeting, m_target.timeouts.commandMs);
    });
    connect(m_socket, &QSslSocket::encrypted, this, &RelayClient::onEncrypted);
    connect(m_socket, &QSslSocket::sslErrors, this, [this](const QList<QSslError> &errors) {
        QStringList texts;
        for (const QSslError &error : errors)
            texts.append(error.errorString());
        conclude(Result::PermanentFailure,
                 QStringLiteral("the certificate of %1 is not trusted: %2 (--relay-insecure "
                                "accepts it)")
                     .arg(m_target.host, texts.join(QStringLiteral("; "))),
                 false);
    });
    connect(m_socket, &QSslSocket::readyRead, this, &RelayClient::readInput);
    connect(m_socket, &QSslSocket::bytesWritten, this, [this] {
        if (m_state == State::Body)
            m_timer.start(); // a big body is still moving: the reply's wait starts at its end
    });
    connect(m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_state == State::Done)
            return;
        if (m_state == State::Quit) {
            finish();
            return;
        }
        const bool closed = m_socket->error() == QAbstractSocket::RemoteHostClosedError;
        conclude(Result::TemporaryFailure,
                 closed ? QStringLiteral("%1 closed the connection while smtpeek waited for %2")
                              .arg(m_target.address(), m_waitingFor)
                        : QStringLiteral("connection to %1 failed: %2")
                              .arg(m_target.address(), m_socket->errorString()),
                 false);
    });
    connect(m_socket, &QSslSocket::disconnected, this, [this] {
        if (m_state == State::Quit)
            finish();
    });
}

RelayClient::~RelayClient() = default;

void RelayClient::beginAttempt()
{
    m_attempt.startedMs = nowMs();
    m_attempt.upstream = m_target.address();
    m_attempt.insecure = m_target.insecure && m_target.tls != RelayTarget::Tls::Off;
    for (const QByteArray &address : m_message.recipients)
        m_attempt.recipients.append({address, 0, {}});
}

void RelayClient::start()
{
    beginAttempt();

    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    if (m_attempt.insecure)
        tls.setPeerVerifyMode(QSslSocket::VerifyNone);
    m_socket->setSslConfiguration(tls);
    m_socket->setPeerVerifyName(m_target.host);
    m_waitingFor = QStringLiteral("the connection");
    enterState(State::Connecting, m_target.timeouts.connectMs);
    if (m_target.tls == RelayTarget::Tls::Smtps)
        m_socket->connectToHostEncrypted(m_target.host, m_target.port);
    else
        m_socket->connectToHost(m_target.host, m_target.port);
}

void RelayClient::enterState(State state, int timeoutMs)
{
    qCDebug(lcRelay) << m_target.address() << int(m_state) << "->" << int(state);
    m_state = state;
    if (timeoutMs > 0)
        m_timer.start(timeoutMs);
    else
        m_timer.stop();
}

void RelayClient::record(Direction direction, const QByteArray &bytes)
{
    m_attempt.transcript.append({nowMs(), direction, bytes});
}

void RelayClient::send(const QByteArray &line, const QByteArray &transcriptText)
{
    record(Direction::Client, (transcriptText.isEmpty() ? line : transcriptText) + "\r\n");
    m_socket->write(line + "\r\n");
}

void RelayClient::readInput()
{
    m_reader.append(m_socket->readAll());
    while (m_state != State::Done) {
        switch (m_reader.next()) {
        case LineReader::Event::NeedMore:
            return;
        case LineReader::Event::CommandTooLong:
            conclude(Result::TemporaryFailure,
                     QStringLiteral("%1 sent a line longer than %2 octets")
                         .arg(m_target.address())
                         .arg(kMaxReplyLine),
                     false);
            return;
        case LineReader::Event::CommandLine: {
            const QByteArray line = m_reader.takeLine();
            record(Direction::Server, line + "\r\n");
            switch (m_replies.add(line)) {
            case ReplyReader::Result::NeedMore:
                break;
            case ReplyReader::Result::Complete:
                handleReply(m_replies.take());
                break;
            case ReplyReader::Result::Malformed:
                conclude(Result::TemporaryFailure,
                         QStringLiteral("%1 sent %2")
                             .arg(m_target.address(), QString::fromLatin1(m_replies.problem())),
                         false);
                return;
            }
            break;
        }
        case LineReader::Event::DataComplete:
        case LineReader::Event::ChunkComplete:
            return; // the reader only ever reads lines here
        }
    }
}

void RelayClient::handleReply(const SmtpReply &reply)
{
    switch (m_state) {
    case State::Greeting:
        return onGreeting(reply);
    case State::Ehlo:
        return onEhlo(reply);
    case State::Helo:
        return onHelo(reply);
    case State::StartTls:
        return onStartTls(reply);
    case State::Auth:
        return onAuth(reply);
    case State::Reset:
        return onReset(reply);
    case State::Envelope:
        return onEnvelope(reply);
    case State::Body:
        return onBody(reply);
    case State::Quit:
        return finish();
    case State::Idle:
    case State::Connecting:
    case State::TlsHandshake:
    case State::Done:
        break;
    }
    conclude(Result::TemporaryFailure,
             QStringLiteral("%1 replied when nothing was asked: %2")
                 .arg(m_target.address(), replyText(reply)),
             false);
}

void RelayClient::failOn(const SmtpReply &reply, const QString &what)
{
    const bool temporary = reply.code >= 400 && reply.code < 500;
    conclude(temporary ? Result::TemporaryFailure : Result::PermanentFailure,
             QStringLiteral("%1: %2").arg(what, replyText(reply)), reply.code != 421);
}

void RelayClient::onGreeting(const SmtpReply &reply)
{
    if (reply.code != 220)
        return failOn(reply, QStringLiteral("%1 refused the connection").arg(m_target.address()));
    sendEhlo();
}

QByteArray RelayClient::heloName() const
{
    const QByteArray name =
        m_target.heloName.isEmpty() ? QHostInfo::localHostName().toUtf8() : m_target.heloName;
    return name.isEmpty() ? QByteArray("localhost") : name;
}

void RelayClient::sendEhlo()
{
    m_waitingFor = QStringLiteral("the reply to EHLO");
    enterState(State::Ehlo, m_target.timeouts.commandMs);
    send("EHLO " + heloName());
}

void RelayClient::onEhlo(const SmtpReply &reply)
{
    if (reply.code == 250) {
        m_caps = UpstreamCapabilities::fromEhlo(reply);
        return greeted();
    }
    if (reply.code >= 500 && reply.code != 554) {
        // RFC 5321 3.2: a server that does not know EHLO still knows HELO.
        m_waitingFor = QStringLiteral("the reply to HELO");
        enterState(State::Helo, m_target.timeouts.commandMs);
        send("HELO " + heloName());
        return;
    }
    failOn(reply, QStringLiteral("EHLO refused"));
}

void RelayClient::onHelo(const SmtpReply &reply)
{
    if (reply.code != 250)
        return failOn(reply, QStringLiteral("HELO refused"));
    m_caps = UpstreamCapabilities{};
    greeted();
}

void RelayClient::greeted()
{
    using Tls = RelayTarget::Tls;
    if (!m_tlsActive && (m_target.tls == Tls::StartTls || m_target.tls == Tls::Auto)) {
        if (m_caps.startTls) {
            m_waitingFor = QStringLiteral("the reply to STARTTLS");
            enterState(State::StartTls, m_target.timeouts.commandMs);
            send("STARTTLS");
            return;
        }
        if (m_target.tls == Tls::StartTls)
            return conclude(Result::PermanentFailure,
                            QStringLiteral("%1 does not offer STARTTLS (--relay-tls starttls)")
                                .arg(m_target.address()));
    }
    if (!m_target.user.isEmpty())
        return startAuth();
    startTransaction();
}

void RelayClient::onStartTls(const SmtpReply &reply)
{
    if (reply.code != 220)
        return failOn(reply, QStringLiteral("STARTTLS refused"));
    m_waitingFor = QStringLiteral("the TLS handshake");
    enterState(State::TlsHandshake, m_target.timeouts.connectMs);
    // Whatever the server sent after its 220 came before TLS: it must not count as a reply.
    m_reader.discardBuffered();
    m_socket->startClientEncryption();
}

void RelayClient::onEncrypted()
{
    m_tlsActive = true;
    const QSslCipher cipher = m_socket->sessionCipher();
    m_attempt.tls = {cipher.protocolString(), cipher.name()};
    record(Direction::Event, "[TLS established: " + m_attempt.tls.protocol.toLatin1() + ' ' +
                                 m_attempt.tls.cipher.toLatin1() +
                                 (m_attempt.insecure ? ", certificate not verified]" : "]"));
    if (m_state == State::Connecting) {
        m_waitingFor = QStringLiteral("the greeting");
        enterState(State::Greeting, m_target.timeouts.commandMs);
        return;
    }
    sendEhlo(); // RFC 3207 4.2: everything learnt before TLS is forgotten
}

void RelayClient::startAuth()
{
    if (!m_tlsActive && m_target.tls != RelayTarget::Tls::Off)
        return conclude(Result::PermanentFailure,
                        QStringLiteral("%1 offers no TLS: smtpeek does not send the password in "
                                       "clear text (unless --relay-tls off)")
                            .arg(m_target.address()));
    const std::optional<SaslExchange::Mechanism> mechanism = m_caps.strongestAuth();
    if (!mechanism)
        return conclude(
            Result::PermanentFailure,
            QStringLiteral("%1 offers no AUTH mechanism smtpeek knows (it offers: "
                           "%2)")
                .arg(m_target.address(), QString::fromLatin1(m_caps.authMechanisms.join(' '))));
    m_mechanism = *mechanism;
    m_authStep = 0;
    m_attempt.authUser = m_target.user;
    m_waitingFor = QStringLiteral("the reply to AUTH");
    enterState(State::Auth, m_target.timeouts.commandMs);
    const QByteArray user = m_target.user.toUtf8();
    const QByteArray password = m_target.password.toUtf8();
    switch (m_mechanism) {
    case SaslExchange::Mechanism::Plain: {
        const QByteArray response = ('\0' + user + '\0' + password).toBase64();
        send("AUTH PLAIN " + response,
             m_target.showSecrets ? QByteArray()
                                  : QByteArray("AUTH PLAIN ") + SaslExchange::kHiddenCredentials);
        return;
    }
    case SaslExchange::Mechanism::Login:
        send("AUTH LOGIN");
        return;
    case SaslExchange::Mechanism::CramMd5:
        send("AUTH CRAM-MD5");
        return;
    }
}

void RelayClient::onAuth(const SmtpReply &reply)
{
    if (reply.code == 235) {
        record(Direction::Event, "[authenticated as " + m_target.user.toUtf8() + ']');
        return startTransaction();
    }
    if (reply.code != 334 || m_mechanism == SaslExchange::Mechanism::Plain || m_authStep >= 2)
        return failOn(reply, QStringLiteral("authentication as %1 failed").arg(m_target.user));
    const QByteArray user = m_target.user.toUtf8();
    const QByteArray password = m_target.password.toUtf8();
    QByteArray response;
    if (m_mechanism == SaslExchange::Mechanism::Login) {
        response = (m_authStep == 0 ? user : password).toBase64();
    } else {
        const QByteArray challenge = QByteArray::fromBase64(reply.lines.value(0));
        response = (user + ' ' + SaslExchange::cramMd5Digest(challenge, password)).toBase64();
        m_authStep = 1; // CRAM-MD5 has one step only
    }
    ++m_authStep;
    const bool secret = m_mechanism == SaslExchange::Mechanism::CramMd5 || m_authStep == 2;
    send(response, secret && !m_target.showSecrets ? QByteArray(SaslExchange::kHiddenCredentials)
                                                   : QByteArray());
}

void RelayClient::carryOn(const OutgoingMessage &next, bool reset)
{
    const DeliveryAttempt previous = m_attempt;
    m_message = next;
    m_attempt = {};
    beginAttempt();
    m_attempt.tls = previous.tls;
    m_attempt.authUser = previous.authUser;
    ++m_transactions;
    record(Direction::Event,
           "[connection to " + m_target.address().toUtf8() + " reused: message " +
               QByteArray::number(m_transactions) + " on it" +
               (m_tlsActive ? ", TLS " + previous.tls.cipher.toLatin1() : QByteArray()) +
               (m_attempt.authUser.isEmpty()
                    ? QByteArray()
                    : ", authenticated as " + m_attempt.authUser.toUtf8()) +
               ']');
    m_transactionStarted = false;
    m_mailRefused = false;
    m_dataSent = false;
    m_expected = {};
    m_nextRecipient = 0;
    if (!reset)
        return startTransaction();
    m_waitingFor = QStringLiteral("the reply to RSET");
    enterState(State::Reset, m_target.timeouts.commandMs);
    send("RSET");
}

void RelayClient::onReset(const SmtpReply &reply)
{
    if (reply.code != 250)
        return failOn(reply, QStringLiteral("RSET refused"));
    startTransaction();
}

void RelayClient::startTransaction()
{
    m_transactionStarted = true;
    if (m_message.recipients.isEmpty()) // a connection test: nothing to send
        return conclude(Result::Delivered,
                        QStringLiteral("%1 accepted the connection").arg(m_target.address()));
    const QString host = m_target.address();
    if (m_caps.maxSize > 0 && m_message.data.size() > m_caps.maxSize)
        return conclude(Result::PermanentFailure,
                        QStringLiteral("the message has %1 bytes, more than the %2 that %3 "
                                       "accepts (SIZE)")
                            .arg(m_message.data.size())
                            .arg(m_caps.maxSize)
                            .arg(host));
    if (m_message.binary && !(m_caps.chunking && m_caps.binaryMime))
        return conclude(
            Result::PermanentFailure,
            QString::fromLatin1(eightBitDenied("is BINARYMIME", "CHUNKING with BINARYMIME")));
    if (m_message.eightBit && !m_message.binary && !m_caps.eightBitMime)
        return conclude(Result::PermanentFailure,
                        QString::fromLatin1(eightBitDenied("has 8-bit octets", "8BITMIME")));
    if (m_message.smtpUtf8 && !m_caps.smtpUtf8)
        return conclude(Result::PermanentFailure,
                        QString::fromLatin1(eightBitDenied(
                            "has a non-ASCII address or was sent with SMTPUTF8", "SMTPUTF8")));

    m_chunking = m_caps.chunking && (m_message.binary || m_message.needsChunking);
    m_pipelining = m_caps.pipelining;
    m_expected = {Expect::Mail};
    for (qsizetype i = 0; i < m_message.recipients.size(); ++i)
        m_expected.push_back(Expect::Rcpt);
    if (!m_chunking)
        m_expected.push_back(Expect::Data);
    m_nextRecipient = 0;
    m_waitingFor = QStringLiteral("the reply to MAIL");
    enterState(State::Envelope, m_target.timeouts.commandMs);

    QByteArray mail = "MAIL FROM:<" + m_message.mailFrom + '>';
    if (m_caps.sizeOffered)
        mail += " SIZE=" + QByteArray::number(m_message.data.size());
    if (m_message.binary)
        mail += " BODY=BINARYMIME";
    else if (m_message.eightBit)
        mail += " BODY=8BITMIME";
    if (m_message.smtpUtf8)
        mail += " SMTPUTF8";
    send(mail);
    if (m_pipelining) {
        // RFC 2920: the whole envelope in one go, DATA last; the replies come back in order.
        for (const QByteArray &address : m_message.recipients)
            send("RCPT TO:<" + address + '>');
        if (!m_chunking)
            send("DATA");
    }
}

void RelayClient::sendNextEnvelopeCommand()
{
    if (m_expected.front() == Expect::Rcpt) {
        m_waitingFor = QStringLiteral("the reply to RCPT");
        send("RCPT TO:<" + m_message.recipients.value(m_nextRecipient) + '>');
    } else {
        m_waitingFor = QStringLiteral("the reply to DATA");
        send("DATA");
    }
    m_timer.start(m_target.timeouts.commandMs);
}

void RelayClient::onEnvelope(const SmtpReply &reply)
{
    if (m_expected.empty())
        return conclude(Result::TemporaryFailure,
                        QStringLiteral("%1 sent a reply nothing asked for: %2")
                            .arg(m_target.address(), replyText(reply)),
                        false);
    const Expect expected = m_expected.front();
    m_expected.pop_front();
    m_timer.start(m_target.timeouts.commandMs);
    const auto acceptedCount = [this] {
        return std::count_if(m_attempt.recipients.cbegin(), m_attempt.recipients.cend(),
                             [](const RecipientOutcome &r) { return r.accepted(); });
    };
    switch (expected) {
    case Expect::Mail:
        if (!reply.isPositive()) {
            m_mailRefused = true;
            if (!m_pipelining)
                return failOn(reply, QStringLiteral("MAIL FROM:<%1> refused")
                                         .arg(QString::fromUtf8(m_message.mailFrom)));
            m_attempt.reason = QStringLiteral("MAIL FROM:<%1> refused: %2")
                                   .arg(QString::fromUtf8(m_message.mailFrom), replyText(reply));
            m_attempt.result =
                reply.code < 500 ? Result::TemporaryFailure : Result::PermanentFailure;
        }
        break;
    case Expect::Rcpt: {
        RecipientOutcome &outcome = m_attempt.recipients[m_nextRecipient++];
        outcome.code = reply.code;
        outcome.reply = reply.text();
        if (!outcome.accepted())
            record(Direction::Event, "[recipient " + outcome.address + " refused]");
        break;
    }
    case Expect::Data:
        if (reply.code == 354) {
            if (m_mailRefused || acceptedCount() == 0) {
                // RFC 2920 3.1: the server took DATA although nobody may receive it; an empty
                // body ends the transaction without delivering anything.
                m_waitingFor = QStringLiteral("the reply to the final dot");
                send(".");
                m_expected = {};
                enterState(State::Body, m_target.timeouts.dataEndMs);
                return;
            }
            return sendBody();
        }
        if (!m_mailRefused && acceptedCount() > 0)
            return failOn(reply, QStringLiteral("DATA refused"));
        break;
    }
    if (!m_expected.empty()) {
        if (!m_pipelining && !m_mailRefused &&
            !(m_expected.front() == Expect::Data && acceptedCount() == 0))
            sendNextEnvelopeCommand();
        else if (!m_pipelining)
            envelopeComplete();
        return;
    }
    envelopeComplete();
}

void RelayClient::envelopeComplete()
{
    m_expected = {};
    if (m_mailRefused) {
        // The recipients' 503s only echo the refused MAIL: none of them was really tried.
        for (RecipientOutcome &outcome : m_attempt.recipients)
            outcome = {outcome.address, 0, {}};
        return conclude(m_attempt.result, m_attempt.reason);
    }
    const auto refused = std::find_if(m_attempt.recipients.cbegin(), m_attempt.recipients.cend(),
                                      [](const RecipientOutcome &r) { return !r.accepted(); });
    const bool anyAccepted = std::any_of(m_attempt.recipients.cbegin(), m_attempt.recipients.cend(),
                                         [](const RecipientOutcome &r) { return r.accepted(); });
    if (!anyAccepted) {
        const bool temporary =
            std::any_of(m_attempt.recipients.cbegin(), m_attempt.recipients.cend(),
                        [](const RecipientOutcome &r) { return r.temporary(); });
        return conclude(
            temporary ? Result::TemporaryFailure : Result::PermanentFailure,
            QStringLiteral("every recipient was refused, %1: %2")
                .arg(QString::fromUtf8(refused->address), QString::fromLatin1(refused->reply)));
    }
    sendBody(); // only BDAT gets here: DATA's 354 sends the body itself
}

void RelayClient::sendBody()
{
    m_dataSent = true;
    const QByteArray &data = m_message.data;
    m_waitingFor = m_chunking ? QStringLiteral("the reply to BDAT")
                              : QStringLiteral("the reply to the final dot");
    enterState(State::Body, m_target.timeouts.dataEndMs);
    qint64 lines = data.count('\n');
    if (!data.isEmpty() && !data.endsWith('\n'))
        ++lines;
    if (m_chunking) {
        send("BDAT " + QByteArray::number(data.size()) + " LAST");
        record(Direction::Event, "[BDAT: " + QByteArray::number(data.size()) + " bytes]");
        m_socket->write(data);
        return;
    }
    record(Direction::Event, "[DATA: " + QByteArray::number(data.size()) + " bytes, " +
                                 QByteArray::number(lines) + " lines]");
    const QByteArray stuffed = dotStuffed(data);
    m_socket->write(stuffed);
    record(Direction::Client, ".\r\n");
}

void RelayClient::onBody(const SmtpReply &reply)
{
    const auto refusedCount =
        std::count_if(m_attempt.recipients.cbegin(), m_attempt.recipients.cend(),
                      [](const RecipientOutcome &r) { return !r.accepted(); });
    if (!m_dataSent) // the empty body after a 354 that should not have come: as without it
        return envelopeComplete();
    if (reply.code != 250)
        return failOn(reply, QStringLiteral("the message was refused"));
    if (refusedCount == 0)
        return conclude(Result::Delivered, replyText(reply));
    conclude(Result::Partial, QStringLiteral("%1; %2 of %3 recipients refused")
                                  .arg(replyText(reply))
                                  .arg(refusedCount)
                                  .arg(m_attempt.recipients.size()));
}

void RelayClient::conclude(DeliveryAttempt::Result result, const QString &reason, bool sayQuit)
{
    if (m_state == State::Done || m_state == State::Quit)
        return;
    m_attempt.result = result;
    m_attempt.reason = reason;
    record(Direction::Event,
           "[" + attemptResultName(result).toUtf8() + ": " + reason.toUtf8() + ']');
    const bool connected = m_socket->state() == QAbstractSocket::ConnectedState;
    // A transaction's own outcome leaves the connection fit for the next message.
    if (sayQuit && connected && m_transactionStarted && m_next) {
        if (const std::optional<OutgoingMessage> next = m_next()) {
            const bool reset = m_state == State::Envelope; // MAIL may have been accepted
            m_attempt.endedMs = nowMs();
            Q_EMIT finished(m_attempt);
            return carryOn(*next, reset);
        }
    }
    if (sayQuit && connected && m_state != State::Connecting && m_state != State::TlsHandshake) {
        m_waitingFor = QStringLiteral("the reply to QUIT");
        enterState(State::Quit, m_target.timeouts.commandMs);
        send("QUIT");
        return;
    }
    finish();
}

void RelayClient::finish()
{
    if (m_state == State::Done)
        return;
    enterState(State::Done, 0);
    m_attempt.endedMs = nowMs();
    m_socket->abort();
    Q_EMIT finished(m_attempt);
    Q_EMIT closed();
}
