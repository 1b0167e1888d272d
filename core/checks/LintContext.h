#pragma once

// What the lint passes share: the message in its three views (bytes, raw MIME structure,
// decoded) and the list the findings go to. Internal to core/checks.

#include "LintFinding.h"
#include "RawMime.h"

#include "mime/DecodedMessage.h"

#include <QHash>

class LintContext
{
public:
    LintContext(const QByteArray &raw, const DecodedMessage &decoded, const LintOptions &options);

    const QByteArray &raw;
    const DecodedMessage &decoded;
    const LintOptions &options;
    const QList<RawMimeEntity> entities; // never empty: the whole message comes first

    const RawHeaderBlock &header() const { return entities.first().header; }
    // Where a missing top-level field would go: the end of the header.
    qsizetype headerEnd() const;
    const RawMimeEntity *entity(const QString &path) const;
    int lineOf(qsizetype offset) const { return m_lines.lineOf(offset); }

    // A finding of the rule `id` (which must be in the table) at `offset` (-1: none).
    void report(const char *id, qint64 offset, const QString &message,
                const QString &reference = {});
    QList<LintFinding> takeFindings();

private:
    LineIndex m_lines;
    QList<LintFinding> m_findings;
    QHash<QString, int> m_perRule;
};

// The passes, each over one area of the table; MessageLint.cpp runs them in order.
void lintHeaderFields(LintContext &context);     // RFC 5322 fields, RFC 2047, RFC 6532
void lintLineLengths(LintContext &context);      // RFC 5322 2.1.1
void lintMimeStructure(LintContext &context);    // RFC 2045, 2046, 2231
void lintUnsubscribe(LintContext &context);      // RFC 2369, RFC 8058, bulk sender rules
void lintHtmlBody(LintContext &context);         // text alternative, <img alt>
void lintRecordedWarnings(LintContext &context); // SMTP compliance and MIME decoder warnings
