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
    const QList<LintFinding> findings = lintRecord(record, decoded);
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

QJsonObject htmlCheckJson(const HtmlCompatibilityReport &report)
{
    QJsonObject platforms;
    for (auto it = report.platforms.begin(); it != report.platforms.end(); ++it)
        platforms.insert(it.key(), QJsonArray::fromStringList(it.value()));
    QJsonArray warnings;
    for (const CompatibilityWarning &w : report.warnings) {
        QJsonArray results;
        for (const CompatibilityResult &r : w.results)
            results.append(QJsonObject{{QStringLiteral("Name"), r.name},
                                       {QStringLiteral("Platform"), r.platform},
                                       {QStringLiteral("Family"), r.family},
                                       {QStringLiteral("Version"), r.version},
                                       {QStringLiteral("Support"), r.support},
                                       {QStringLiteral("NoteNumber"), r.noteNumber}});
        QJsonObject notes;
        for (auto it = w.notesByNumber.begin(); it != w.notesByNumber.end(); ++it)
            notes.insert(it.key(), it.value());
        QJsonArray locations;
        for (const HtmlLocation &l : w.locations)
            locations.append(QJsonObject{{QStringLiteral("Offset"), qint64(l.offset)},
                                         {QStringLiteral("Line"), l.line},
                                         {QStringLiteral("Column"), l.column}});
        warnings.append(
            QJsonObject{{QStringLiteral("Slug"), w.slug},
                        {QStringLiteral("Title"), w.title},
                        {QStringLiteral("Description"), w.description},
                        {QStringLiteral("URL"), w.url},
                        {QStringLiteral("Category"), w.category},
                        {QStringLiteral("Tags"), QJsonArray::fromStringList(w.tags)},
                        {QStringLiteral("Keywords"), w.keywords},
                        {QStringLiteral("Results"), results},
                        {QStringLiteral("NotesByNumber"), notes},
                        {QStringLiteral("Score"),
                         QJsonObject{{QStringLiteral("Found"), w.score.found},
                                     {QStringLiteral("Supported"), w.score.supported},
                                     {QStringLiteral("Partial"), w.score.partial},
                                     {QStringLiteral("Unsupported"), w.score.unsupported}}},
                        {QStringLiteral("Locations"), locations}});
    }
    QJsonArray clients;
    for (const ClientCompatibility &c : report.clients)
        clients.append(QJsonObject{{QStringLiteral("Family"), c.family},
                                   {QStringLiteral("Platform"), c.platform},
                                   {QStringLiteral("Name"), c.name},
                                   {QStringLiteral("Supported"), c.supported},
                                   {QStringLiteral("Partial"), c.partial},
                                   {QStringLiteral("Unsupported"), c.unsupported}});
    return {
        {QStringLiteral("Platforms"), platforms},
        {QStringLiteral("Total"), QJsonObject{{QStringLiteral("Nodes"), report.nodes},
                                              {QStringLiteral("Tests"), report.tests},
                                              {QStringLiteral("Supported"), report.supported},
                                              {QStringLiteral("Partial"), report.partial},
                                              {QStringLiteral("Unsupported"), report.unsupported}}},
        {QStringLiteral("Warnings"), warnings},
        {QStringLiteral("Clients"), clients},
        {QStringLiteral("HTMLSize"), qint64(report.htmlBytes)},
        {QStringLiteral("GmailClipped"), report.gmailClips},
        {QStringLiteral("PartlyChecked"), report.partlyChecked},
        {QStringLiteral("UnterminatedCSS"), report.unterminatedCss},
        {QStringLiteral("DataDate"), report.dataDate}};
}

QJsonObject linkCheckJson(const LinkCheckReport &report)
{
    QJsonArray links;
    for (const LinkStatus &link : report.links) {
        QJsonArray redirects;
        for (const LinkHop &hop : link.redirects)
            redirects.append(QJsonObject{{QStringLiteral("URL"), hop.url},
                                         {QStringLiteral("StatusCode"), hop.statusCode}});
        links.append(QJsonObject{{QStringLiteral("URL"), link.url},
                                 {QStringLiteral("StatusCode"), link.statusCode},
                                 {QStringLiteral("Status"), link.status},
                                 {QStringLiteral("Method"), link.method},
                                 {QStringLiteral("Redirects"), redirects}});
    }
    return {{QStringLiteral("Errors"), report.errors},
            {QStringLiteral("Links"), links},
            {QStringLiteral("NotChecked"), report.notChecked}};
}

QJsonObject spamCheckJson(const SpamReport &report)
{
    QJsonArray rules;
    for (const SpamRule &rule : report.rules)
        rules.append(QJsonObject{{QStringLiteral("Score"), rule.score},
                                 {QStringLiteral("Name"), rule.name},
                                 {QStringLiteral("Description"), rule.description}});
    return {{QStringLiteral("Error"), report.error},
            {QStringLiteral("IsSpam"), report.isSpam},
            {QStringLiteral("Score"), report.score},
            {QStringLiteral("Rules"), rules},
            {QStringLiteral("Threshold"), report.threshold}};
}
