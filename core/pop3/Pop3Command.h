#pragma once

#include <QByteArray>
#include <QList>

// One POP3 command line (RFC 1939, RFC 2449 CAPA, RFC 2595 STLS, RFC 5034 AUTH), parsed by a
// pure function: a case-insensitive keyword and its arguments, separated by single spaces.
struct Pop3Command
{
    enum class Verb
    {
        Unknown,
        Capa,
        User,
        Pass,
        Auth,
        Stls,
        Quit,
        Stat,
        List,
        Retr,
        Dele,
        Noop,
        Rset,
        Top,
        Uidl
    };

    Verb verb = Verb::Unknown;
    QByteArray keyword;     // as sent, for the reply to an unknown one
    QList<QByteArray> args; // PASS keeps its whole argument, blanks included, as args[0]
};

// `line` without its CRLF.
Pop3Command parsePop3Command(const QByteArray &line);

// A message number argument: 1-based, decimal, at most 9 digits; 0 when it is not one.
qint64 pop3MessageNumber(const QByteArray &text);
