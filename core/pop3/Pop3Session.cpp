#include "Pop3Session.h"

#include "pop3/Pop3Reply.h"
#include "store/MessageStore.h"

#include <QLoggingCategory>
#include <QSslSocket>

Q_LOGGING_CATEGORY(lcPop3, "smtpeek.pop3", QtInfoMsg)

namespace {
LineReader::Limits pop3Limits()
{
    LineReader::Limits limits;
    limits.maxCommandLine = 255; // RFC 2449 section 4, CRLF included
    limits.maxAuthLine = 12288;  // an AUTH line or SASL response may be longer (RFC 5034 4)
    return limits;
}
} // namespace

Pop3Session::Pop3Session(QIODevice *device, MessageStore *store, const Pop3Config &config,
                         QObject *parent)
    : QObject(parent), m_device(device), m_store(store), m_config(config), m_reader(pop3Limits())
{
    m_device->setParent(this);
    m_idle.setSingleShot(true);
    m_idle.setInterval(m_config.idleTimeoutMs);
    connect(&m_idle, &QTimer::timeout, this, [this] { close(pop3_reply::idleTimeout()); });
    connect(m_device, &QIODevice::readyRead, this, &Pop3Session::onReadyRead);
    if (auto *socket = qobject_cast<QAbstractSocket *>(m_device)) {
        // A vanished client deletes nothing: only QUIT enters the UPDATE state.
        connect(socket, &QAbstractSocket::disconnected, this, [this] {
            enterState(State::Closed);
            finish();
        });
    }
}

void Pop3Session::start()
{
    send(pop3_reply::greeting());
    m_idle.start();
}

void Pop3Session::shutdown()
{
    close(pop3_reply::shuttingDown());
}

void Pop3Session::enterState(State state)
{
    if (m_state == state)
        return;
    qCDebug(lcPop3) << "state" << int(m_state) << "->" << int(state);
    m_state = state;
    m_reader.setSaslResponseExpected(state == State::Authenticating);
}

void Pop3Session::send(const QByteArray &bytes)
{
    if (m_state != State::Closed)
        m_device->write(bytes);
}

void Pop3Session::close(const QByteArray &lastReply)
{
    if (m_state == State::Closed)
        return;
    m_device->write(lastReply);
    enterState(State::Closed);
    m_idle.stop();
    if (auto *socket = qobject_cast<QAbstractSocket *>(m_device)) {
        socket->disconnectFromHost();
        if (socket->state() != QAbstractSocket::UnconnectedState)
            return; // disconnected() follows once the reply is written
    } else {
        m_device->close();
    }
    finish();
}

void Pop3Session::finish()
{
    m_idle.stop();
    if (!std::exchange(m_finished, true))
        Q_EMIT closed();
}

void Pop3Session::refuse(const QByteArray &reply)
{
    if (++m_badCommands >= m_config.maxBadCommands) {
        close(pop3_reply::tooManyErrors());
        return;
    }
    send(reply);
}

void Pop3Session::onReadyRead()
{
    m_reader.append(m_device->readAll());
    while (m_state != State::Closed && m_state != State::TlsHandshake) {
        const LineReader::Event event = m_reader.next();
        if (event == LineReader::Event::NeedMore)
            break;
        m_idle.start();
        if (event == LineReader::Event::CommandTooLong) {
            if (m_state == State::Authenticating)
                enterState(State::Authorization);
            refuse(pop3_reply::lineTooLong());
            continue;
        }
        QByteArray line = m_reader.takeLine();
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        handle(line);
    }
}

