#pragma once

#include "protocol/SmtpReply.h"
#include "records/Records.h"

#include <QString>

#include <optional>

// The stages of an SMTP conversation at which a session asks its hooks what to answer: the
// seam for rules and failure injection. A session without hooks pays one pointer test a stage.
enum class SmtpStage : quint8
{
    Connect,  // before the greeting (after the handshake on an SMTPS connection)
    Helo,     // HELO or EHLO, its syntax checked
    Mail,     // MAIL, parsed and within the limits, before it starts a transaction
    Rcpt,     // RCPT, parsed, before the recipient is added
    Data,     // the DATA command, before the 354
    Message,  // the whole body received (DATA or BDAT LAST), before it is stored
    Bdat,     // each BDAT command, before its chunk is read
    Auth,     // the credentials accepted, before the 235
    Starttls, // before the 220 that starts the handshake
    Quit,     // before the 221
};

// What a session knows when it asks; valid only during the call.
struct StageContext
{
    SmtpStage stage;
    const SessionRecord &session; // peer, HELO name, TLS, AUTH user so far
    const Envelope &envelope;     // the transaction so far (empty before MAIL)
    // The command's subject: the HELO name, MAIL's sender, RCPT's recipient, the AUTH user;
    // empty at the other stages.
    const QByteArray &argument;
    const QByteArray *message; // at Message: the message as received; null elsewhere
};

// A hook's answer. Proceed: the session answers as it would have. Reply: it answers this instead
// and the command has no effect (a refused RCPT adds no recipient, a refused message is not
// stored; at Connect a refusal then closes the session). Disconnect: it sends the reply, if one is
// given (only its first partialBytes when that is set), and closes the connection. Discard, at
// Message only: a 250, and the message is not stored (a black-hole MX). With delayMs the session
// answers that much later, reading no input meanwhile; with tarpitMs it sends the reply one byte
// per tarpitMs. `rule` names who decided, in the transcript.
struct StageVerdict
{
    enum class Action : quint8
    {
        Proceed,
        Reply,
        Disconnect,
        Discard
    };
    Action action = Action::Proceed;
    SmtpReply reply; // code 0: none (Disconnect), or the usual one (Discard)
    QString rule;
    int delayMs = 0;
    int tarpitMs = 0;
    int partialBytes = -1; // -1: the whole reply
};

// The warning a session records when a rule acted ("Rule 'NAME' closed the connection"), and
// the rule a warning names (none for other warnings), so the API can list the rules that fired.
QString ruleWarning(const QString &rule, const QString &effect);
std::optional<QString> ruleOfWarning(const QString &warning);

// Consulted by every session of a server, in the server's thread, so one object serves them all.
class StageHooks
{
public:
    virtual ~StageHooks() = default;
    virtual StageVerdict decide(const StageContext &context) = 0;
};
