#include "CommandParser.h"

#include <QHostAddress>

namespace {

struct VerbName
{
    const char *name;
    Verb verb;
};
constexpr VerbName kVerbs[] = {
    {"HELO", Verb::Helo}, {"EHLO", Verb::Ehlo}, {"MAIL", Verb::Mail},
    {"RCPT", Verb::Rcpt}, {"DATA", Verb::Data}, {"BDAT", Verb::Bdat},
    {"RSET", Verb::Rset}, {"NOOP", Verb::Noop}, {"QUIT", Verb::Quit},
    {"VRFY", Verb::Vrfy}, {"EXPN", Verb::Expn}, {"HELP", Verb::Help},
    {"STARTTLS", Verb::Starttls}, {"AUTH", Verb::Auth},
};

constexpr qsizetype kMaxLocalPart = 64; // RFC 5321 4.5.3.1.1
constexpr qsizetype kMaxDomain = 255;   // RFC 5321 4.5.3.1.2

bool isAlpha(uchar c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(uchar c) { return c >= '0' && c <= '9'; }
bool isAtext(uchar c, bool allowUtf8)
{
    if (isAlpha(c) || isDigit(c))
        return true;
    if (c >= 0x80)
        return allowUtf8;
    return QByteArrayView("!#$%&'*+-/=?^_`{|}~").contains(char(c));
}

bool isDotString(QByteArrayView s, bool allowUtf8)
{
    if (s.isEmpty() || s.front() == '.' || s.back() == '.')
        return false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const uchar c = uchar(s[i]);
        if (c == '.') {
            if (s[i - 1] == '.')
                return false;
        } else if (!isAtext(c, allowUtf8)) {
            return false;
        }
    }
    return true;
}

// Length of the Quoted-string starting at s[0] == '"', or -1.
qsizetype quotedStringLength(QByteArrayView s, bool allowUtf8)
{
    for (qsizetype i = 1; i < s.size(); ++i) {
        const uchar c = uchar(s[i]);
        if (c == '"')
            return i + 1;
        if (c == '\\') {
            if (++i >= s.size() || uchar(s[i]) < 32 || uchar(s[i]) > 126)
                return -1;
        } else if (c >= 0x80) {
            if (!allowUtf8)
                return -1;
        } else if (c < 32 || c > 126) {
            return -1;
        }
    }
    return -1;
}

bool isSubDomain(QByteArrayView label, bool allowUtf8)
{
    if (label.isEmpty() || label.size() > 63 || label.back() == '-' || label.front() == '-')
        return false;
    for (char ch : label) {
        const uchar c = uchar(ch);
        if (!(isAlpha(c) || isDigit(c) || c == '-' || (allowUtf8 && c >= 0x80)))
            return false;
    }
    return true;
}

bool isDomain(QByteArrayView domain, bool allowUtf8)
{
    if (domain.isEmpty() || domain.size() > kMaxDomain)
        return false;
    qsizetype start = 0;
    while (true) {
        const qsizetype dot = domain.indexOf('.', start);
        const QByteArrayView label =
            domain.sliced(start, (dot < 0 ? domain.size() : dot) - start);
        if (!isSubDomain(label, allowUtf8))
            return false;
        if (dot < 0)
            return true;
        start = dot + 1;
    }
}

bool isAddressLiteral(QByteArrayView literal)
{
    if (literal.size() < 3 || literal.front() != '[' || literal.back() != ']')
        return false;
    const QByteArrayView inner = literal.sliced(1, literal.size() - 2);
    const qsizetype colon = inner.indexOf(':');
    if (colon < 0) {
        QHostAddress address;
        return address.setAddress(QString::fromLatin1(inner)) &&
               address.protocol() == QAbstractSocket::IPv4Protocol &&
               inner.count('.') == 3;
    }
    const QByteArrayView tag = inner.first(colon);
    const QByteArrayView content = inner.sliced(colon + 1);
    if (tag.toByteArray().compare("IPv6", Qt::CaseInsensitive) == 0) {
        QHostAddress address;
        return address.setAddress(QString::fromLatin1(content)) &&
               address.protocol() == QAbstractSocket::IPv6Protocol;
    }
    // General-address-literal: Standardized-tag ":" 1*dcontent
    if (!isSubDomain(tag, false) || content.isEmpty())
        return false;
    for (char ch : content) {
        const uchar c = uchar(ch);
        if (c < 33 || c > 126 || c == '[' || c == '\\' || c == ']')
            return false;
    }
    return true;
}

bool startsWithCaseInsensitive(QByteArrayView s, QByteArrayView prefix)
{
    return s.size() >= prefix.size() &&
           s.first(prefix.size()).toByteArray().compare(prefix, Qt::CaseInsensitive) == 0;
}

struct PathAndRest
{
    QByteArray path; // without brackets and source route
    QByteArrayView rest; // the parameters
    bool lenient = false;
};

// Index of the '>' closing a path that starts at s[0] == '<', honouring quoted local parts.
qsizetype closingBracket(QByteArrayView s)
{
    bool quoted = false;
    for (qsizetype i = 1; i < s.size(); ++i) {
        if (quoted && s[i] == '\\') {
            ++i;
        } else if (s[i] == '"') {
            quoted = !quoted;
        } else if (!quoted && s[i] == '>') {
            return i;
        }
    }
    return -1;
}

// Splits "FROM:<path> params" into the path and the parameter text.
std::optional<PathAndRest> splitPath(QByteArrayView argument, QByteArrayView keyword)
{
    if (!startsWithCaseInsensitive(argument, keyword))
        return std::nullopt;
    QByteArrayView s = argument.sliced(keyword.size());
    PathAndRest result;
    if (!s.isEmpty() && s.front() == ' ') {
        result.lenient = true; // Postfix-style "MAIL FROM: <a@b>"
        while (!s.isEmpty() && s.front() == ' ')
            s = s.sliced(1);
    }
    if (s.isEmpty())
        return std::nullopt;
    if (s.front() == '<') {
        const qsizetype end = closingBracket(s);
        if (end < 0)
            return std::nullopt;
        result.path = s.sliced(1, end - 1).toByteArray();
        result.rest = s.sliced(end + 1);
        if (!result.rest.isEmpty() && result.rest.front() != ' ')
            return std::nullopt;
    } else {
        result.lenient = true; // bare address without angle brackets
        const qsizetype space = s.indexOf(' ');
        result.path = (space < 0 ? s : s.first(space)).toByteArray();
        result.rest = space < 0 ? QByteArrayView() : s.sliced(space);
    }
    // A source route "@a,@b:user@c" must be accepted and ignored (RFC 5321 4.1.2, C.3).
    if (result.path.startsWith('@')) {
        const qsizetype colon = result.path.indexOf(':');
        if (colon < 0)
            return std::nullopt;
        result.path = result.path.mid(colon + 1);
    }
    return result;
}

struct Parameter
{
    QByteArray keyword; // upper case
    QByteArray value;
    bool hasValue = false;
};

std::optional<QList<Parameter>> splitParameters(QByteArrayView rest)
{
    QList<Parameter> parameters;
    for (const QByteArray &word : rest.toByteArray().split(' ')) {
        if (word.isEmpty())
            continue;
        Parameter p;
        const qsizetype eq = word.indexOf('=');
        p.keyword = (eq < 0 ? word : word.left(eq)).toUpper();
        p.hasValue = eq >= 0;
        p.value = eq < 0 ? QByteArray() : word.mid(eq + 1);
        if (p.keyword.isEmpty() || !(isAlpha(uchar(p.keyword[0])) || isDigit(uchar(p.keyword[0]))))
            return std::nullopt;
        for (char c : p.keyword) {
            if (!(isAlpha(uchar(c)) || isDigit(uchar(c)) || c == '-'))
                return std::nullopt;
        }
        if (p.hasValue && p.value.isEmpty())
            return std::nullopt;
        for (char c : p.value) {
            if (uchar(c) < 33 || c == '=' || uchar(c) == 127)
                return std::nullopt;
        }
        parameters.append(p);
    }
    return parameters;
}

bool hasNonAscii(QByteArrayView s)
{
    for (char c : s) {
        if (uchar(c) >= 0x80)
            return true;
    }
    return false;
}

// Checks a path for the character set first, so that a UTF-8 address without SMTPUTF8 gets
// 553 5.6.7 rather than a syntax error.
std::optional<SmtpReply> checkAddress(const QByteArray &address, bool allowUtf8,
                                      SmtpReply (*syntaxError)(const QByteArray &))
{
    if (hasNonAscii(address)) {
        if (!address.isValidUtf8())
            return Reply::invalidUtf8();
        if (!allowUtf8)
            return Reply::nonAsciiAddress();
    }
    if (!isValidMailbox(address, allowUtf8))
        return syntaxError("not a valid mailbox");
    return std::nullopt;
}

bool parseDecimal(QByteArrayView digits, qint64 *out)
{
    if (digits.isEmpty() || digits.size() > 18)
        return false;
    qint64 value = 0;
    for (char c : digits) {
        if (!isDigit(uchar(c)))
            return false;
        value = value * 10 + (c - '0');
    }
    *out = value;
    return true;
}

} // namespace

