#include "SmtpSession.h"

#include "store/MessageStore.h"

#include <QAbstractSocket>
#include <QDateTime>
#include <QSslSocket>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcSession, "smtpeek.session", QtInfoMsg)

namespace {
constexpr quint32 bit(SmtpSession::State s) { return 1u << static_cast<int>(s); }
constexpr quint32 kAnyState = bit(SmtpSession::State::Connected) | bit(SmtpSession::State::Greeted) |
                              bit(SmtpSession::State::MailGiven) | bit(SmtpSession::State::RcptGiven) |
                              bit(SmtpSession::State::ReceivingChunks);
constexpr int kCloseGraceMs = 10 * 1000;

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

LineReader::Limits readerLimits(const SmtpLimits &limits)
{
    LineReader::Limits reader;
    reader.maxCommandLine = limits.maxCommandLine;
    reader.maxTextLine = limits.maxTextLine;
    reader.maxMessageSize = limits.maxMessageSize;
    return reader;
}

SmtpReply authRequired() { return SmtpReply{530, "5.7.0", {"Authentication required"}}; }
SmtpReply tlsRequired() { return SmtpReply{530, "5.7.0", {"Must issue a STARTTLS command first"}}; }
} // namespace

const SmtpSession::CommandRule SmtpSession::kCommands[] = {
    {Verb::Helo, kAnyState, &SmtpSession::handleHelo},
    {Verb::Ehlo, kAnyState, &SmtpSession::handleEhlo},
    {Verb::Mail, bit(State::Greeted), &SmtpSession::handleMail},
    {Verb::Rcpt, bit(State::MailGiven) | bit(State::RcptGiven), &SmtpSession::handleRcpt},
    {Verb::Data, bit(State::RcptGiven), &SmtpSession::handleData},
    // BDAT checks its own sequence: a refused chunk must still be read off the wire.
    {Verb::Bdat, kAnyState, &SmtpSession::handleBdat},
    {Verb::Rset, kAnyState, &SmtpSession::handleRset},
    {Verb::Noop, kAnyState, &SmtpSession::handleNoop},
    {Verb::Quit, kAnyState, &SmtpSession::handleQuit},
    {Verb::Vrfy, kAnyState, &SmtpSession::handleVrfy},
    {Verb::Help, kAnyState, &SmtpSession::handleHelp},
    {Verb::Expn, kAnyState, &SmtpSession::handleUnsupported},
    {Verb::Starttls, bit(State::Connected) | bit(State::Greeted), &SmtpSession::handleStarttls},
    {Verb::Auth, bit(State::Greeted), &SmtpSession::handleAuth},
};

SmtpSession::SmtpSession(QIODevice *device, MessageStore *store, const SessionConfig &config,
                         const SessionRecord &identity, QObject *parent)
    : QObject(parent), m_device(device), m_socket(qobject_cast<QAbstractSocket *>(device)),
      m_sslSocket(qobject_cast<QSslSocket *>(device)), m_store(store), m_config(config),
      m_record(identity), m_reader(readerLimits(config.limits)),
      m_budget(config.budget ? config.budget
                             : std::make_shared<MessageBudget>(config.limits.maxBytesInFlight))
{
    device->setParent(this);
    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, &SmtpSession::onIdleTimeout);
    m_dataTimer.setSingleShot(true);
    connect(&m_dataTimer, &QTimer::timeout, this, &SmtpSession::onDataTooSlow);
    connect(device, &QIODevice::readyRead, this, &SmtpSession::readInput);
    if (m_socket) {
        // Unread input stays in the kernel while a message is being stored: back-pressure. The
        // size bounds what one session holds between reads (bench/README.md, memory bounds).
        m_socket->setReadBufferSize(128 * 1024);
        connect(m_socket, &QAbstractSocket::disconnected, this, &SmtpSession::onPeerGone);
        connect(m_socket, &QAbstractSocket::errorOccurred, this, &SmtpSession::onSocketError);
    } else {
        connect(device, &QIODevice::readChannelFinished, this, &SmtpSession::onPeerGone);
    }
    if (m_sslSocket)
        connect(m_sslSocket, &QSslSocket::encrypted, this, &SmtpSession::onEncrypted);
}

