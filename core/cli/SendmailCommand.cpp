#include "SendmailCommand.h"

#include "SendmailInput.h"

#include "relay/RelayClient.h"

#include <QEventLoop>
#include <QHostInfo>

namespace {
const char kUsage[] =
    "Usage: smtpeek sendmail [-t] [-i] [-oi] [-f ADDR] [-F NAME] [--smtp-addr HOST:PORT] "
    "[RCPT...]\n\n"
    "Reads a message on standard input and submits it over SMTP to a running smtpeek.\n\n"
    "Options:\n"
    "  -t                     Read recipients from To, Cc and Bcc; remove Bcc.\n"
    "  -i, -oi                A line with a single dot does not end the message.\n"
    "  -f <addr>              The envelope sender (default: the From address).\n"
    "  -F <name>              The sender's full name, for a message without From.\n"
    "  --smtp-addr <host:port>  Where smtpeek listens (default 127.0.0.1:2525).\n";

std::optional<RelayTarget> targetOf(const QString &address)
{
    const qsizetype colon = address.lastIndexOf(u':');
    bool ok = false;
    const uint port = colon > 0 ? address.mid(colon + 1).toUInt(&ok) : 0;
    QString host = address.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    if (!ok || port == 0 || port > 65535 || host.isEmpty())
        return std::nullopt;
    RelayTarget target;
    target.host = host;
    target.port = static_cast<quint16>(port);
    target.tls = RelayTarget::Tls::Off; // a local capture server
    target.heloName = "localhost";
    target.timeouts = {10'000, 30'000, 60'000};
    return target;
}

QByteArray defaultSender()
{
    QByteArray user = qgetenv("USER");
    if (user.isEmpty())
        user = qgetenv("LOGNAME");
    if (user.isEmpty())
        user = "nobody";
    QString host = QHostInfo::localHostName();
    if (host.isEmpty() || !host.contains(u'.'))
        host = QStringLiteral("localhost");
    return user + '@' + host.toUtf8();
}

int exitCodeOf(const DeliveryAttempt &attempt)
{
    switch (attempt.result) {
    case DeliveryAttempt::Result::Delivered:
        return Sysexits::Ok;
    case DeliveryAttempt::Result::Partial:
    case DeliveryAttempt::Result::PermanentFailure:
        return Sysexits::Unavailable;
    case DeliveryAttempt::Result::TemporaryFailure:
        break;
    }
    return Sysexits::TempFail;
}
} // namespace

int runSendmailCommand(const QStringList &arguments, QIODevice *input, QTextStream &err)
{
    QString error;
    std::optional<SendmailArguments> parsed = parseSendmailArguments(arguments, &error);
    if (!parsed) {
        err << "smtpeek sendmail: " << error << "\n" << kUsage;
        return Sysexits::Usage;
    }
    if (parsed->help) {
        QTextStream(stdout) << kUsage;
        return Sysexits::Ok;
    }
    const std::optional<RelayTarget> target = targetOf(parsed->smtpAddress);
    if (!target) {
        err << "smtpeek sendmail: --smtp-addr takes HOST:PORT, not '" << parsed->smtpAddress << "'"
            << Qt::endl;
        return Sysexits::Usage;
    }
    const QByteArray data = input->readAll();
    parsed->flags.defaultSender = defaultSender();
    SendmailProblem problem;
    const std::optional<SendmailMessage> message = prepareSendmail(data, parsed->flags, &problem);
    if (!message) {
        err << "smtpeek sendmail: " << problem.message << Qt::endl;
        return problem.exitCode;
    }
    RelayClient client(*target,
                       OutgoingMessage::of(message->mailFrom, message->recipients, message->data));
    QEventLoop loop;
    DeliveryAttempt attempt;
    QObject::connect(&client, &RelayClient::finished, &loop, [&](const DeliveryAttempt &done) {
        attempt = done;
        loop.quit();
    });
    client.start();
    loop.exec();
    const int code = exitCodeOf(attempt);
    if (code != Sysexits::Ok)
        err << "smtpeek sendmail: " << target->address() << ": " << attempt.reason << Qt::endl;
    return code;
}
