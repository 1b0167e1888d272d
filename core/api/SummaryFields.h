#pragma once

#include "mime/DecodedMessage.h"
#include "records/Records.h"

#include <QCache>

class MessageStore;

// What a Mailpit list entry shows beyond the store's summary: the address lists as
// {Name, Address}, the Reply-To list, a text snippet and the number of attachments. The store
// keeps none of these, so they are decoded from the raw message once and cached.
struct SummaryFields
{
    QList<MailAddress> from;
    QList<MailAddress> to;
    QList<MailAddress> cc;
    QList<MailAddress> bcc; // the Bcc header only; envelope-only recipients are added on output
    QList<MailAddress> replyTo;
    QString snippet;
    int attachments = 0;
};

// Longest snippet, in characters, as in Mailpit.
constexpr int kSnippetLength = 250;

// Snippet of a decoded message: its text body, or its HTML body without markup, with runs of
// white space collapsed, cut at kSnippetLength characters.
QString messageSnippet(const DecodedMessage &message);

// How Mailpit lists a part: an attachment, an inline part (shown within the HTML, e.g. a cid:
// image), or neither (the bodies, the multiparts, and the parts inside an attached message,
// which belong to that attachment).
enum class PartRole
{
    None,
    Inline,
    Attachment
};
PartRole partRole(const DecodedMessage &message, const MimePart &part);

int attachmentCount(const DecodedMessage &message);

SummaryFields summaryFieldsOf(const DecodedMessage &message);

// Decodes at most the first kSummaryDecodeBytes of each message: enough for every header and
// a snippet, and a 25 MB message costs no more to list than a small one.
class SummaryFieldsCache
{
public:
    static constexpr qint64 kSummaryDecodeBytes = 256 * 1024;

    explicit SummaryFieldsCache(const MessageStore *store, int capacity = 20000);

    // The fields of message `summary.id`; empty fields when the message is gone.
    SummaryFields fields(const MessageSummary &summary);
    void remove(qint64 id) { m_cache.remove(id); }
    void clear() { m_cache.clear(); }

private:
    const MessageStore *m_store;
    QCache<qint64, SummaryFields> m_cache;
};