Command parseCommand(QByteArrayView line)
{
    Command command;
    const qsizetype space = line.indexOf(' ');
    command.verbText = (space < 0 ? line : line.first(space)).toByteArray();
    QByteArrayView argument = space < 0 ? QByteArrayView() : line.sliced(space + 1);
    while (!argument.isEmpty() && (argument.back() == ' ' || argument.back() == '\t'))
        argument.chop(1);
    command.argument = argument.toByteArray();
    for (const VerbName &v : kVerbs) {
        if (command.verbText.compare(v.name, Qt::CaseInsensitive) == 0) {
            command.verb = v.verb;
            break;
        }
    }
    return command;
}

bool isValidMailbox(QByteArrayView mailbox, bool allowUtf8)
{
    const qsizetype at = mailbox.lastIndexOf('@');
    if (at <= 0)
        return false;
    const QByteArrayView local = mailbox.first(at);
    const QByteArrayView domain = mailbox.sliced(at + 1);
    if (local.front() == '"') {
        if (quotedStringLength(local, allowUtf8) != local.size())
            return false;
    } else if (!isDotString(local, allowUtf8) || local.size() > kMaxLocalPart) {
        return false;
    }
    if (!domain.isEmpty() && domain.front() == '[')
        return isAddressLiteral(domain);
    return isDomain(domain, allowUtf8);
}