SmtpSession::~SmtpSession()
{
    giveBackBudget();
}

void SmtpSession::start()
{
    m_record.startedMs = nowMs();
    m_record.end = SessionEnd::Active;
    Q_EMIT started(m_record);
    if (m_config.implicitTls && m_sslSocket && m_config.tls) {
        m_greetAfterHandshake = true;
        startTls();
    } else {
        sendGreeting();
        if (m_state == State::Closed)
            return; // refused at the greeting: finish() has saved and closed the session
    }
    m_store->saveSession(m_record);
    m_lastActivityMs = nowMs();
    m_idleTimer.start(m_state == State::TlsHandshake ? m_config.limits.tlsHandshakeTimeoutMs
                                                     : m_config.limits.idleTimeoutMs);
    endTurn();
    readInput(); // a client may have spoken before the greeting
}

void SmtpSession::enterState(State next)
{
    if (next == m_state)
        return;
    qCDebug(lcSession) << m_record.id << m_state << "->" << next;
    m_state = next;
    m_reader.setSaslResponseExpected(next == State::Authenticating);
}

void SmtpSession::record(TranscriptEntry::Direction direction, const QByteArray &bytes)
{
    if (!transcriptHasRoom(bytes.size()))
        return;
    const TranscriptEntry entry{nowMs(), direction, bytes};
    m_record.transcript.append(entry);
    m_pendingTranscript.append(entry);
}

void SmtpSession::endTurn()
{
    // The turn's replies leave in one write now, not on the next write notification.
    if (m_socket)
        m_socket->flush();
    if (m_pendingTranscript.isEmpty())
        return;
    if (!m_config.liveTranscript) {
        m_pendingTranscript.clear(); // nobody watches: the record keeps the transcript anyway
        return;
    }
    Q_EMIT transcriptAppended(m_record.id, std::exchange(m_pendingTranscript, {}));
}

void SmtpSession::warnSession(const QString &warning)
{
    if (!m_record.warnings.contains(warning))
        m_record.warnings.append(warning);
}

void SmtpSession::reply(const SmtpReply &reply)
{
    const QByteArray wire = reply.toWire();
    if (const int tarpitMs = std::exchange(m_tarpitMs, 0);
        tarpitMs > 0 || !m_slowOutput.isEmpty()) {
        m_slowOutput += wire; // after what the tarpit still has to send, in order
        if (!m_slowTimer) {
            m_slowTimer = std::make_unique<QTimer>();
            connect(m_slowTimer.get(), &QTimer::timeout, this, &SmtpSession::writeSlowly);
        }
        if (!m_slowTimer->isActive())
            m_slowTimer->start(std::max(1, tarpitMs));
    } else if (m_device && m_device->isOpen()) {
        m_device->write(wire);
    }
    record(TranscriptEntry::Direction::Server, wire);
    // Refusals of the command itself count towards the limit; refusals of a message do not.
    const bool badCommand = reply.code >= 500 && reply.code != 552 && reply.code != 554;
    if (badCommand && ++m_badCommands >= m_config.limits.maxBadCommands) {
        const QByteArray last = Reply::tooManyErrors().toWire();
        if (m_device && m_device->isOpen())
            m_device->write(last);
        record(TranscriptEntry::Direction::Server, last);
        finish(SessionEnd::Error);
    }
}

void SmtpSession::readInput()
{
    if (!m_device || m_state == State::Storing || m_state == State::Delaying ||
        m_state == State::Closed || m_state == State::TlsHandshake)
        return;
    if (repliesBacklogged()) {
        // Unread, the input stays in the socket's buffer and then in the kernel's, which stops
        // the client's writes.
        resumeWhenRepliesSent();
        return;
    }
    const QByteArray bytes = m_device->readAll();
    if (!bytes.isEmpty()) {
        m_lastActivityMs = nowMs(); // cheaper than restarting the timer on every read
        m_reader.append(bytes);
    }
    processInput();
}

