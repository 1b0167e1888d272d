#include "MessageLint.h"

#include "LintContext.h"

#include <algorithm>

namespace {
using LintPass = void (*)(LintContext &);
const LintPass kPasses[] = {lintRecordedWarnings, lintHeaderFields, lintLineLengths,
                            lintMimeStructure,    lintUnsubscribe,  lintHtmlBody};
} // namespace

LintContext::LintContext(const QByteArray &raw, const DecodedMessage &decoded,
                         const LintOptions &options)
    : raw(raw), decoded(decoded), options(options), entities(walkMime(raw)), m_lines(raw)
{}

qsizetype LintContext::headerEnd() const
{
    const RawHeaderBlock &block = header();
    return block.fields.isEmpty() ? 0 : block.fields.last().offset + block.fields.last().length;
}

const RawMimeEntity *LintContext::entity(const QString &path) const
{
    for (const RawMimeEntity &candidate : entities) {
        if (candidate.path == path)
            return &candidate;
    }
    return nullptr;
}

void LintContext::report(const char *id, qint64 offset, const QString &message,
                         const QString &reference)
{
    const QString key = QLatin1String(id);
    if (++m_perRule[key] > kMaxFindingsPerRule)
        return;
    const LintRule *rule = lintRule(key);
    Q_ASSERT(rule);
    m_findings.append({key, rule->severity,
                       reference.isEmpty() ? QLatin1String(rule->reference) : reference, offset,
                       offset < 0 ? 0 : lineOf(offset), message, QLatin1String(rule->fix)});
}

QList<LintFinding> LintContext::takeFindings()
{
    for (auto it = m_perRule.cbegin(); it != m_perRule.cend(); ++it) {
        if (it.value() <= kMaxFindingsPerRule)
            continue;
        const LintRule *rule = lintRule(it.key());
        m_findings.append({it.key(), rule->severity, QLatin1String(rule->reference), -1, 0,
                           QStringLiteral("%1 more findings of this rule not listed")
                               .arg(it.value() - kMaxFindingsPerRule),
                           QLatin1String(rule->fix)});
    }
    std::stable_sort(
        m_findings.begin(), m_findings.end(),
        [](const LintFinding &a, const LintFinding &b) { return a.offset < b.offset; });
    return std::move(m_findings);
}

QList<LintFinding> lintMessage(const QByteArray &raw, const DecodedMessage &decoded,
                               const LintOptions &options)
{
    LintContext context(raw, decoded, options);
    for (const LintPass pass : kPasses)
        pass(context);
    return context.takeFindings();
}

LintCounts countFindings(const QList<LintFinding> &findings)
{
    LintCounts counts;
    for (const LintFinding &finding : findings) {
        switch (finding.severity) {
        case LintSeverity::Error:
            ++counts.errors;
            break;
        case LintSeverity::Warning:
            ++counts.warnings;
            break;
        case LintSeverity::Info:
            ++counts.infos;
            break;
        }
    }
    return counts;
}

QList<LintFinding> lintRecord(const MessageRecord &record, const DecodedMessage &decoded)
{
    LintOptions options;
    options.smtpUtf8 = record.envelope.smtpUtf8;
    options.smtpWarnings = record.warnings;
    return lintMessage(record.raw, decoded, options);
}
