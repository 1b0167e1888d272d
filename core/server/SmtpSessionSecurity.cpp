// The commands that change who the client is: STARTTLS with its handshake, and AUTH with its SASL
// exchange. The rest of the session is in SmtpSession.cpp.
#include "SmtpSession.h"

#include <QDateTime>
#include <QSslCipher>
#include <QSslSocket>

namespace {
QString protocolName(QSsl::SslProtocol protocol)
{
    switch (protocol) {
    case QSsl::TlsV1_2:
        return QStringLiteral("TLSv1.2");
    case QSsl::TlsV1_3:
        return QStringLiteral("TLSv1.3");
    default:
        return QStringLiteral("TLS");
    }
}

SmtpReply encryptionRequired()
{
    return SmtpReply{538, "5.7.11", {"Encryption required for requested authentication mechanism"}};
}
} // namespace

bool SmtpSession::isEncrypted() const { return m_sslSocket && m_sslSocket->isEncrypted(); }

void SmtpSession::handleStarttls(const Command &command)
{
    if (!m_config.tls || !m_sslSocket) {
        handleUnsupported(command);
        return;
    }
    if (!command.argument.isEmpty()) {
        reply(Reply::syntax("STARTTLS"));
        return;
    }
    if (isEncrypted()) {
        reply(Reply::badSequence("TLS is already active"));
        return;
    }
    if (hooksTake(SmtpStage::Starttls, [this, command] { handleStarttls(command); }))
        return;
    reply(SmtpReply{220, "2.0.0", {"Ready to start TLS"}});
    // Whatever the client pipelined after STARTTLS was sent in the clear and must not be
    // executed inside the TLS session (CVE-2011-0411).
    const qsizetype injected = m_reader.buffered() + m_device->bytesAvailable();
    m_reader.discardBuffered();
    m_device->readAll();
    if (injected > 0) {
        record(TranscriptEntry::Direction::Event,
               "[discarded " + QByteArray::number(injected) +
                   " bytes sent after STARTTLS before the handshake]");
        warnSession(QStringLiteral("The client sent data after STARTTLS before the TLS "
                                   "handshake (command injection attempt); it was discarded"));
    }
    startTls();
}

void SmtpSession::startTls()
{
    resetTransaction();
    m_record.helo.clear(); // RFC 3207 4.2: the client must greet again
    m_record.authUser.clear();
    enterState(State::TlsHandshake);
    m_idleTimer.start(m_config.limits.tlsHandshakeTimeoutMs);
    m_sslSocket->setSslConfiguration(*m_config.tls);
    m_sslSocket->startServerEncryption();
}

void SmtpSession::onEncrypted()
{
    const QSslCipher cipher = m_sslSocket->sessionCipher();
    m_record.tls = TlsInfo{protocolName(m_sslSocket->sessionProtocol()), cipher.name()};
    record(TranscriptEntry::Direction::Event, "[TLS established: " + m_record.tls.protocol.toLatin1() +
                                                  ' ' + m_record.tls.cipher.toLatin1() + ']');
    enterState(State::Connected);
    if (std::exchange(m_greetAfterHandshake, false)) {
        sendGreeting();
        if (m_state == State::Closed)
            return;
    }
    m_lastActivityMs = QDateTime::currentMSecsSinceEpoch();
    m_idleTimer.start(m_config.limits.idleTimeoutMs);
    readInput();
    endTurn();
}

void SmtpSession::onSocketError()
{
    if (m_state != State::TlsHandshake)
        return; // ordinary disconnects arrive through disconnected()
    record(TranscriptEntry::Direction::Event,
           "[TLS handshake failed: " + m_socket->errorString().toUtf8() + ']');
    warnSession(QStringLiteral("TLS handshake failed: %1").arg(m_socket->errorString()));
    finish(SessionEnd::Error);
}

void SmtpSession::handleAuth(const Command &command)
{
    if (!m_config.auth.enabled()) {
        handleUnsupported(command);
        return;
    }
    if (!m_record.authUser.isEmpty()) {
        reply(Reply::badSequence("already authenticated"));
        return;
    }
    if (m_config.auth.onlyOverTls && !isEncrypted()) {
        reply(encryptionRequired());
        return;
    }
    handleSaslStep(m_sasl.start(command.argument, m_config.hostname));
}

void SmtpSession::handleSaslResponse(const QByteArray &line)
{
    handleSaslStep(m_sasl.respond(line));
}

void SmtpSession::handleSaslStep(const SaslExchange::Step &step)
{
    if (step.challenge) {
        enterState(State::Authenticating);
        reply(*step.challenge);
        return;
    }
    enterState(State::Greeted);
    if (step.error) {
        reply(*step.error);
        return;
    }
    if (!m_config.auth.accepts(*step.credentials)) {
        reply(SmtpReply{535, "5.7.8", {"Authentication credentials invalid"}});
        return;
    }
    if (hooksTake(
            SmtpStage::Auth, [this, step] { handleSaslStep(step); }, step.credentials->user))
        return;
    m_record.authUser = QString::fromUtf8(step.credentials->user);
    record(TranscriptEntry::Direction::Event, "[authenticated as " + step.credentials->user + ']');
    reply(SmtpReply{235, "2.7.0", {"Authentication successful"}});
}