void Pop3Session::handle(const QByteArray &line)
{
    if (m_state == State::Authenticating) {
        handleSaslResponse(line);
        return;
    }
    const Pop3Command command = parsePop3Command(line);
    if (command.verb == Pop3Command::Verb::Unknown) {
        refuse(pop3_reply::unknownCommand(command.keyword));
        return;
    }
    if (command.verb == Pop3Command::Verb::Capa) {
        const auto *ssl = qobject_cast<QSslSocket *>(m_device);
        send(pop3_reply::capabilities(m_state == State::Authorization && m_config.tls && ssl &&
                                      !ssl->isEncrypted()));
        return;
    }
    if (command.verb == Pop3Command::Verb::Quit) {
        quit();
        return;
    }
    if (m_state == State::Authorization)
        handleAuthorization(command);
    else
        handleTransaction(command);
}

void Pop3Session::handleAuthorization(const Pop3Command &command)
{
    using Verb = Pop3Command::Verb;
    switch (command.verb) {
    case Verb::User:
        if (command.args.size() != 1 || command.args[0].isEmpty()) {
            refuse(pop3_reply::syntax("USER name"));
            return;
        }
        m_user = command.args[0];
        send(pop3_reply::ok("send PASS"));
        return;
    case Verb::Pass:
        if (m_user.isEmpty()) {
            refuse(pop3_reply::err("USER first"));
            return;
        }
        login(std::exchange(m_user, {}), command.args.value(0));
        return;
    case Verb::Auth: {
        if (command.args.isEmpty() || command.args[0].toUpper() != "PLAIN" ||
            command.args.size() > 2) {
            refuse(pop3_reply::err("only AUTH PLAIN [initial-response]"));
            return;
        }
        enterState(State::Authenticating);
        answerSasl(m_sasl.start(command.args.join(' '), QByteArray()));
        return;
    }
    case Verb::Stls:
        startTls();
        return;
    default:
        refuse(pop3_reply::wrongState());
    }
}

void Pop3Session::handleSaslResponse(const QByteArray &line)
{
    answerSasl(m_sasl.respond(line));
}

void Pop3Session::answerSasl(const SaslExchange::Step &step)
{
    if (step.challenge) {
        send(pop3_reply::continuation(step.challenge->lines.value(0)));
        return;
    }
    enterState(State::Authorization);
    if (step.credentials) {
        login(step.credentials->user, step.credentials->password);
        return;
    }
    refuse(pop3_reply::err("[AUTH] " + (step.error ? step.error->lines.value(0) : "failed")));
}

void Pop3Session::login(const QByteArray &user, const QByteArray &password)
{
    const bool accepted = m_config.auth.mode == AuthPolicy::Mode::Off ||
                          m_config.auth.accepts({user, password, {}, {}});
    if (!accepted) {
        refuse(pop3_reply::loginFailed());
        return;
    }
    m_maildrop = Pop3Maildrop::open(*m_store, QString::fromUtf8(user));
    enterState(State::Transaction);
    send(pop3_reply::ok(QByteArray::number(m_maildrop.count()) + " messages (" +
                        QByteArray::number(m_maildrop.totalSize()) + " octets)"));
}

void Pop3Session::startTls()
{
    auto *ssl = qobject_cast<QSslSocket *>(m_device);
    if (!m_config.tls || !ssl || ssl->isEncrypted()) {
        refuse(pop3_reply::err("STLS is not available"));
        return;
    }
    // Whatever the client sent after STLS, before the handshake, is discarded (RFC 2595 4).
    m_reader.discardBuffered();
    send(pop3_reply::ok("begin TLS negotiation"));
    enterState(State::TlsHandshake);
    ssl->setSslConfiguration(*m_config.tls);
    connect(
        ssl, &QSslSocket::encrypted, this, [this] { enterState(State::Authorization); },
        Qt::SingleShotConnection);
    connect(ssl, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        if (m_state == State::TlsHandshake)
            close(QByteArray());
    });
    ssl->startServerEncryption();
}

