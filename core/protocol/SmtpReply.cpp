#include "SmtpReply.h"

#include <algorithm>

namespace {
// RFC 5321 4.2: reply text is printable US-ASCII. Text echoed from the client (an EHLO name)
// could carry a bare CR, a NUL or 8-bit bytes; they become '?'.
QByteArray printable(const QByteArray &text)
{
    QByteArray out = text;
    for (char &c : out) {
        if (uchar(c) < 0x20 || uchar(c) > 0x7e)
            c = '?';
    }
    return out;
}
} // namespace

QByteArray SmtpReply::toWire() const
{
    const QByteArray codeText = QByteArray::number(code);
    const QList<QByteArray> text = lines.isEmpty() ? QList<QByteArray>{QByteArray()} : lines;
    QByteArray wire;
    for (qsizetype i = 0; i < text.size(); ++i) {
        wire += codeText;
        wire += i + 1 < text.size() ? '-' : ' ';
        if (!enhanced.isEmpty()) {
            wire += enhanced;
            if (!text[i].isEmpty())
                wire += ' ';
        }
        wire += printable(text[i]);
        wire += "\r\n";
    }
    return wire;
}

QByteArray SmtpReply::text() const
{
    QByteArray out = QByteArray::number(code);
    if (!enhanced.isEmpty())
        out += ' ' + enhanced;
    for (const QByteArray &line : lines) {
        if (!line.isEmpty())
            out += ' ' + line;
    }
    return out;
}

namespace {
bool isEnhancedCode(const QByteArray &word)
{
    // class.subject.detail: [245].[0-9]{1,3}.[0-9]{1,3}
    const QList<QByteArray> parts = word.split('.');
    if (parts.size() != 3 || parts[0].size() != 1 || !QByteArray("245").contains(parts[0][0]))
        return false;
    for (qsizetype i = 1; i < 3; ++i) {
        if (parts[i].isEmpty() || parts[i].size() > 3)
            return false;
        for (const char c : parts[i]) {
            if (c < '0' || c > '9')
                return false;
        }
    }
    return true;
}
} // namespace

ReplyReader::Result ReplyReader::add(const QByteArray &line)
{
    const auto malformed = [this, &line](const char *why) {
        m_problem = QByteArray(why) + ": \"" + printable(line.left(80)) + '"';
        m_reply = {};
        return Result::Malformed;
    };
    if (line.size() < 3 ||
        !std::all_of(line.cbegin(), line.cbegin() + 3, [](char c) { return c >= '0' && c <= '9'; }))
        return malformed("not an SMTP reply");
    if (line.size() > 3 && line[3] != ' ' && line[3] != '-')
        return malformed("not an SMTP reply");
    const int code = line.left(3).toInt();
    if (code < 200 || code > 599)
        return malformed("reply code out of range");
    if (!m_reply.lines.isEmpty() && code != m_reply.code)
        return malformed("reply code changed within a multiline reply");
    if (m_reply.lines.size() >= kMaxLines)
        return malformed("reply has too many lines");
    QByteArray text = line.mid(4);
    if (m_reply.lines.isEmpty()) {
        m_reply.code = code;
        const qsizetype space = text.indexOf(' ');
        const QByteArray first = space < 0 ? text : text.left(space);
        // The enhanced code of a positive reply must match its class (RFC 3463 2).
        if (isEnhancedCode(first) && first[0] == line[0]) {
            m_reply.enhanced = first;
            text = space < 0 ? QByteArray() : text.mid(space + 1);
        }
    } else if (!m_reply.enhanced.isEmpty() && text.startsWith(m_reply.enhanced + ' ')) {
        text = text.mid(m_reply.enhanced.size() + 1);
    }
    m_reply.lines.append(text);
    return line.size() > 3 && line[3] == '-' ? Result::NeedMore : Result::Complete;
}

SmtpReply ReplyReader::take()
{
    return std::exchange(m_reply, {});
}

