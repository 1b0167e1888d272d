#pragma once

#include "protocol/CommandParser.h"
#include "protocol/LineReader.h"
#include "protocol/SaslExchange.h"
#include "protocol/SmtpReply.h"
#include "records/Records.h"
#include "server/AuthPolicy.h"
#include "server/MessageBudget.h"
#include "server/SmtpLimits.h"
#include "server/StageHooks.h"

#include <QObject>
#include <QPointer>
#include <QSslConfiguration>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

class QIODevice;
class QAbstractSocket;
class QSslSocket;
class MessageStore;

struct SessionConfig
{
    QByteArray hostname = "localhost";
    SmtpLimits limits;
    bool liveTranscript = true; // emit transcriptAppended; off when nobody shows it live
    std::optional<QSslConfiguration> tls; // STARTTLS is offered when set (needs a QSslSocket)
    bool implicitTls = false;             // SMTPS: the handshake comes before the greeting
    bool requireTls = false;              // MAIL before STARTTLS gets 530 5.7.0
    AuthPolicy auth;
    std::shared_ptr<StageHooks> hooks; // asked at every stage; null: the usual answers
    // Shared by all sessions of a service; null: the session makes one of limits' size.
    std::shared_ptr<MessageBudget> budget;
};

// One SMTP conversation over any QIODevice (a socket in the server, a scripted device in tests).
// The state machine has one state variable, written only by enterState(); every reply goes
// through reply(), which also records the transcript.
class SmtpSession : public QObject
{
    Q_OBJECT
public:
    enum class State
    {
        Connected,       // greeting sent, HELO/EHLO expected
        Greeted,         // no transaction
        MailGiven,       // MAIL accepted, RCPT expected
        RcptGiven,       // at least one RCPT accepted
        ReceivingData,   // after DATA's 354, until CRLF.CRLF
        ReceivingChunks, // between BDAT chunks, before LAST
        Storing,         // the message is with the store; input waits until it answers
        TlsHandshake,    // after STARTTLS (or on an SMTPS connection), until encrypted
        Authenticating,  // inside an AUTH exchange, reading SASL responses
        Delaying,        // a hook holds the answer back; input waits until it is given
        Closed,
    };
    Q_ENUM(State)

    // `identity` carries the id, peer and local port; the session fills in the rest.
    SmtpSession(QIODevice *device, MessageStore *store, const SessionConfig &config,
                const SessionRecord &identity, QObject *parent = nullptr);
    ~SmtpSession() override;

    void start();    // sends the greeting
    void shutdown(); // 421 and close; a message being stored is answered first

    // Past this much reply that the client has not taken, the session reads no more input until
    // it has: a client that pipelines commands and never reads would otherwise pile up replies
    // and transcript without end (81 MB of NOOPs grew the server by 3 GB).
    static constexpr qint64 kMaxUnsentReplyBytes = 256 * 1024;

    State state() const { return m_state; }
    const SessionRecord &record() const { return m_record; }

Q_SIGNALS:
    void started(const SessionRecord &record); // before the greeting's transcript entry
    void transcriptAppended(qint64 sessionId, const Transcript &entries);
    void finished(const SessionRecord &record); // the conversation is over
    void closed(); // the device is closed; the session may be deleted

private:
    struct CommandRule
    {
        Verb verb;
        quint32 allowedStates;
        void (SmtpSession::*handle)(const Command &);
    };
    static const CommandRule kCommands[];

    void enterState(State next);
    void reply(const SmtpReply &reply);
    void record(TranscriptEntry::Direction direction, const QByteArray &bytes);
    bool transcriptHasRoom(qsizetype bytes); // past the cap: counted, and false
    void noteTranscriptDropped();            // at the end: the counts in the cap's marker
    bool admitMessage(qint64 declaredSize);  // takes SIZE= from the budget, at MAIL
    void accountMessageBytes();              // takes what the body has grown by
    void giveBackBudget();
    void onDataTooSlow();
    void endTurn();
    void warnSession(const QString &warning);
    // True when the hooks took this stage over: answered in the session's stead, or held the
    // answer back (then `again` runs the stage anew once the delay is over, and the hooks are not
    // asked twice). False: the session answers as usual.
    bool hooksTake(SmtpStage stage, const std::function<void()> &again,
                   const QByteArray &argument = {}, const QByteArray *message = nullptr);
    void holdAnswer(StageVerdict verdict, const std::function<void()> &again);
    void answerWith(const StageVerdict &verdict);
    void noteRule(const StageVerdict &verdict, const QByteArray &what, const QString &summary);
    void writeSlowly();

