#include "Pop3Command.h"

#include <QHash>

Pop3Command parsePop3Command(const QByteArray &line)
{
    static const QHash<QByteArray, Pop3Command::Verb> verbs = {
        {"CAPA", Pop3Command::Verb::Capa}, {"USER", Pop3Command::Verb::User},
        {"PASS", Pop3Command::Verb::Pass}, {"AUTH", Pop3Command::Verb::Auth},
        {"STLS", Pop3Command::Verb::Stls}, {"QUIT", Pop3Command::Verb::Quit},
        {"STAT", Pop3Command::Verb::Stat}, {"LIST", Pop3Command::Verb::List},
        {"RETR", Pop3Command::Verb::Retr}, {"DELE", Pop3Command::Verb::Dele},
        {"NOOP", Pop3Command::Verb::Noop}, {"RSET", Pop3Command::Verb::Rset},
        {"TOP", Pop3Command::Verb::Top},   {"UIDL", Pop3Command::Verb::Uidl},
    };
    Pop3Command command;
    const qsizetype space = line.indexOf(' ');
    command.keyword = space < 0 ? line : line.left(space);
    command.verb = verbs.value(command.keyword.toUpper(), Pop3Command::Verb::Unknown);
    if (space < 0)
        return command;
    const QByteArray rest = line.mid(space + 1);
    // A password may hold blanks (RFC 1939 section 7 allows it).
    command.args =
        command.verb == Pop3Command::Verb::Pass ? QList<QByteArray>{rest} : rest.split(' ');
    return command;
}

qint64 pop3MessageNumber(const QByteArray &text)
{
    if (text.isEmpty() || text.size() > 9)
        return 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return 0;
    }
    return text.toLongLong();
}
