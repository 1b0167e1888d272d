#pragma once

// The JSON of smtpeek's check endpoints (extensions to Mailpit's API, named in its style):
// /api/v1/message/{ID}/lint and /api/v1/message/{ID}/auth.

#include "checks/MessageAuth.h"
#include "checks/MessageLint.h"
#include "records/Records.h"

#include <QJsonObject>

// {"Errors", "Warnings", "Findings": [{"ID", "Severity", "Reference", "Offset", "Line",
// "Message", "Fix"}]}: the lint of `record` (decoded as `decoded`), the compliance warnings
// recorded when it arrived among the findings.
QJsonObject lintJson(const MessageRecord &record, const DecodedMessage &decoded);

// {"DKIM": [...], "DMARC": {...}, "ARC": [...], "ARCChain": {"Result", "Reason"}}
QJsonObject authJson(const AuthReport &report);
