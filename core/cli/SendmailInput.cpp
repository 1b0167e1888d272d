#include "SendmailInput.h"

#include "mime/DecodedMessage.h"
#include "relay/OutgoingMessage.h"

namespace {
// Every line ends in CRLF; a lone CR stays as it is (sendmail leaves it to the server).
QByteArray withCrlf(const QByteArray &input)
{
    QByteArray out;
    out.reserve(input.size() + input.size() / 40);
    for (qsizetype i = 0; i < input.size(); ++i) {
        if (input[i] == '\n' && (i == 0 || input[i - 1] != '\r'))
            out += '\r';
        out += input[i];
    }
    return out;
}

// Without -i, a line holding only "." ends the message, as in sendmail.
QByteArray untilDotLine(const QByteArray &data)
{
    if (data.startsWith(".\r\n") || data == ".")
        return {};
    const qsizetype dot = data.indexOf("\r\n.\r\n");
    if (dot >= 0)
        return data.left(dot + 2);
    if (data.endsWith("\r\n."))
        return data.left(data.size() - 1);
    return data;
}

qsizetype headerEnd(const QByteArray &data)
{
    if (data.startsWith("\r\n"))
        return 0;
    const qsizetype blank = data.indexOf("\r\n\r\n");
    return blank < 0 ? -1 : blank + 2;
}
} // namespace

std::optional<SendmailArguments> parseSendmailArguments(const QStringList &arguments,
                                                        QString *error)
{
    SendmailArguments parsed;
    // Value options take the rest of the word or the next word.
    const auto value = [&](qsizetype *i, const QString &flag) -> std::optional<QString> {
        const QString word = arguments[*i];
        if (word.size() > flag.size())
            return word.mid(flag.size());
        if (*i + 1 >= arguments.size()) {
            *error = QStringLiteral("%1 needs a value").arg(flag);
            return std::nullopt;
        }
        return arguments[++*i];
    };
    bool onlyRecipients = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString word = arguments[i];
        if (onlyRecipients || !word.startsWith(u'-') || word == u"-") {
            parsed.flags.recipients.append(word.toUtf8());
        } else if (word == u"--") {
            onlyRecipients = true;
        } else if (word == u"-h" || word == u"--help") {
            parsed.help = true;
        } else if (word == u"-t") {
            parsed.flags.recipientsFromHeaders = true;
        } else if (word == u"-i" || word == u"-oi") {
            parsed.flags.ignoreDots = true;
        } else if (word.startsWith(u"--smtp-addr")) {
            const QString flag = QStringLiteral("--smtp-addr");
            const std::optional<QString> text =
                word.startsWith(flag + u'=') ? word.mid(flag.size() + 1) : value(&i, flag);
            if (!text)
                return std::nullopt;
            parsed.smtpAddress = *text;
        } else if (word.startsWith(u"-f")) {
            const std::optional<QString> text = value(&i, QStringLiteral("-f"));
            if (!text)
                return std::nullopt;
            QString sender = text->trimmed();
            if (sender.startsWith(u'<') && sender.endsWith(u'>'))
                sender = sender.mid(1, sender.size() - 2);
            parsed.flags.sender = sender.toUtf8();
        } else if (word.startsWith(u"-F")) {
            const std::optional<QString> text = value(&i, QStringLiteral("-F"));
            if (!text)
                return std::nullopt;
            parsed.flags.fullName = *text;
        } else if (word.startsWith(u"-o") || word == u"-U" || word == u"-v" || word == u"-bm" ||
                   word == u"-Am" || word == u"-Ac") {
            // Queueing and error-reporting modes: smtpeek submits at once either way.
        } else {
            *error = word.startsWith(u"-b")
                         ? QStringLiteral("%1 is not supported: give the message on standard "
                                          "input with -t -i")
                               .arg(word)
                         : QStringLiteral("unknown option %1").arg(word);
            return std::nullopt;
        }
    }
    return parsed;
}

HeaderAddresses headerAddresses(const QByteArray &header)
{
    const DecodedMessage decoded = decodeMessage(header);
    HeaderAddresses addresses;
    if (!decoded.from.isEmpty())
        addresses.from = decoded.from.first().address.toUtf8();
    for (const auto *list : {&decoded.to, &decoded.cc, &decoded.bcc}) {
        for (const MailAddress &address : *list) {
            const QByteArray mailbox = address.address.toUtf8();
            if (!mailbox.isEmpty() && !addresses.recipients.contains(mailbox))
                addresses.recipients.append(mailbox);
        }
    }
    return addresses;
}

std::optional<SendmailMessage> prepareSendmail(const QByteArray &input, const SendmailFlags &flags,
                                               SendmailProblem *problem)
{
    QByteArray data = withCrlf(input);
    if (!flags.ignoreDots)
        data = untilDotLine(data);
    if (!data.isEmpty() && !data.endsWith("\r\n"))
        data += "\r\n";
    const qsizetype end = headerEnd(data);
    if (end < 0) {
        *problem = {Sysexits::DataError,
                    QStringLiteral("the message has no blank line between its header and body")};
        return std::nullopt;
    }
    const HeaderAddresses header = headerAddresses(data.left(end) + "\r\n");

    SendmailMessage message;
    message.recipients = flags.recipients;
    if (flags.recipientsFromHeaders) {
        for (const QByteArray &mailbox : header.recipients) {
            if (!message.recipients.contains(mailbox))
                message.recipients.append(mailbox);
        }
        data = HeaderEdit::removeFields(data, {"Bcc"});
    }
    if (message.recipients.isEmpty()) {
        *problem = {Sysexits::Usage, flags.recipientsFromHeaders
                                         ? QStringLiteral("no recipients in To, Cc or Bcc")
                                         : QStringLiteral("no recipients given (or use -t)")};
        return std::nullopt;
    }
    for (const QByteArray &recipient : message.recipients) {
        if (!isPlausibleAddress(recipient)) {
            *problem = {
                Sysexits::DataError,
                QStringLiteral("not an email address: %1").arg(QString::fromUtf8(recipient))};
            return std::nullopt;
        }
    }
    message.mailFrom = flags.sender;
    if (message.mailFrom.isEmpty())
        message.mailFrom = header.from;
    if (message.mailFrom.isEmpty())
        message.mailFrom = flags.defaultSender;
    if (header.from.isEmpty()) {
        const QByteArray from = flags.fullName.isEmpty()
                                    ? message.mailFrom
                                    : '"' + flags.fullName.toUtf8().replace('"', "\\\"") + "\" <" +
                                          message.mailFrom + '>';
        data = HeaderEdit::prependFields(data, {"From: " + from});
    }
    message.data = data;
    return message;
}
