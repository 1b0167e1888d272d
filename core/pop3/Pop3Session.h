#pragma once

#include "pop3/Pop3Command.h"
#include "pop3/Pop3Maildrop.h"
#include "protocol/LineReader.h"
#include "protocol/SaslExchange.h"
#include "server/AuthPolicy.h"

#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <optional>

class MessageStore;
class QIODevice;

struct Pop3Config
{
    std::optional<QSslConfiguration> tls; // STLS is offered when set (needs a QSslSocket)
    AuthPolicy auth; // as for SMTP; with AUTH off any login is accepted, there is no check
    int idleTimeoutMs = 600000; // RFC 1939 section 3: at least 10 minutes
    int maxBadCommands = 20;
};

// One POP3 conversation over any QIODevice. The state has one variable, written only by
// enterState(); every reply goes through send(). Lines are framed by the project's LineReader
// (255 octets a command, RFC 2449), SASL PLAIN by its SaslExchange.
class Pop3Session : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Authorization,  // USER/PASS, AUTH, STLS, CAPA, QUIT
        Authenticating, // inside AUTH PLAIN, reading the client's response line
        TlsHandshake,   // after STLS, until encrypted
        Transaction,    // logged in: the maildrop is open
        Closed,         // QUIT answered, or the connection is being dropped
    };

    Pop3Session(QIODevice *device, MessageStore *store, const Pop3Config &config,
                QObject *parent = nullptr);

    void start();
    void shutdown(); // -ERR and close, without deleting anything
    State state() const { return m_state; }

Q_SIGNALS:
    void closed(); // the device is closed; the session may be deleted

private:
    void onReadyRead();
    void handle(const QByteArray &line);
    void handleAuthorization(const Pop3Command &command);
    void handleTransaction(const Pop3Command &command);
    void handleSaslResponse(const QByteArray &line);
    void startTls();
    void login(const QByteArray &user, const QByteArray &password);
    void answerSasl(const SaslExchange::Step &step);
    void listing(const Pop3Command &command, bool uidl);
    void retrieve(const Pop3Command &command, bool top);
    void quit();
    void refuse(const QByteArray &reply);
    void send(const QByteArray &bytes);
    void close(const QByteArray &lastReply);
    void finish(); // emits closed(), once
    void enterState(State state);

    QIODevice *m_device;
    MessageStore *m_store;
    Pop3Config m_config;
    LineReader m_reader;
    SaslExchange m_sasl;
    QTimer m_idle;
    State m_state = State::Authorization;
    QByteArray m_user; // after USER, until PASS
    Pop3Maildrop m_maildrop;
    int m_badCommands = 0;
    bool m_finished = false;
};