void SmtpSession::processInput()
{
    bool backlogged = false;
    do {
        backlogged = !handleReadInput();
        endTurn();
        // Stopped for the backlog, and the flush handed it to the kernel: go on with the input
        // already read.
    } while (backlogged && !repliesBacklogged());
    if (m_reader.mode() != LineReader::Mode::Command)
        accountMessageBytes(); // a body still arriving
    if (backlogged)
        resumeWhenRepliesSent();
}

bool SmtpSession::handleReadInput()
{
    while (m_state != State::Storing && m_state != State::Delaying && m_state != State::Closed &&
           m_state != State::TlsHandshake) {
        if (repliesBacklogged())
            return false;
        switch (m_reader.next()) {
        case LineReader::Event::CommandLine:
            handleLine(m_reader.takeLine());
            break;
        case LineReader::Event::CommandTooLong:
            record(TranscriptEntry::Direction::Event, "[command line too long: discarded]");
            reply(Reply::lineTooLong());
            break;
        case LineReader::Event::DataComplete:
            onDataComplete();
            break;
        case LineReader::Event::ChunkComplete:
            onChunkComplete();
            break;
        case LineReader::Event::NeedMore:
            return true;
        }
    }
    return true;
}

bool SmtpSession::repliesBacklogged() const
{
    return !m_slowOutput.isEmpty() || (m_device && m_device->bytesToWrite() > kMaxUnsentReplyBytes);
}

void SmtpSession::resumeWhenRepliesSent()
{
    if (m_resumeOnRepliesSent)
        return;
    m_resumeOnRepliesSent = connect(m_device, &QIODevice::bytesWritten, this, [this] {
        if (repliesBacklogged())
            return;
        disconnect(std::exchange(m_resumeOnRepliesSent, {}));
        readInput();
    });
}

void SmtpSession::handleLine(const QByteArray &line)
{
    const bool bareLf = m_reader.lineEndedWithBareLf();
    if (bareLf)
        warnSession(QStringLiteral("A command line ended with a bare LF instead of CRLF"));
    if (m_state == State::Authenticating) {
        record(TranscriptEntry::Direction::Client,
               (m_config.auth.maskSecrets ? QByteArray(SaslExchange::kHiddenCredentials) : line) +
                   (bareLf ? "\n" : "\r\n"));
        handleSaslResponse(line);
        return;
    }

    const Command command = parseCommand(line);
    record(TranscriptEntry::Direction::Client,
           transcriptLine(command, line) + (bareLf ? "\n" : "\r\n"));
    for (const CommandRule &rule : kCommands) {
        if (rule.verb != command.verb)
            continue;
        if (!(rule.allowedStates & bit(m_state))) {
            reply(*sequenceError(command.verb));
            return;
        }
        (this->*rule.handle)(command);
        return;
    }
    reply(Reply::unrecognized());
}

QByteArray SmtpSession::transcriptLine(const Command &command, const QByteArray &line) const
{
    // "AUTH PLAIN <initial response>": keep the mechanism, hide the secret.
    if (command.verb != Verb::Auth || !m_config.auth.maskSecrets || !command.argument.contains(' '))
        return line;
    return command.verbText + ' ' + command.argument.left(command.argument.indexOf(' ')) + ' ' +
           SaslExchange::kHiddenCredentials;
}

std::optional<SmtpReply> SmtpSession::sequenceError(Verb verb) const
{
    if (m_state == State::ReceivingChunks && verb != Verb::Bdat)
        return Reply::badSequence("BDAT transfer in progress, send BDAT or RSET");
    switch (verb) {
    case Verb::Mail:
        if (m_state == State::Connected)
            return Reply::badSequence("send HELO/EHLO first");
        if (m_state != State::Greeted)
            return Reply::badSequence("nested MAIL command");
        break;
    case Verb::Rcpt:
        if (m_state != State::MailGiven && m_state != State::RcptGiven)
            return Reply::badSequence("need MAIL before RCPT");
        break;
    case Verb::Starttls:
        return Reply::badSequence("STARTTLS is not allowed inside a mail transaction");
    case Verb::Auth:
        if (m_state == State::Connected)
            return Reply::badSequence("send EHLO first");
        return Reply::badSequence("AUTH is not allowed inside a mail transaction");
    case Verb::Data:
    case Verb::Bdat:
        if (m_state == State::MailGiven)
            return Reply::badSequence("need RCPT before " + QByteArray(verb == Verb::Data ? "DATA" : "BDAT"));
        if (m_state != State::RcptGiven && m_state != State::ReceivingChunks)
            return Reply::badSequence("need MAIL and RCPT first");
        break;
    default:
        break;
    }
    return std::nullopt;
}