bool isValidClientName(QByteArrayView name)
{
    if (!name.isEmpty() && name.front() == '[')
        return isAddressLiteral(name);
    return isDomain(name, false);
}

Parsed<MailCommand> parseMail(QByteArrayView argument)
{
    Parsed<MailCommand> result;
    const auto split = splitPath(argument, "FROM:");
    if (!split) {
        result.error = Reply::syntax("MAIL FROM:<address> [parameters]");
        return result;
    }
    MailCommand &mail = result.value;
    mail.sender = split->path;
    mail.lenientSyntax = split->lenient;

    const auto parameters = splitParameters(split->rest);
    if (!parameters) {
        result.error = Reply::syntax("MAIL FROM:<address> [KEYWORD[=value] ...]");
        return result;
    }
    QList<QByteArray> seen;
    for (const Parameter &p : *parameters) {
        if (seen.contains(p.keyword)) {
            result.error = Reply::badParameterValue(p.keyword + " (given twice)");
            return result;
        }
        seen.append(p.keyword);
        if (p.keyword == "SIZE") {
            if (!p.hasValue || !parseDecimal(p.value, &mail.size))
                result.error = Reply::badParameterValue("SIZE");
        } else if (p.keyword == "BODY") {
            const QByteArray body = p.value.toUpper();
            if (body == "7BIT")
                mail.body = Envelope::Body::SevenBit;
            else if (body == "8BITMIME")
                mail.body = Envelope::Body::EightBitMime;
            else if (body == "BINARYMIME")
                mail.body = Envelope::Body::BinaryMime;
            else
                result.error = Reply::badParameterValue("BODY");
        } else if (p.keyword == "SMTPUTF8") {
            if (p.hasValue)
                result.error = Reply::badParameterValue("SMTPUTF8");
            mail.smtpUtf8 = true;
        } else if (p.keyword == "AUTH") {
            if (!p.hasValue)
                result.error = Reply::badParameterValue("AUTH");
            mail.authParameter = p.value;
        } else {
            result.error = Reply::unknownParameter(p.keyword);
        }
        if (result.error)
            return result;
    }
    if (!mail.sender.isEmpty())
        result.error = checkAddress(mail.sender, mail.smtpUtf8, Reply::badSenderSyntax);
    return result;
}

Parsed<RcptCommand> parseRcpt(QByteArrayView argument, bool smtpUtf8Transaction)
{
    Parsed<RcptCommand> result;
    const auto split = splitPath(argument, "TO:");
    if (!split) {
        result.error = Reply::syntax("RCPT TO:<address>");
        return result;
    }
    result.value.recipient = split->path;
    result.value.lenientSyntax = split->lenient;
    const auto parameters = splitParameters(split->rest);
    if (!parameters) {
        result.error = Reply::syntax("RCPT TO:<address>");
    } else if (!parameters->isEmpty()) {
        result.error = Reply::unknownParameter(parameters->first().keyword);
    } else if (split->path.isEmpty()) {
        result.error = Reply::badRecipientSyntax("the null path is not a recipient");
    } else if (split->path.compare("postmaster", Qt::CaseInsensitive) != 0) {
        // RFC 5321 4.5.1: <Postmaster> without a domain is a valid recipient.
        result.error = checkAddress(split->path, smtpUtf8Transaction, Reply::badRecipientSyntax);
    }
    return result;
}

Parsed<BdatCommand> parseBdat(QByteArrayView argument)
{
    Parsed<BdatCommand> result;
    const QList<QByteArray> words = argument.toByteArray().split(' ');
    const bool shapeOk = (words.size() == 1 || words.size() == 2) &&
                         parseDecimal(words[0], &result.value.size);
    if (!shapeOk || (words.size() == 2 && words[1].compare("LAST", Qt::CaseInsensitive) != 0)) {
        result.error = Reply::syntax("BDAT <size> [LAST]");
        return result;
    }
    result.value.last = words.size() == 2;
    return result;
}
