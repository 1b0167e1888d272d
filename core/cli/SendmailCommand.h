#pragma once

#include <QIODevice>
#include <QStringList>
#include <QTextStream>

// `smtpeek sendmail`: a /usr/sbin/sendmail stand-in that submits standard input over SMTP to a
// running smtpeek. Exit codes from sysexits.h (SendmailInput.h).
int runSendmailCommand(const QStringList &arguments, QIODevice *input, QTextStream &err);