QList<QByteArray> SmtpSession::extensions() const
{
    QList<QByteArray> extensions = {"SIZE " + QByteArray::number(m_config.limits.maxMessageSize),
                                    "8BITMIME",
                                    "BINARYMIME",
                                    "PIPELINING",
                                    "ENHANCEDSTATUSCODES",
                                    "SMTPUTF8",
                                    "CHUNKING"};
    if (m_config.tls && m_sslSocket && !isEncrypted())
        extensions.append("STARTTLS");
    if (m_config.auth.enabled() && (!m_config.auth.onlyOverTls || isEncrypted()))
        extensions.append("AUTH " + SaslExchange::mechanismNames().join(' '));
    extensions.append("HELP");
    return extensions;
}

void SmtpSession::sendGreeting()
{
    if (!hooksTake(SmtpStage::Connect, [this] { sendGreeting(); }))
        reply(Reply::greeting(m_config.hostname));
}

void SmtpSession::greet(const Command &command, bool extended)
{
    if (command.argument.isEmpty()) {
        reply(Reply::syntax(extended ? "EHLO domain" : "HELO domain"));
        return;
    }
    if (hooksTake(
            SmtpStage::Helo, [this, command, extended] { greet(command, extended); },
            command.argument))
        return;
    if (!isValidClientName(command.argument))
        warnSession(QStringLiteral("%1 argument is not a domain or address literal")
                        .arg(QString::fromLatin1(extended ? "EHLO" : "HELO")));
    m_record.helo = command.argument;
    resetTransaction();
    enterState(State::Greeted);
    reply(extended ? Reply::ehlo(m_config.hostname, command.argument, extensions())
                   : Reply::helo(m_config.hostname, command.argument));
}

void SmtpSession::handleHelo(const Command &command) { greet(command, false); }
void SmtpSession::handleEhlo(const Command &command) { greet(command, true); }

void SmtpSession::handleMail(const Command &command)
{
    if (m_config.requireTls && !isEncrypted()) {
        reply(tlsRequired());
        return;
    }
    if (m_config.auth.required && m_record.authUser.isEmpty()) {
        reply(authRequired());
        return;
    }
    const Parsed<MailCommand> mail = parseMail(command.argument);
    if (!mail.ok()) {
        reply(*mail.error);
        return;
    }
    if (mail.value.size > m_config.limits.maxMessageSize) {
        reply(Reply::messageTooBig(m_config.limits.maxMessageSize));
        return;
    }
    if (hooksTake(
            SmtpStage::Mail, [this, command] { handleMail(command); }, mail.value.sender))
        return;
    resetTransaction();
    if (!admitMessage(mail.value.size)) {
        reply(Reply::tooMuchInFlight());
        return;
    }
    if (mail.value.lenientSyntax) {
        const QString warning = QStringLiteral("MAIL FROM path without RFC 5321 syntax "
                                               "(missing angle brackets or a space after the colon)");
        warnSession(warning);
        m_transactionWarnings.append(warning);
    }
    m_envelope.mailFrom = mail.value.sender;
    m_envelope.body = mail.value.body;
    m_envelope.smtpUtf8 = mail.value.smtpUtf8;
    m_envelope.declaredSize = mail.value.size;
    m_envelope.authParameter = mail.value.authParameter;
    m_transactionFirstEntry = int(m_record.transcript.size()) - 1;
    enterState(State::MailGiven);
    reply(Reply::senderOk());
}

