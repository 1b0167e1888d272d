#include "SummaryFields.h"

#include "store/MessageStore.h"

#include <QRegularExpression>

#include <algorithm>

namespace {
// Markup never shows in a snippet: drop whole style/script/head blocks, then every tag, then
// decode the few entities that are common in mail.
QString htmlToText(QString html)
{
    static const QRegularExpression blocks(
        QStringLiteral("<(style|script|head|title)\\b[^>]*>.*?</\\1\\s*>"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression tags(QStringLiteral("<[^>]*>"));
    html.remove(blocks);
    html.replace(tags, QStringLiteral(" "));
    html.replace(QLatin1String("&nbsp;"), QLatin1String(" "));
    html.replace(QLatin1String("&lt;"), QLatin1String("<"));
    html.replace(QLatin1String("&gt;"), QLatin1String(">"));
    html.replace(QLatin1String("&quot;"), QLatin1String("\""));
    html.replace(QLatin1String("&#39;"), QLatin1String("'"));
    html.replace(QLatin1String("&amp;"), QLatin1String("&"));
    return html;
}
} // namespace

QString messageSnippet(const DecodedMessage &message)
{
    const QString source =
        message.textBody.trimmed().isEmpty() ? htmlToText(message.htmlBody) : message.textBody;
    // Only the start matters: simplifying a megabyte of text to show 250 characters is waste.
    QString snippet = source.left(kSnippetLength * 8).simplified();
    if (snippet.size() > kSnippetLength) {
        snippet.truncate(kSnippetLength);
        if (snippet.back().isHighSurrogate())
            snippet.chop(1);
        snippet = snippet.trimmed() + QStringLiteral("...");
    }
    return snippet;
}

PartRole partRole(const DecodedMessage &message, const MimePart &part)
{
    if (!part.enclosingMessage.isEmpty() || part.isMultipart() ||
        part.path == message.textBodyPath || part.path == message.htmlBodyPath)
        return PartRole::None;
    // Disposition decides, as in Mailpit; a Content-ID without one marks an embedded resource.
    const bool declaredInline =
        part.disposition == QLatin1String("inline") ||
        (part.disposition.isEmpty() && !part.contentId.isEmpty() && !part.isMessage());
    if (declaredInline)
        return part.fileName.isEmpty() && part.contentId.isEmpty() ? PartRole::None
                                                                   : PartRole::Inline;
    return part.isAttachment ? PartRole::Attachment : PartRole::None;
}

int attachmentCount(const DecodedMessage &message)
{
    return int(std::count_if(message.parts.cbegin(), message.parts.cend(), [&](const MimePart &p) {
        return partRole(message, p) == PartRole::Attachment;
    }));
}

SummaryFields summaryFieldsOf(const DecodedMessage &message)
{
    return {message.from,
            message.to,
            message.cc,
            message.bcc,
            message.replyTo,
            messageSnippet(message),
            attachmentCount(message)};
}

SummaryFieldsCache::SummaryFieldsCache(const MessageStore *store, int capacity)
    : m_store(store), m_cache(capacity)
{}

SummaryFields SummaryFieldsCache::fields(const MessageSummary &summary)
{
    if (const SummaryFields *cached = m_cache.object(summary.id))
        return *cached;
    const std::optional<QByteArray> raw = m_store->raw(summary.id);
    if (!raw)
        return {};
    const bool truncated = raw->size() > kSummaryDecodeBytes;
    SummaryFields fields =
        summaryFieldsOf(decodeMessage(truncated ? raw->left(kSummaryDecodeBytes) : *raw));
    // A cut message may hide its attachments past the cut; the store's headline saw them all.
    if (truncated && summary.headline.hasAttachments)
        fields.attachments = qMax(fields.attachments, 1);
    m_cache.insert(summary.id, new SummaryFields(fields));
    return fields;
}
