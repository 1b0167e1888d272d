#include "Pop3Reply.h"

namespace pop3_reply {

QByteArray ok(const QByteArray &text)
{
    return "+OK " + text + "\r\n";
}

QByteArray err(const QByteArray &text)
{
    return "-ERR " + text + "\r\n";
}

QByteArray continuation(const QByteArray &base64)
{
    return "+ " + base64 + "\r\n";
}

QByteArray greeting()
{
    return ok("smtpeek POP3 ready");
}

QByteArray capabilities(bool offerStls)
{
    QByteArray lines = ok("Capability list follows");
    lines += "TOP\r\nUIDL\r\nUSER\r\nSASL PLAIN\r\nPIPELINING\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n";
    if (offerStls)
        lines += "STLS\r\n";
    return lines + "IMPLEMENTATION smtpeek\r\n.\r\n";
}

QByteArray bye()
{
    return ok("smtpeek POP3 signing off");
}

QByteArray unknownCommand(const QByteArray &keyword)
{
    // Only printable ASCII goes back: the keyword is the client's.
    QByteArray shown;
    for (const char c : keyword.left(40))
        shown += (c > ' ' && c <= '~') ? c : '?';
    return err("unknown command " + shown);
}

QByteArray wrongState()
{
    return err("command not valid in this state");
}

QByteArray syntax(const QByteArray &usage)
{
    return err("syntax: " + usage);
}

QByteArray lineTooLong()
{
    return err("line too long (255 octets at most)");
}

QByteArray tooManyErrors()
{
    return err("too many errors, closing");
}

QByteArray idleTimeout()
{
    return err("idle for too long, closing");
}

QByteArray shuttingDown()
{
    return err("[SYS/TEMP] smtpeek is shutting down");
}

QByteArray loginFailed()
{
    return err("[AUTH] invalid user name or password");
}

QByteArray noSuchMessage(qint64 number)
{
    return err("no message " + QByteArray::number(number));
}

QByteArray alreadyDeleted(qint64 number)
{
    return err("message " + QByteArray::number(number) + " already deleted");
}

QByteArray mailboxBusy()
{
    return err("[SYS/TEMP] cannot open the mailbox");
}

} // namespace pop3_reply
