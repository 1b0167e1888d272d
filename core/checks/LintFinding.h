#pragma once

#include <QList>
#include <QString>
#include <QStringList>

enum class LintSeverity
{
    Error,
    Warning,
    Info
};

// "error", "warning", "info"
QString lintSeverityName(LintSeverity severity);

// One check of the lint table: what it is called, how bad, where the rule comes from, and the
// one-line fix every finding of it carries.
struct LintRule
{
    const char *id; // stable, e.g. "rfc5322.from-missing"
    LintSeverity severity;
    const char *reference; // e.g. "RFC 5322 3.6"
    const char *fix;
};

// Every rule, in the order the findings are explained in.
const QList<LintRule> &lintRules();
// The rule with this id, or null.
const LintRule *lintRule(const QString &id);

struct LintFinding
{
    QString id;
    LintSeverity severity = LintSeverity::Warning;
    QString reference;
    qint64 offset = -1; // byte offset in the raw message; -1 when the finding has no place
    int line = 0;       // 1-based line of `offset`; 0 when it has none
    QString message;    // what is wrong here, one line
    QString fix;
};

// What the message alone cannot say.
struct LintOptions
{
    bool smtpUtf8 = false;    // the envelope had SMTPUTF8 (RFC 6531)
    QStringList smtpWarnings; // compliance warnings recorded while the message was received
};
