#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// What `smtpeek sendmail`'s flags ask of the message on standard input.
struct SendmailFlags
{
    bool recipientsFromHeaders = false; // -t: To, Cc and Bcc, and Bcc removed
    bool ignoreDots = false;            // -i / -oi: a line "." does not end the input
    QByteArray sender;                  // -f; empty: the From field, else USER@HOST
    QString fullName;                   // -F: for a From field the input lacks
    QList<QByteArray> recipients;       // the arguments
    QByteArray defaultSender;           // USER@HOST
};

// sendmail's own argument syntax (not QCommandLineParser's): "-fADDR" and "-f ADDR", "-oi",
// and the options programs pass that mean nothing here (-odi, -oem, -U, -v), plus
// --smtp-addr HOST:PORT. Pure; *error is set on a bad or unsupported argument.
struct SendmailArguments
{
    SendmailFlags flags;
    QString smtpAddress = QStringLiteral("127.0.0.1:2525");
    bool help = false;
};
std::optional<SendmailArguments> parseSendmailArguments(const QStringList &arguments,
                                                        QString *error);

// The envelope and the data to submit, or nothing and *error saying what is wrong with the
// input (then the exit code is EX_DATAERR, or EX_USAGE when no recipient is given).
struct SendmailMessage
{
    QByteArray mailFrom;
    QList<QByteArray> recipients;
    QByteArray data; // CRLF line ends
};
struct SendmailProblem
{
    int exitCode = 0;
    QString message;
};

// Pure: bare LF becomes CRLF as sendmail does, the input ends at a line "." unless -i, the
// recipients come from the arguments and, with -t, the header fields.
std::optional<SendmailMessage> prepareSendmail(const QByteArray &input, const SendmailFlags &flags,
                                               SendmailProblem *problem);

// The first From address and the To, Cc and Bcc addresses (each once) of a message or its header,
// as -t and `smtpeek ingest` read them.
struct HeaderAddresses
{
    QByteArray from;
    QList<QByteArray> recipients;
};
HeaderAddresses headerAddresses(const QByteArray &header);

// sysexits.h, which not every platform has.
namespace Sysexits {
constexpr int Ok = 0;
constexpr int Usage = 64;
constexpr int DataError = 65;
constexpr int NoInput = 66;
constexpr int Unavailable = 69;
constexpr int IoError = 74;
constexpr int TempFail = 75;
} // namespace Sysexits
