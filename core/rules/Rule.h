#pragma once

#include "protocol/SmtpReply.h"
#include "server/StageHooks.h"

#include <QList>
#include <QRegularExpression>
#include <QString>

#include <optional>

// One rule of the rules file, `PUT /api/v1/rules` and the desktop's Rules panel: at a stage,
// when its conditions hold (and its probability draws it), it answers in the session's stead.
struct Rule
{
    enum class Action : quint8
    {
        Reply,         // answer with `reply`
        Delay,         // answer `delayMs` later: as usual, or with `reply` when it has a code
        Disconnect,    // close, without a reply or after `partialBytes` of `reply`
        Tarpit,        // send the reply (the usual one, or `reply`) one byte per `tarpitMs`
        Greylist,      // `reply` (451 4.7.1) for the first `attempts` tries of each triple
        RateLimit,     // past `limit` events per `windowSeconds` and key: `reply` (421: and close)
        TlsFail,       // STARTTLS: 220, then the connection is dropped instead of a handshake
        AcceptDiscard, // message: 250, and the message is not stored
    };
    enum class Field : quint8
    {
        ClientAddress,
        Helo,
        MailFrom,
        RcptTo,
        AuthUser,
        Subject,
        Header
    };
    enum class Per : quint8
    {
        Client,
        Sender
    };

    struct Pattern
    {
        Field field;
        QString header; // for Field::Header
        QRegularExpression expression;
    };

    QString name;
    bool enabled = true;
    SmtpStage stage = SmtpStage::Rcpt;
    QList<Pattern> patterns;         // all must match
    std::optional<qint64> sizeAbove; // the message's size, or the declared SIZE before it
    std::optional<qint64> sizeBelow;
    std::optional<bool> tls; // the session is (true) or is not (false) encrypted
    int probability = 100;   // 0-100
    Action action = Action::Reply;
    SmtpReply reply; // code 0: the action's default
    int delayMinMs = 0;
    int delayMaxMs = 0;
    int tarpitMs = 0;
    int partialBytes = -1;
    int attempts = 1;        // greylist
    int windowSeconds = 300; // greylist and ratelimit
    int limit = 0;           // ratelimit
    Per per = Per::Client;   // ratelimit
};

QString stageName(SmtpStage stage);
std::optional<SmtpStage> stageFromName(const QString &name);
QString actionName(Rule::Action action);
std::optional<Rule::Action> actionFromName(const QString &name);
