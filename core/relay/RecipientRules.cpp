#include "RecipientRules.h"

#include "OutgoingMessage.h"

namespace {
// Addresses are compared case-insensitively, as mail systems treat their domains.
QRegularExpression compiled(const QString &pattern)
{
    return pattern.isEmpty()
               ? QRegularExpression()
               : QRegularExpression(pattern, QRegularExpression::CaseInsensitiveOption);
}
} // namespace

RecipientRules::RecipientRules(const QString &allowed, const QString &blocked)
    : m_allowed(compiled(allowed)), m_blocked(compiled(blocked))
{}

QString RecipientRules::patternProblem(const QString &pattern)
{
    const QRegularExpression expression(pattern);
    return expression.isValid() ? QString()
                                : QStringLiteral("'%1' is not a valid regular expression: %2")
                                      .arg(pattern, expression.errorString());
}

QString RecipientRules::problem(const QByteArray &address) const
{
    const QString text = QString::fromUtf8(address);
    if (!isPlausibleAddress(address))
        return QStringLiteral("'%1' is not an email address").arg(text);
    if (m_allowed.isValid() && !m_allowed.pattern().isEmpty() && !m_allowed.match(text).hasMatch())
        return QStringLiteral("'%1' is not an allowed recipient (--relay-allowed %2)")
            .arg(text, m_allowed.pattern());
    if (m_blocked.isValid() && !m_blocked.pattern().isEmpty() && m_blocked.match(text).hasMatch())
        return QStringLiteral("'%1' is a blocked recipient (--relay-blocked %2)")
            .arg(text, m_blocked.pattern());
    return {};
}