void Pop3Session::handleTransaction(const Pop3Command &command)
{
    using Verb = Pop3Command::Verb;
    switch (command.verb) {
    case Verb::Stat:
        send(pop3_reply::ok(QByteArray::number(m_maildrop.count()) + ' ' +
                            QByteArray::number(m_maildrop.totalSize())));
        return;
    case Verb::List:
    case Verb::Uidl:
        listing(command, command.verb == Verb::Uidl);
        return;
    case Verb::Retr:
    case Verb::Top:
        retrieve(command, command.verb == Verb::Top);
        return;
    case Verb::Dele: {
        const qint64 number = pop3MessageNumber(command.args.value(0));
        const Pop3Maildrop::Entry *entry = m_maildrop.entry(number);
        if (command.args.size() != 1 || !entry)
            refuse(pop3_reply::noSuchMessage(number));
        else if (!m_maildrop.markDeleted(number))
            refuse(pop3_reply::alreadyDeleted(number));
        else
            send(pop3_reply::ok("message " + QByteArray::number(number) + " deleted"));
        return;
    }
    case Verb::Noop:
        send(pop3_reply::ok("nothing done"));
        return;
    case Verb::Rset:
        m_maildrop.undeleteAll();
        send(pop3_reply::ok(QByteArray::number(m_maildrop.count()) + " messages"));
        return;
    default:
        refuse(pop3_reply::wrongState());
    }
}

void Pop3Session::listing(const Pop3Command &command, bool uidl)
{
    const auto line = [uidl](qint64 number, const Pop3Maildrop::Entry &e) {
        return QByteArray::number(number) + ' ' + QByteArray::number(uidl ? e.id : e.size);
    };
    if (command.args.size() > 1) {
        refuse(pop3_reply::syntax(uidl ? "UIDL [msg]" : "LIST [msg]"));
        return;
    }
    if (command.args.size() == 1) {
        const qint64 number = pop3MessageNumber(command.args[0]);
        const Pop3Maildrop::Entry *entry = m_maildrop.entry(number);
        if (!entry || entry->deleted)
            refuse(entry ? pop3_reply::alreadyDeleted(number) : pop3_reply::noSuchMessage(number));
        else
            send(pop3_reply::ok(line(number, *entry)));
        return;
    }
    QByteArray out = pop3_reply::ok(QByteArray::number(m_maildrop.count()) + " messages");
    for (qint64 number = 1; number <= m_maildrop.size(); ++number) {
        const Pop3Maildrop::Entry *entry = m_maildrop.entry(number);
        if (!entry->deleted)
            out += line(number, *entry) + "\r\n";
    }
    send(out + ".\r\n");
}

void Pop3Session::retrieve(const Pop3Command &command, bool top)
{
    const qint64 number = pop3MessageNumber(command.args.value(0));
    const QByteArray lines = command.args.value(1);
    const bool linesValid =
        !lines.isEmpty() && lines.size() <= 9 &&
        std::all_of(lines.cbegin(), lines.cend(), [](char c) { return c >= '0' && c <= '9'; });
    if (command.args.size() != (top ? 2 : 1) || (top && !linesValid)) {
        refuse(pop3_reply::syntax(top ? "TOP msg n" : "RETR msg"));
        return;
    }
    const Pop3Maildrop::Entry *entry = m_maildrop.entry(number);
    if (!entry || entry->deleted) {
        refuse(entry ? pop3_reply::alreadyDeleted(number) : pop3_reply::noSuchMessage(number));
        return;
    }
    const std::optional<QByteArray> raw = m_store->raw(entry->id);
    if (!raw) {
        refuse(
            pop3_reply::err("message " + QByteArray::number(number) + " is gone from the store"));
        return;
    }
    send(pop3_reply::ok(QByteArray::number(raw->size()) + " octets") +
         Pop3Maildrop::multiline(*raw, top ? lines.toLongLong() : -1));
}

void Pop3Session::quit()
{
    if (m_state == State::Transaction) {
        const QList<qint64> ids = m_maildrop.deletedIds();
        if (!ids.isEmpty())
            m_store->removeMessages(ids); // returns once the removal is durable
        close(pop3_reply::ok(QByteArray::number(ids.size()) + " messages deleted, bye"));
        return;
    }
    close(pop3_reply::bye());
}