void SmtpSession::handleRcpt(const Command &command)
{
    const Parsed<RcptCommand> rcpt = parseRcpt(command.argument, m_envelope.smtpUtf8);
    if (!rcpt.ok()) {
        reply(*rcpt.error);
        return;
    }
    if (m_envelope.rcptTo.size() >= m_config.limits.maxRecipients) {
        reply(Reply::tooManyRecipients());
        return;
    }
    if (hooksTake(
            SmtpStage::Rcpt, [this, command] { handleRcpt(command); }, rcpt.value.recipient))
        return;
    if (rcpt.value.lenientSyntax) {
        const QString warning = QStringLiteral("RCPT TO path without RFC 5321 syntax "
                                               "(missing angle brackets or a space after the colon)");
        warnSession(warning);
        if (!m_transactionWarnings.contains(warning))
            m_transactionWarnings.append(warning);
    }
    m_envelope.rcptTo.append(rcpt.value.recipient);
    enterState(State::RcptGiven);
    reply(Reply::recipientOk());
}

void SmtpSession::handleData(const Command &command)
{
    if (!command.argument.isEmpty()) {
        reply(Reply::syntax("DATA"));
        return;
    }
    if (m_envelope.body == Envelope::Body::BinaryMime) {
        reply(Reply::badSequence("BODY=BINARYMIME needs BDAT, not DATA"));
        return;
    }
    if (hooksTake(SmtpStage::Data, [this, command] { handleData(command); }))
        return;
    m_reader.beginMessage(m_envelope.declaredSize);
    m_reader.expectData();
    m_dataTimer.start(m_config.limits.maxDataMs);
    enterState(State::ReceivingData);
    reply(Reply::startData());
}

void SmtpSession::handleBdat(const Command &command)
{
    const Parsed<BdatCommand> bdat = parseBdat(command.argument);
    if (!bdat.ok()) {
        reply(*bdat.error);
        return;
    }
    m_discardChunk = sequenceError(Verb::Bdat).has_value();
    if (!m_discardChunk && m_config.hooks) {
        // A refusal is answered once the chunk is read; a delay holds the chunk unread.
        StageVerdict verdict =
            m_heldVerdict ? *std::exchange(m_heldVerdict, std::nullopt)
                          : m_config.hooks->decide(
                                StageContext{SmtpStage::Bdat, m_record, m_envelope, {}, nullptr});
        if (verdict.delayMs > 0) {
            holdAnswer(std::move(verdict), [this, command] { handleBdat(command); });
            return;
        }
        m_tarpitMs = verdict.tarpitMs;
        if (verdict.action != StageVerdict::Action::Proceed) {
            m_chunkVerdict = std::move(verdict);
            m_discardChunk = true;
        }
    }
    m_chunkLast = bdat.value.last;
    if (m_state == State::RcptGiven && !m_discardChunk)
        m_dataTimer.start(m_config.limits.maxDataMs);
    if (m_state == State::RcptGiven || m_discardChunk)
        m_reader.beginMessage(m_discardChunk ? 0 : m_envelope.declaredSize);
    m_reader.expectChunk(bdat.value.size);
    if (!m_discardChunk)
        enterState(State::ReceivingChunks);
}

void SmtpSession::handleRset(const Command &command)
{
    if (!command.argument.isEmpty()) {
        reply(Reply::syntax("RSET"));
        return;
    }
    resetTransaction();
    enterState(m_record.helo.isEmpty() ? State::Connected : State::Greeted);
    reply(Reply::resetOk());
}

void SmtpSession::handleNoop(const Command &) { reply(Reply::noop()); }

void SmtpSession::handleQuit(const Command &command)
{
    if (hooksTake(SmtpStage::Quit, [this, command] { handleQuit(command); })) {
        if (m_state == State::Delaying)
            return;
    } else {
        reply(Reply::bye());
    }
    finish(SessionEnd::Quit);
}

void SmtpSession::handleVrfy(const Command &command)
{
    reply(command.argument.isEmpty() ? Reply::syntax("VRFY <string>") : Reply::vrfy());
}

void SmtpSession::handleHelp(const Command &) { reply(Reply::help()); }

void SmtpSession::handleUnsupported(const Command &command)
{
    reply(Reply::unsupportedCommand(command.verbText.toUpper()));
}

