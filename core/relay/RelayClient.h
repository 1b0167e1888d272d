#pragma once

#include "protocol/LineReader.h"
#include "protocol/SmtpReply.h"
#include "records/DeliveryRecord.h"
#include "relay/OutgoingMessage.h"
#include "relay/RelaySettings.h"
#include "relay/UpstreamCapabilities.h"

#include <QObject>
#include <QSslSocket>
#include <QTimer>

#include <deque>
#include <functional>
#include <optional>

// One outbound SMTP connection that hands messages to an upstream server, one transaction after
// another, and records how each went (DeliveryAttempt, with its part of the conversation as a
// transcript in the sessions' format). It is driven by its socket's signals; one state enum,
// written only by enterState(), and one function per state that decides what a reply leads to.
//
// A message without recipients only greets, says EHLO, STARTTLS and AUTH as configured and
// quits: the Settings dialog's "Test connection".
class RelayClient : public QObject
{
    Q_OBJECT
public:
    RelayClient(const RelayTarget &target, const OutgoingMessage &message,
                QObject *parent = nullptr);
    ~RelayClient() override;

    // Asked when a transaction has ended with the connection in order: the next message to send
    // on it, or none (then QUIT). Without it the client carries its one message only. Reusing
    // the connection saves the upstream and smtpeek a connect, a greeting, EHLO, TLS and AUTH.
    using NextMessage = std::function<std::optional<OutgoingMessage>()>;
    void setNextMessage(NextMessage next) { m_next = std::move(next); }

    void start();
    const DeliveryAttempt &attempt() const { return m_attempt; }
    // What the last EHLO offered (after STARTTLS: the second one).
    const UpstreamCapabilities &capabilities() const { return m_caps; }

Q_SIGNALS:
    void finished(const DeliveryAttempt &attempt); // once per message
    void closed(); // after the last finished(): the client may be deleted

private:
    enum class State
    {
        Idle,
        Connecting, // TCP, and for SMTPS the TLS handshake
        Greeting,   // waiting for 220
        Ehlo,
        Helo,         // the upstream did not know EHLO
        StartTls,     // waiting for 220 to STARTTLS
        TlsHandshake, // after STARTTLS
        Auth,
        Reset,    // waiting for 250 to RSET, before the next message on this connection
        Envelope, // MAIL, RCPT, DATA: replies consumed in order (pipelined or not)
        Body,     // data sent, waiting for the reply to "." or BDAT LAST
        Quit,
        Done,
    };
    // What a reply in the Envelope state answers.
    enum class Expect
    {
        Mail,
        Rcpt,
        Data
    };

    void enterState(State state, int timeoutMs);
    void readInput();
    void handleReply(const SmtpReply &reply);
    void onGreeting(const SmtpReply &reply);
    void onEhlo(const SmtpReply &reply);
    void onHelo(const SmtpReply &reply);
    void onStartTls(const SmtpReply &reply);
    void onAuth(const SmtpReply &reply);
    void onEnvelope(const SmtpReply &reply);
    void onBody(const SmtpReply &reply);
    void onReset(const SmtpReply &reply);
    void onEncrypted();

    void beginAttempt();
    // The next message on this connection, after an RSET when a transaction may still be open.
    void carryOn(const OutgoingMessage &next, bool reset);
    void greeted(); // after EHLO/HELO: STARTTLS, AUTH or the transaction
    QByteArray heloName() const;
    void sendEhlo();
    void startAuth();
    void startTransaction();
    void sendNextEnvelopeCommand();
    void envelopeComplete();
    void sendBody();

    void send(const QByteArray &line, const QByteArray &transcriptText = {});
    void record(TranscriptEntry::Direction direction, const QByteArray &bytes);
    // The reply decides: 4xx temporary, anything else permanent.
    void failOn(const SmtpReply &reply, const QString &what);
    // Ends the attempt: says QUIT first when the conversation is still in order.
    void conclude(DeliveryAttempt::Result result, const QString &reason, bool sayQuit = true);
    void finish();

    const RelayTarget m_target;
    OutgoingMessage m_message;
    NextMessage m_next;
    QSslSocket *m_socket;
    QTimer m_timer;
    State m_state = State::Idle;
    QString m_waitingFor; // for the timeout's reason: "the greeting", "the reply to MAIL"
    LineReader m_reader;
    ReplyReader m_replies;
    UpstreamCapabilities m_caps;
    DeliveryAttempt m_attempt;
    bool m_tlsActive = false;
    int m_authStep = 0;
    SaslExchange::Mechanism m_mechanism = SaslExchange::Mechanism::Plain;
    bool m_pipelining = false;
    bool m_chunking = false;
    std::deque<Expect> m_expected;
    qsizetype m_nextRecipient = 0; // without pipelining: the next RCPT to send
    bool m_mailRefused = false;
    bool m_dataSent = false; // the 354 came and the body went (or BDAT went)
    bool m_transactionStarted = false; // its outcome is the message's, not the connection's
    int m_transactions = 1;            // on this connection, the current one included
};
