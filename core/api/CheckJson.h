#pragma once

// The JSON of the check endpoints: Mailpit's /html-check, /link-check and /sa-check, with
// smtpeek's additions after Mailpit's fields, and smtpeek's own /lint and /auth (named in
// Mailpit's style).

#include "checks/HtmlCompatibility.h"
#include "checks/LinkCheck.h"
#include "checks/MessageAuth.h"
#include "checks/MessageLint.h"
#include "checks/SpamAssassin.h"
#include "records/Records.h"

#include <QJsonObject>

// {"Errors", "Warnings", "Findings": [{"ID", "Severity", "Reference", "Offset", "Line",
// "Message", "Fix"}]}: the lint of `record` (decoded as `decoded`), the compliance warnings
// recorded when it arrived among the findings.
QJsonObject lintJson(const MessageRecord &record, const DecodedMessage &decoded);

// {"DKIM": [...], "DMARC": {...}, "ARC": [...], "ARCChain": {"Result", "Reason"}}
QJsonObject authJson(const AuthReport &report);

// Mailpit's {"Platforms", "Total": {"Nodes", "Tests", "Supported", "Partial", "Unsupported"},
// "Warnings": [{"Slug", "Title", "Description", "URL", "Category", "Tags", "Keywords",
// "Results": [{"Name", "Platform", "Family", "Version", "Support", "NoteNumber"}],
// "NotesByNumber", "Score": {"Found", "Supported", "Partial", "Unsupported"}, + "Locations":
// [{"Offset", "Line", "Column"}]}]}, + "Clients", "HTMLSize", "GmailClipped", "PartlyChecked",
// "UnterminatedCSS", "DataDate".
QJsonObject htmlCheckJson(const HtmlCompatibilityReport &report);

// Mailpit's {"Errors", "Links": [{"URL", "StatusCode", "Status", + "Method", "Redirects":
// [{"URL", "StatusCode"}]}]}, + "NotChecked".
QJsonObject linkCheckJson(const LinkCheckReport &report);

// Mailpit's {"Error", "IsSpam", "Score", "Rules": [{"Score", "Name", "Description"}]},
// + "Threshold".
QJsonObject spamCheckJson(const SpamReport &report);
