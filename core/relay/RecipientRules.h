#pragma once

#include <QByteArray>
#include <QRegularExpression>
#include <QString>

// --relay-allowed and --relay-blocked: which recipients a message may be released to.
class RecipientRules
{
public:
    RecipientRules(const QString &allowed, const QString &blocked);

    // Why the pattern text is not a valid regular expression; empty when both are.
    static QString patternProblem(const QString &pattern);
    // Why `address` may not be a recipient (malformed, not allowed, blocked); empty: it may.
    QString problem(const QByteArray &address) const;

private:
    QRegularExpression m_allowed; // no pattern: anyone
    QRegularExpression m_blocked; // no pattern: nobody
};