namespace Reply {
namespace {
SmtpReply make(int code, const char *enhanced, const QByteArray &text)
{
    return SmtpReply{code, QByteArray(enhanced), {text}};
}
} // namespace

SmtpReply greeting(const QByteArray &hostname)
{
    return SmtpReply{220, {}, {hostname + " ESMTP smtpeek"}};
}
SmtpReply tooManySessions(const QByteArray &hostname)
{
    return make(421, "4.3.2", hostname + " Too many sessions, try again later");
}
SmtpReply helo(const QByteArray &hostname, const QByteArray &clientName)
{
    return SmtpReply{250, {}, {hostname + " greets " + clientName}};
}
SmtpReply ehlo(const QByteArray &hostname, const QByteArray &clientName,
               const QList<QByteArray> &extensions)
{
    SmtpReply reply{250, {}, {hostname + " greets " + clientName}};
    reply.lines += extensions;
    return reply;
}
SmtpReply ok() { return make(250, "2.0.0", "Ok"); }
SmtpReply senderOk() { return make(250, "2.1.0", "Sender OK"); }
SmtpReply recipientOk() { return make(250, "2.1.5", "Recipient OK"); }
SmtpReply startData() { return make(354, "", "End data with <CR><LF>.<CR><LF>"); }
SmtpReply queued(qint64 id) { return make(250, "2.0.0", "Ok: queued as " + QByteArray::number(id)); }
SmtpReply discarded()
{
    return make(250, "2.0.0", "Ok: queued");
}
SmtpReply chunkReceived(qint64 octets)
{
    return make(250, "2.0.0", QByteArray::number(octets) + " octets received");
}
SmtpReply resetOk() { return make(250, "2.0.0", "Reset OK"); }
SmtpReply noop() { return make(250, "2.0.0", "Ok"); }
SmtpReply bye() { return make(221, "2.0.0", "Bye"); }
SmtpReply vrfy()
{
    return make(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");
}
SmtpReply help()
{
    return SmtpReply{214,
                     "2.0.0",
                     {"smtpeek captures all mail and delivers none",
                      "Commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP",
                      "End of HELP info"}};
}
SmtpReply shuttingDown() { return make(421, "4.3.0", "shutting down"); }
SmtpReply idleTimeout() { return make(421, "4.4.2", "Idle timeout, closing connection"); }
SmtpReply tooManyErrors() { return make(421, "4.7.0", "Too many errors, closing connection"); }
SmtpReply storageFailed() { return make(451, "4.3.0", "Local error in processing: storage failed"); }
SmtpReply tooMuchInFlight()
{
    return make(452, "4.3.1",
                "Insufficient system storage: too much mail in flight, try again later");
}
SmtpReply dataTooSlow(int seconds)
{
    return make(451, "4.4.2",
                "Timeout: the message took longer than " + QByteArray::number(seconds) +
                    " seconds, closing connection");
}

SmtpReply unrecognized() { return make(500, "5.5.1", "Command unrecognized"); }
SmtpReply unsupportedCommand(const QByteArray &verb)
{
    return make(502, "5.5.1", verb + " is not supported");
}
SmtpReply lineTooLong() { return make(500, "5.5.2", "Line too long"); }
SmtpReply syntax(const QByteArray &usage) { return make(501, "5.5.4", "Syntax: " + usage); }
SmtpReply badSequence(const QByteArray &why)
{
    return make(503, "5.5.1", "Bad sequence of commands: " + why);
}
SmtpReply badSenderSyntax(const QByteArray &why)
{
    return make(501, "5.1.7", "Bad sender address syntax: " + why);
}
SmtpReply badRecipientSyntax(const QByteArray &why)
{
    return make(501, "5.1.3", "Bad recipient address syntax: " + why);
}
SmtpReply nonAsciiAddress()
{
    return make(553, "5.6.7", "Non-ASCII address needs the SMTPUTF8 parameter");
}
SmtpReply unknownParameter(const QByteArray &parameter)
{
    return make(555, "5.5.4", "Unsupported parameter " + parameter);
}
SmtpReply badParameterValue(const QByteArray &parameter)
{
    return make(501, "5.5.4", "Invalid value for " + parameter);
}
SmtpReply messageTooBig(qint64 limit)
{
    return make(552, "5.3.4",
                "Message size exceeds fixed limit of " + QByteArray::number(limit) + " bytes");
}
SmtpReply tooManyRecipients() { return make(452, "4.5.3", "Too many recipients"); }
SmtpReply lineTooLongInData()
{
    return make(554, "5.6.0", "Message rejected: a text line exceeds 1000 octets");
}
SmtpReply invalidUtf8() { return make(501, "5.6.7", "Invalid UTF-8 in command"); }
} // namespace Reply
