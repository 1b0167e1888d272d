#pragma once

// Lint: the message against the RFCs, as a list of findings from the table in LintRules.cpp,
// each at its byte offset and line in the raw message. Pure and linear in the message size,
// so it may run on any thread; needs GMime initialised only for `decoded` (see
// mime/DecodedMessage.h).

#include "LintFinding.h"

#include "mime/DecodedMessage.h"
#include "records/Records.h"

// Findings of one rule beyond this many are summed up in one last finding of that rule.
constexpr int kMaxFindingsPerRule = 20;

// The findings for `raw` (decoded as `decoded`), message-level ones (offset -1) first, then
// by offset.
QList<LintFinding> lintMessage(const QByteArray &raw, const DecodedMessage &decoded,
                               const LintOptions &options = {});

// lintMessage() of a stored message, with its envelope's SMTPUTF8 and the compliance warnings
// recorded when it arrived.
QList<LintFinding> lintRecord(const MessageRecord &record, const DecodedMessage &decoded);

struct LintCounts
{
    int errors = 0;
    int warnings = 0;
    int infos = 0;
};
LintCounts countFindings(const QList<LintFinding> &findings);