void SmtpSession::onDataComplete()
{
    accountMessageBytes();
    const LineReader::BodyStats &stats = m_reader.bodyStats();
    record(TranscriptEntry::Direction::Event, "[DATA: " + QByteArray::number(stats.size) +
                                                  " bytes, " + QByteArray::number(stats.lines) +
                                                  " lines]");
    if (stats.overflow) {
        refuseMessage(m_overBudget ? Reply::tooMuchInFlight()
                                   : Reply::messageTooBig(m_config.limits.maxMessageSize));
        return;
    }
    if (stats.bareLf)
        m_transactionWarnings.append(
            QStringLiteral("Bare LF in message data (RFC 5321 2.3.8 requires CRLF)"));
    if (stats.bareCr)
        m_transactionWarnings.append(
            QStringLiteral("Bare CR in message data (RFC 5321 2.3.8 requires CRLF)"));
    if (stats.nulByte)
        m_transactionWarnings.append(QStringLiteral("NUL byte in message data"));
    if (stats.eightBit && m_envelope.body != Envelope::Body::EightBitMime)
        m_transactionWarnings.append(
            QStringLiteral("8-bit data without BODY=8BITMIME (RFC 6152)"));
    if (stats.longestLine > m_config.limits.maxTextLine) {
        if (m_config.limits.strictLineLength) {
            refuseMessage(Reply::lineTooLongInData());
            return;
        }
        m_transactionWarnings.append(
            QStringLiteral("Text line of %1 octets exceeds the 1000-octet limit (RFC 5321 "
                           "4.5.3.1.6)")
                .arg(stats.longestLine));
    }
    submitMessage(m_reader.takeMessage());
}

void SmtpSession::onChunkComplete()
{
    accountMessageBytes();
    const LineReader::BodyStats &stats = m_reader.bodyStats();
    record(TranscriptEntry::Direction::Event,
           "[BDAT chunk: " + QByteArray::number(stats.size) + " bytes so far" +
               (m_chunkLast ? ", LAST]" : "]"));
    if (m_discardChunk) {
        m_reader.takeMessage();
        if (const std::optional<StageVerdict> verdict = std::exchange(m_chunkVerdict, {})) {
            endTransaction(); // RFC 3030 4.2: a refused chunk fails the whole transaction
            answerWith(*verdict);
        } else {
            reply(*sequenceError(Verb::Bdat));
        }
        return;
    }
    if (stats.overflow) {
        refuseMessage(m_overBudget ? Reply::tooMuchInFlight()
                                   : Reply::messageTooBig(m_config.limits.maxMessageSize));
        return;
    }
    if (m_chunkLast)
        submitMessage(m_reader.takeMessage());
    else
        reply(Reply::chunkReceived(stats.size));
}

void SmtpSession::refuseMessage(const SmtpReply &why)
{
    endTransaction();
    reply(why);
}

void SmtpSession::endTransaction()
{
    resetTransaction();
    m_reader.takeMessage();
    enterState(State::Greeted);
}

void SmtpSession::submitMessage(const QByteArray &raw)
{
    if (hooksTake(
            SmtpStage::Message, [this, raw] { submitMessage(raw); }, {}, &raw)) {
        if (m_state != State::Delaying && m_state != State::Closed)
            endTransaction();
        return;
    }
    MessageRecord message;
    message.id = m_store->allocateMessageId();
    message.sessionId = m_record.id;
    message.receivedMs = nowMs();
    message.envelope = m_envelope;
    message.helo = m_record.helo;
    message.peerAddress = m_record.peerAddress;
    message.peerPort = m_record.peerPort;
    message.tls = m_record.tls;
    message.authUser = m_record.authUser;
    message.raw = raw;
    message.warnings = m_transactionWarnings;
    message.transcriptFirst = m_transactionFirstEntry;
    message.transcriptLast = int(m_record.transcript.size()); // the reply that comes next
    m_dataTimer.stop(); // the message is whole: the store's time is not the client's
    enterState(State::Storing);
    const qint64 id = message.id;
    m_store->saveMessage(message, this, [this, id](bool stored) { onStored(stored, id); });
}

