#pragma once

#include <QByteArray>
#include <QList>

// One SMTP reply as data: the basic code, the RFC 3463 enhanced code and the text lines.
// Formatting to the wire happens in exactly one place, toWire().
struct SmtpReply
{
    int code = 0;
    QByteArray enhanced; // "2.1.0"; empty for the greeting and the HELO/EHLO replies
    QList<QByteArray> lines;

    QByteArray toWire() const;
    bool isPositive() const { return code >= 200 && code < 400; }
    bool closesSession() const { return code == 421 || code == 221; }
    // "250 2.1.0 Sender OK" for logs and attempt records: code, enhanced code, lines joined.
    QByteArray text() const;
};

// Reads the replies of a server, line by line, as a client sees them (RFC 5321 4.2): each line
// is "CODE-text" with more to come or "CODE text" as the last; every line must carry the same
// code. The enhanced code (RFC 2034) is taken from the first line when it has one.
class ReplyReader
{
public:
    static constexpr int kMaxLines = 256; // EHLO lists a few dozen; more is a broken server

    enum class Result
    {
        NeedMore,
        Complete,
        Malformed
    };

    // `line` without its CRLF.
    Result add(const QByteArray &line);
    // The complete reply; the reader starts over.
    SmtpReply take();
    // Why the last line was malformed.
    QByteArray problem() const { return m_problem; }

private:
    SmtpReply m_reply;
    QByteArray m_problem;
};

// The catalogue of every reply smtpeek sends. Codes follow RFC 5321 section 4.2, enhanced codes
// RFC 3463 and the extension RFCs (3030 CHUNKING, 6531 SMTPUTF8, 1870 SIZE).
namespace Reply {
SmtpReply greeting(const QByteArray &hostname);
SmtpReply tooManySessions(const QByteArray &hostname);
SmtpReply helo(const QByteArray &hostname, const QByteArray &clientName);
SmtpReply ehlo(const QByteArray &hostname, const QByteArray &clientName,
               const QList<QByteArray> &extensions);
SmtpReply ok();
SmtpReply senderOk();
SmtpReply recipientOk();
SmtpReply startData();
SmtpReply queued(qint64 id);
SmtpReply discarded(); // a rule's black hole: accepted as if queued, and not kept
SmtpReply chunkReceived(qint64 octets);
SmtpReply resetOk();
SmtpReply noop();
SmtpReply bye();
SmtpReply vrfy();
SmtpReply help();
SmtpReply shuttingDown();
SmtpReply idleTimeout();
SmtpReply tooManyErrors();
SmtpReply storageFailed();
SmtpReply tooMuchInFlight();        // the server's budget for messages in flight is used up
SmtpReply dataTooSlow(int seconds); // DATA took longer than the cap; the session closes

SmtpReply unrecognized();
SmtpReply unsupportedCommand(const QByteArray &verb);
SmtpReply lineTooLong();
SmtpReply syntax(const QByteArray &usage);
SmtpReply badSequence(const QByteArray &why);
SmtpReply badSenderSyntax(const QByteArray &why);
SmtpReply badRecipientSyntax(const QByteArray &why);
SmtpReply nonAsciiAddress();
SmtpReply unknownParameter(const QByteArray &parameter);
SmtpReply badParameterValue(const QByteArray &parameter);
SmtpReply messageTooBig(qint64 limit);
SmtpReply tooManyRecipients();
SmtpReply lineTooLongInData();
SmtpReply invalidUtf8();
} // namespace Reply
