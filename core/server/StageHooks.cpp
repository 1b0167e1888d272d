#include "StageHooks.h"

namespace {
const QLatin1String kPrefix("Rule '");
} // namespace

QString ruleWarning(const QString &rule, const QString &effect)
{
    return kPrefix + rule + QStringLiteral("' ") + effect;
}

std::optional<QString> ruleOfWarning(const QString &warning)
{
    if (!warning.startsWith(kPrefix))
        return std::nullopt;
    const qsizetype end = warning.lastIndexOf(QStringLiteral("' "));
    if (end < kPrefix.size())
        return std::nullopt;
    return warning.mid(kPrefix.size(), end - kPrefix.size());
}
