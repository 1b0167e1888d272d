#include "GMimeSupport.h"

#include "MessageDraft.h"

#include <QDateTime>
#include <QUuid>

namespace {
using gmime::GPtr;

void addMailboxes(GMimeMessage *message, GMimeAddressType type,
                  const QList<MessageDraft::Mailbox> &mailboxes)
{
    for (const MessageDraft::Mailbox &mailbox : mailboxes) {
        g_mime_message_add_mailbox(message, type, mailbox.name.toUtf8().constData(),
                                   mailbox.address.toUtf8().constData());
    }
}

GMimeObject *textPart(const char *subtype, const QString &text)
{
    GMimeTextPart *part = g_mime_text_part_new_with_subtype(subtype);
    g_mime_text_part_set_text(part, text.toUtf8().constData());
    g_mime_part_set_content_encoding(
        GMIME_PART(part),
        g_mime_part_get_best_content_encoding(GMIME_PART(part), GMIME_ENCODING_CONSTRAINT_7BIT));
    return GMIME_OBJECT(part);
}

GMimeObject *attachmentPart(const MessageDraft::Attachment &attachment)
{
    const QString type = attachment.contentType.isEmpty()
                             ? QStringLiteral("application/octet-stream")
                             : attachment.contentType;
    const qsizetype slash = type.indexOf(u'/');
    const QByteArray major = (slash > 0 ? type.left(slash) : type).toUtf8();
    const QByteArray minor =
        (slash > 0 ? type.mid(slash + 1) : QStringLiteral("octet-stream")).toUtf8();
    GMimePart *part = g_mime_part_new_with_type(major.constData(), minor.constData());
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(attachment.content.constData(),
                                                               attachment.content.size()));
    GPtr<GMimeDataWrapper> wrapper(
        g_mime_data_wrapper_new_with_stream(stream.get(), GMIME_CONTENT_ENCODING_DEFAULT));
    g_mime_part_set_content(part, wrapper.get());
    g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
    g_mime_part_set_filename(part, attachment.fileName.toUtf8().constData());
    if (!attachment.contentId.isEmpty()) {
        g_mime_object_set_disposition(GMIME_OBJECT(part), GMIME_DISPOSITION_INLINE);
        g_mime_object_set_content_id(GMIME_OBJECT(part), attachment.contentId.toUtf8().constData());
    }
    return GMIME_OBJECT(part);
}

// The body tree; the caller owns the result.
GMimeObject *bodyOf(const MessageDraft &draft)
{
    GMimeObject *body = nullptr;
    if (!draft.text.isEmpty() && !draft.html.isEmpty()) {
        GMimeMultipart *alternative = g_mime_multipart_new_with_subtype("alternative");
        GPtr<GMimeObject> text(textPart("plain", draft.text));
        GPtr<GMimeObject> html(textPart("html", draft.html));
        g_mime_multipart_add(alternative, text.get());
        g_mime_multipart_add(alternative, html.get());
        body = GMIME_OBJECT(alternative);
    } else {
        body = draft.html.isEmpty() ? textPart("plain", draft.text) : textPart("html", draft.html);
    }
    if (draft.attachments.isEmpty())
        return body;
    GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
    g_mime_multipart_add(mixed, body);
    g_object_unref(body);
    for (const MessageDraft::Attachment &attachment : draft.attachments) {
        GPtr<GMimeObject> part(attachmentPart(attachment));
        g_mime_multipart_add(mixed, part.get());
    }
    return GMIME_OBJECT(mixed);
}
} // namespace

QByteArray composeMessage(const MessageDraft &draft, qint64 dateMs)
{
    GPtr<GMimeMessage> message(g_mime_message_new(TRUE));
    addMailboxes(message.get(), GMIME_ADDRESS_TYPE_FROM, {draft.from});
    addMailboxes(message.get(), GMIME_ADDRESS_TYPE_TO, draft.to);
    addMailboxes(message.get(), GMIME_ADDRESS_TYPE_CC, draft.cc);
    addMailboxes(message.get(), GMIME_ADDRESS_TYPE_REPLY_TO, draft.replyTo);
    g_mime_message_set_subject(message.get(), draft.subject.toUtf8().constData(), "utf-8");
    GDateTime *date = g_date_time_new_from_unix_utc(dateMs / 1000);
    g_mime_message_set_date(message.get(), date);
    g_date_time_unref(date);
    const QString domain = draft.from.address.section(u'@', -1);
    const QString messageId = QUuid::createUuid().toString(QUuid::WithoutBraces) + u'@' +
                              (domain.isEmpty() ? QStringLiteral("smtpeek") : domain);
    g_mime_message_set_message_id(message.get(), messageId.toUtf8().constData());
    GMimeObject *object = GMIME_OBJECT(message.get());
    for (const auto &[name, value] : draft.headers) {
        g_mime_object_set_header(object, name.toUtf8().constData(), value.toUtf8().constData(),
                                 "utf-8");
    }
    if (!draft.tags.isEmpty()) {
        g_mime_object_set_header(
            object, "X-Tags", draft.tags.join(QStringLiteral(", ")).toUtf8().constData(), "utf-8");
    }
    GPtr<GMimeObject> body(bodyOf(draft));
    g_mime_message_set_mime_part(message.get(), body.get());

    GMimeFormatOptions *options = g_mime_format_options_new();
    g_mime_format_options_set_newline_format(options, GMIME_NEWLINE_FORMAT_DOS);
    gmime::GCharPtr text(g_mime_object_to_string(object, options));
    g_mime_format_options_free(options);
    return QByteArray(text.get());
}
