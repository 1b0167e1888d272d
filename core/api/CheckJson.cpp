#include "CheckJson.h"

#include <QJsonArray>

namespace {
QJsonObject findingJson(const LintFinding &finding)
{
    return {{QStringLiteral("ID"), finding.id},
            {QStringLiteral("Severity"), lintSeverityName(finding.severity)},
            {QStringLiteral("Reference"), finding.reference},
            {QStringLiteral("Offset"), finding.offset},
            {QStringLiteral("Line"), finding.line},
            {QStringLiteral("Message"), finding.message},
            {QStringLiteral("Fix"), finding.fix}};
}

QJsonObject dkimJson(const DkimReport &report)
{
    const DkimVerification &v = report.verification;
    return {{QStringLiteral("Domain"), v.domain},
            {QStringLiteral("Selector"), v.selector},
            {QStringLiteral("Algorithm"), v.algorithm},
            {QStringLiteral("Canonicalization"), v.canonicalization},
            {QStringLiteral("Identity"), v.identity},
            {QStringLiteral("BodyHash"), checkOutcomeName(v.bodyHash)},
            {QStringLiteral("Signature"), checkOutcomeName(v.signature)},
            {QStringLiteral("Result"), v.result},
            {QStringLiteral("Reason"), v.reason},
            {QStringLiteral("Offset"), qint64(v.offset)},
            {QStringLiteral("Aligned"), report.aligned},
            {QStringLiteral("AlignedStrict"), report.alignedStrict}};
}

QJsonObject arcSetJson(const ArcSetReport &set)
{
    return {{QStringLiteral("Instance"), set.instance},
            {QStringLiteral("ChainValidation"), set.chainValidation},
            {QStringLiteral("Domain"), set.domain},
            {QStringLiteral("Selector"), set.selector},
            {QStringLiteral("Seal"), checkOutcomeName(set.seal)},
            {QStringLiteral("MessageSignature"), checkOutcomeName(set.messageSignature)},
            {QStringLiteral("AuthenticationResults"), set.authenticationResults},
            {QStringLiteral("Problems"), QJsonArray::fromStringList(set.problems)}};
}
} // namespace

QJsonObject lintJson(const MessageRecord &record, const DecodedMessage &decoded)
{
    LintOptions options;
    options.smtpUtf8 = record.envelope.smtpUtf8;
    options.smtpWarnings = record.warnings;
    const QList<LintFinding> findings = lintMessage(record.raw, decoded, options);
    QJsonArray array;
    for (const LintFinding &finding : findings)
        array.append(findingJson(finding));
    const LintCounts counts = countFindings(findings);
    return {{QStringLiteral("Errors"), counts.errors},
            {QStringLiteral("Warnings"), counts.warnings},
            {QStringLiteral("Findings"), array}};
}

QJsonObject authJson(const AuthReport &report)
{
    QJsonArray dkim;
    for (const DkimReport &signature : report.dkim)
        dkim.append(dkimJson(signature));
    QJsonArray arc;
    for (const ArcSetReport &set : report.arc.sets)
        arc.append(arcSetJson(set));
    return {
        {QStringLiteral("DKIM"), dkim},
        {QStringLiteral("DMARC"),
         QJsonObject{{QStringLiteral("FromDomain"), report.dmarc.fromDomain},
                     {QStringLiteral("OrganizationalDomain"), report.dmarc.organizationalDomain},
                     {QStringLiteral("Aligned"), report.dmarc.aligned},
                     {QStringLiteral("AlignedStrict"), report.dmarc.alignedStrict}}},
        {QStringLiteral("ARC"), arc},
        {QStringLiteral("ARCChain"), QJsonObject{{QStringLiteral("Result"), report.arc.result},
                                                 {QStringLiteral("Reason"), report.arc.reason}}}};
}