    void readInput();
    void processInput();
    bool handleReadInput(); // the lines read so far; false when it stops for the backlog
    bool repliesBacklogged() const;
    void resumeWhenRepliesSent();
    void handleLine(const QByteArray &line);
    std::optional<SmtpReply> sequenceError(Verb verb) const;

    void handleHelo(const Command &command);
    void handleEhlo(const Command &command);
    void handleMail(const Command &command);
    void handleRcpt(const Command &command);
    void handleData(const Command &command);
    void handleBdat(const Command &command);
    void handleRset(const Command &command);
    void handleNoop(const Command &command);
    void handleQuit(const Command &command);
    void handleVrfy(const Command &command);
    void handleHelp(const Command &command);
    void handleStarttls(const Command &command);
    void handleAuth(const Command &command);
    void handleUnsupported(const Command &command);
    void handleSaslResponse(const QByteArray &line);
    void handleSaslStep(const SaslExchange::Step &step);
    void startTls();
    void onEncrypted();
    void onSocketError();
    bool isEncrypted() const;
    QByteArray transcriptLine(const Command &command, const QByteArray &line) const;

    void sendGreeting();
    void greet(const Command &command, bool extended);
    void onDataComplete();
    void onChunkComplete();
    void submitMessage(const QByteArray &raw);
    void refuseMessage(const SmtpReply &why); // the whole body was read; nothing is stored
    void endTransaction();                    // ends it unstored, back to Greeted
    void onStored(bool stored, qint64 messageId);
    void resetTransaction();
    void onIdleTimeout();
    void onPeerGone();
    void finish(SessionEnd end);
    void closeDevice();
    QList<QByteArray> extensions() const;

    QPointer<QIODevice> m_device;
    QAbstractSocket *m_socket = nullptr;
    QSslSocket *m_sslSocket = nullptr;
    MessageStore *m_store;
    SessionConfig m_config;
    SessionRecord m_record;
    Transcript m_pendingTranscript;
    LineReader m_reader;
    QTimer m_idleTimer;
    QTimer m_dataTimer; // the cap on the time one message's DATA or BDAT chunks take
    QMetaObject::Connection m_resumeOnRepliesSent; // while input waits for the client to read
    State m_state = State::Connected;

    SaslExchange m_sasl;
    Envelope m_envelope;
    QStringList m_transactionWarnings;
    int m_transactionFirstEntry = -1;
    bool m_chunkLast = false;
    bool m_discardChunk = false;
    std::optional<StageVerdict> m_chunkVerdict; // a hook refused the BDAT being discarded
    std::optional<StageVerdict> m_heldVerdict;  // decided, and held back for its delay
    int m_tarpitMs = 0;                         // the next reply goes out a byte at a time
    QByteArray m_slowOutput;                    // what the tarpit has still to send
    std::unique_ptr<QTimer> m_slowTimer;        // made for the first tarpit
    std::shared_ptr<MessageBudget> m_budget;
    qint64 m_budgetTaken = 0;  // by the current message
    bool m_overBudget = false; // its body is being thrown away; its end gets 452 4.3.1
    qint64 m_transcriptBytes = 0;
    int m_transcriptCapEntry = -1; // the marker, once the cap is reached
    qint64 m_droppedEntries = 0;
    qint64 m_droppedBytes = 0;
    int m_badCommands = 0;
    qint64 m_lastActivityMs = 0;
    bool m_shutdownRequested = false;
    bool m_peerGone = false;
    bool m_closeEmitted = false;
    bool m_greetAfterHandshake = false; // SMTPS greets once the handshake is done
};
