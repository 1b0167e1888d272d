#pragma once

#include "protocol/SmtpReply.h"
#include "records/Records.h"

#include <QByteArray>
#include <QByteArrayView>
#include <optional>

// Pure functions from the bytes of one command line (without its line ending) to values.
// They decide syntax only; what a command means in a state is the session's business.

enum class Verb : quint8 {
    Helo, Ehlo, Mail, Rcpt, Data, Bdat, Rset, Noop, Quit, Vrfy, Expn, Help, Starttls, Auth, Unknown
};

struct Command
{
    Verb verb = Verb::Unknown;
    QByteArray verbText; // as the client spelled it
    QByteArray argument; // everything after the first space, trailing blanks removed
};

Command parseCommand(QByteArrayView line);

// A syntax check's answer: either a value or the reply that refuses it.
template <typename T> struct Parsed
{
    T value{};
    std::optional<SmtpReply> error;
    bool ok() const { return !error.has_value(); }
};

struct MailCommand
{
    QByteArray sender; // empty for the null sender
    bool lenientSyntax = false; // no angle brackets, or a space after the colon
    qint64 size = -1;
    Envelope::Body body = Envelope::Body::Unspecified;
    bool smtpUtf8 = false;
    QByteArray authParameter;
};

struct RcptCommand
{
    QByteArray recipient;
    bool lenientSyntax = false;
};

struct BdatCommand
{
    qint64 size = 0;
    bool last = false;
};

// "FROM:<path> [parameters]" for MAIL.
Parsed<MailCommand> parseMail(QByteArrayView argument);
// "TO:<path>" for RCPT; non-ASCII addresses need an SMTPUTF8 transaction.
Parsed<RcptCommand> parseRcpt(QByteArrayView argument, bool smtpUtf8Transaction);
// "<size> [LAST]" for BDAT.
Parsed<BdatCommand> parseBdat(QByteArrayView argument);

// RFC 5321 Mailbox: Local-part "@" (Domain / address-literal); U-labels and UTF-8 local parts
// only when allowUtf8.
bool isValidMailbox(QByteArrayView mailbox, bool allowUtf8);
// The HELO/EHLO argument: a domain or an address literal.
bool isValidClientName(QByteArrayView name);