void SmtpSession::onStored(bool stored, qint64 messageId)
{
    resetTransaction();
    enterState(State::Greeted);
    if (stored)
        ++m_record.messageCount;
    reply(stored ? Reply::queued(messageId) : Reply::storageFailed());
    if (m_state == State::Closed)
        return;
    if (m_shutdownRequested) {
        shutdown();
    } else if (m_peerGone) {
        finish(SessionEnd::Dropped);
    } else {
        m_lastActivityMs = nowMs();
        readInput();
    }
    endTurn();
}

void SmtpSession::resetTransaction()
{
    giveBackBudget();
    m_dataTimer.stop();
    m_envelope = Envelope{};
    m_transactionWarnings.clear();
    m_transactionFirstEntry = -1;
}

void SmtpSession::shutdown()
{
    if (m_state == State::Closed)
        return;
    if (m_state == State::Storing) {
        m_shutdownRequested = true; // answer the message first: it may already be durable
        return;
    }
    reply(Reply::shuttingDown());
    finish(SessionEnd::Shutdown);
}

void SmtpSession::onIdleTimeout()
{
    if (m_state == State::Closed) {
        if (m_socket)
            m_socket->abort(); // the close grace is over; disconnected() calls closeDevice()
        return;
    }
    if (m_state == State::TlsHandshake) {
        record(TranscriptEntry::Direction::Event,
               "[TLS handshake timed out after " +
                   QByteArray::number(m_config.limits.tlsHandshakeTimeoutMs / 1000.0) + " s]");
        finish(SessionEnd::Timeout);
        return;
    }
    const qint64 idleMs = nowMs() - m_lastActivityMs;
    const bool busy = m_state == State::Storing || m_state == State::Delaying;
    if (busy || idleMs < m_config.limits.idleTimeoutMs) {
        // Busy (the client waits on the store or a rule) or active since the timer started: wait
        // again.
        m_idleTimer.start(busy ? m_config.limits.idleTimeoutMs
                               : int(m_config.limits.idleTimeoutMs - idleMs));
        return;
    }
    reply(Reply::idleTimeout());
    finish(SessionEnd::Timeout);
}

void SmtpSession::onPeerGone()
{
    if (m_state == State::Closed) {
        closeDevice();
        return;
    }
    if (m_device && m_device->bytesAvailable() > 0)
        readInput();
    if (m_state == State::Storing) {
        m_peerGone = true;
        return;
    }
    if (m_state != State::Closed) {
        record(TranscriptEntry::Direction::Event, "[connection closed by client]");
        finish(SessionEnd::Dropped);
    }
}

void SmtpSession::finish(SessionEnd end)
{
    if (m_state == State::Closed)
        return;
    enterState(State::Closed);
    m_idleTimer.stop();
    if (!m_slowOutput.isEmpty()) { // a tarpit gives way to closing: the rest goes out at once
        m_slowTimer->stop();
        if (m_device && m_device->isOpen())
            m_device->write(std::exchange(m_slowOutput, {}));
    }
    m_dataTimer.stop();
    m_record.end = end;
    m_record.endedMs = nowMs();
    noteTranscriptDropped();
    m_record.transcript.squeeze();
    endTurn();
    m_store->saveSession(m_record);
    Q_EMIT finished(m_record);
    closeDevice();
}

void SmtpSession::closeDevice()
{
    if (m_closeEmitted)
        return;
    if (m_socket && m_socket->state() != QAbstractSocket::UnconnectedState) {
        // Let queued replies (221, 421) reach the client; give up after a grace period. finish()
        // has ended the turn, so they are usually written already and the socket closes (and
        // calls back here) right away.
        m_socket->disconnectFromHost();
        if (m_socket->state() != QAbstractSocket::UnconnectedState) {
            m_idleTimer.start(kCloseGraceMs);
            return; // disconnected() calls back here
        }
        if (m_closeEmitted)
            return; // it already has
    } else if (m_device) {
        m_device->close();
    }
    m_closeEmitted = true;
    Q_EMIT closed();
}
