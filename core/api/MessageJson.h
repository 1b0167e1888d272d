#pragma once

#include "SummaryFields.h"

#include "mime/DecodedMessage.h"
#include "records/Records.h"

#include <QJsonArray>
#include <QJsonObject>

// The JSON shapes of Mailpit's API v1, keyed by Mailpit's Go field names, plus smtpeek's own
// fields (Envelope, SessionID, Warnings), which Mailpit clients ignore.

// RFC 3339 with milliseconds in UTC, as Mailpit's "Created".
QString apiTime(qint64 epochMs);
// Message IDs are integers here and strings in Mailpit.
QString apiId(qint64 id);

QJsonObject addressJson(const MailAddress &address);
QJsonArray addressListJson(const QList<MailAddress> &addresses);

// The Bcc header's addresses plus every envelope recipient that no To, Cc or Bcc header names:
// the recipients a client can only learn from the SMTP envelope.
QList<MailAddress> blindRecipients(const QList<MailAddress> &to, const QList<MailAddress> &cc,
                                   const QList<MailAddress> &bcc, const QList<QByteArray> &rcptTo);

// {"From": MAIL FROM ("" for the null sender), "To": [RCPT TO...]}
QJsonObject envelopeJson(const QByteArray &mailFrom, const QList<QByteArray> &rcptTo);

// One entry of /api/v1/messages, /api/v1/search and of the "new" event.
QJsonObject summaryJson(const MessageSummary &summary, const SummaryFields &fields);

// /api/v1/message/{ID}. `decoded` is `record.raw` decoded; attachment checksums read the
// part bytes from `record.raw`.
QJsonObject messageJson(const MessageRecord &record, const DecodedMessage &decoded);

// /api/v1/message/{ID}/headers: canonical header names, sorted, each with its values in order,
// unfolded and undecoded as Mailpit (Go's net/mail) gives them.
QJsonObject headersJson(const DecodedMessage &decoded);

// "Content-type" -> "Content-Type", "message-id" -> "Message-Id" (Go's canonical MIME key).
QString canonicalHeaderName(const QString &name);

// The envelope of /api/v1/messages and /api/v1/search: mailbox totals, the counts that match
// (all messages for a plain list), the page's start offset and the page itself.
struct MessageListCounts
{
    qint64 total = 0;
    qint64 unread = 0;
    qint64 matching = 0;
    qint64 matchingUnread = 0;
    qint64 start = 0;
    QStringList tags; // every tag in the mailbox, as Mailpit lists them
};
QJsonObject messageListJson(const MessageListCounts &counts, const QJsonArray &messages);

// The rules that acted on a session or message, by name, from its warnings (server/StageHooks.h).
QJsonArray rulesFired(const QStringList &warnings);
