#include "SendRequest.h"

#include "relay/OutgoingMessage.h"

#include <QJsonArray>

namespace {
// Reads fields one at a time; the first problem wins and names its field.
class FieldReader
{
public:
    explicit FieldReader(QString *error) : m_error(error) {}

    bool failed() const { return !m_error->isEmpty(); }
    void fail(const QString &field, const QString &problem)
    {
        if (!failed())
            *m_error = QStringLiteral("%1: %2").arg(field, problem);
    }

    QString string(const QJsonObject &object, const QString &key, const QString &field)
    {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isString())
            fail(field, QStringLiteral("expected a string"));
        return value.toString();
    }

    // {"Email": "a@b", "Name": "A"}; Bcc's entries may be plain strings, as in Mailpit.
    MessageDraft::Mailbox mailbox(const QJsonValue &value, const QString &field, bool plainOk)
    {
        MessageDraft::Mailbox mailbox;
        if (plainOk && value.isString()) {
            mailbox.address = value.toString().trimmed();
        } else if (value.isObject()) {
            mailbox.address =
                string(value.toObject(), QStringLiteral("Email"), field + QStringLiteral(".Email"))
                    .trimmed();
            mailbox.name =
                string(value.toObject(), QStringLiteral("Name"), field + QStringLiteral(".Name"));
        } else {
            fail(field, plainOk ? QStringLiteral("expected an address")
                                : QStringLiteral("expected {\"Email\": …, \"Name\": …}"));
            return mailbox;
        }
        const QString where =
            plainOk && value.isString() ? field : field + QStringLiteral(".Email");
        if (mailbox.address.isEmpty())
            fail(where, QStringLiteral("missing"));
        else if (!isPlausibleAddress(mailbox.address.toUtf8()))
            fail(where, QStringLiteral("not an email address: %1").arg(mailbox.address));
        else if (mailbox.name.contains(u'\r') || mailbox.name.contains(u'\n'))
            fail(field + QStringLiteral(".Name"), QStringLiteral("contains a line break"));
        return mailbox;
    }

    QList<MessageDraft::Mailbox> mailboxes(const QJsonObject &body, const QString &key,
                                           bool plainOk)
    {
        const QJsonValue value = body.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isArray()) {
            fail(key, QStringLiteral("expected an array"));
            return {};
        }
        QList<MessageDraft::Mailbox> list;
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size() && !failed(); ++i)
            list.append(mailbox(array[i], QStringLiteral("%1[%2]").arg(key).arg(i), plainOk));
        return list;
    }

    MessageDraft::Attachment attachment(const QJsonValue &value, const QString &field)
    {
        MessageDraft::Attachment attachment;
        if (!value.isObject()) {
            fail(field, QStringLiteral("expected an object"));
            return attachment;
        }
        const QJsonObject object = value.toObject();
        attachment.fileName = string(object, QStringLiteral("Filename"), field + ".Filename");
        attachment.contentType =
            string(object, QStringLiteral("ContentType"), field + ".ContentType");
        attachment.contentId = string(object, QStringLiteral("ContentID"), field + ".ContentID");
        const QString content = string(object, QStringLiteral("Content"), field + ".Content");
        if (failed())
            return attachment;
        if (attachment.fileName.trimmed().isEmpty())
            fail(field + QStringLiteral(".Filename"), QStringLiteral("missing"));
        if (!attachment.contentType.isEmpty() && !attachment.contentType.contains(u'/'))
            fail(field + QStringLiteral(".ContentType"), QStringLiteral("expected type/subtype"));
        auto decoded = QByteArray::fromBase64Encoding(content.toLatin1(),
                                                      QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || !content.isSimpleText())
            fail(field + QStringLiteral(".Content"), QStringLiteral("invalid base64"));
        attachment.content = *decoded;
        return attachment;
    }

private:
    QString *m_error;
};

bool isHeaderName(const QString &name)
{
    if (name.isEmpty())
        return false;
    for (const QChar c : name) {
        if (c.unicode() <= 32 || c.unicode() >= 127 || c == u':')
            return false;
    }
    return true;
}
} // namespace

std::optional<MessageDraft> parseSendRequest(const QJsonObject &body, QString *error)
{
    error->clear();
    FieldReader read(error);
    MessageDraft draft;
    const QJsonValue from = body.value(QStringLiteral("From"));
    if (from.isUndefined() || from.isNull())
        read.fail(QStringLiteral("From"), QStringLiteral("missing"));
    else
        draft.from = read.mailbox(from, QStringLiteral("From"), false);
    draft.to = read.mailboxes(body, QStringLiteral("To"), false);
    draft.cc = read.mailboxes(body, QStringLiteral("Cc"), false);
    draft.bcc = read.mailboxes(body, QStringLiteral("Bcc"), true);
    draft.replyTo = read.mailboxes(body, QStringLiteral("ReplyTo"), false);
    draft.subject = read.string(body, QStringLiteral("Subject"), QStringLiteral("Subject"));
    draft.text = read.string(body, QStringLiteral("Text"), QStringLiteral("Text"));
    draft.html = read.string(body, QStringLiteral("HTML"), QStringLiteral("HTML"));
    if (!read.failed() && draft.to.isEmpty() && draft.cc.isEmpty() && draft.bcc.isEmpty())
        read.fail(QStringLiteral("To"), QStringLiteral("no recipients in To, Cc or Bcc"));

    const QJsonValue attachments = body.value(QStringLiteral("Attachments"));
    if (!attachments.isUndefined() && !attachments.isNull() && !attachments.isArray())
        read.fail(QStringLiteral("Attachments"), QStringLiteral("expected an array"));
    const QJsonArray list = attachments.toArray();
    for (qsizetype i = 0; i < list.size() && !read.failed(); ++i)
        draft.attachments.append(
            read.attachment(list[i], QStringLiteral("Attachments[%1]").arg(i)));

    const QJsonValue headers = body.value(QStringLiteral("Headers"));
    if (!headers.isUndefined() && !headers.isNull() && !headers.isObject())
        read.fail(QStringLiteral("Headers"), QStringLiteral("expected an object"));
    const QJsonObject headerObject = headers.toObject();
    for (auto it = headerObject.begin(); it != headerObject.end() && !read.failed(); ++it) {
        const QString field = QStringLiteral("Headers.%1").arg(it.key());
        if (!isHeaderName(it.key()))
            read.fail(field, QStringLiteral("not a header name"));
        else if (!it.value().isString())
            read.fail(field, QStringLiteral("expected a string"));
        else if (it.value().toString().contains(u'\r') || it.value().toString().contains(u'\n'))
            read.fail(field, QStringLiteral("contains a line break"));
        else
            draft.headers.append({it.key(), it.value().toString()});
    }

    const QJsonValue tags = body.value(QStringLiteral("Tags"));
    if (!tags.isUndefined() && !tags.isNull() && !tags.isArray())
        read.fail(QStringLiteral("Tags"), QStringLiteral("expected an array of strings"));
    for (const QJsonValue &tag : tags.toArray()) {
        if (!tag.isString() || tag.toString().trimmed().isEmpty() ||
            tag.toString().contains(u',') || tag.toString().contains(u'\n'))
            read.fail(QStringLiteral("Tags"), QStringLiteral("expected an array of tag names"));
        else
            draft.tags.append(tag.toString().trimmed());
    }
    if (read.failed())
        return std::nullopt;
    return draft;
}

QList<QByteArray> draftRecipients(const MessageDraft &draft)
{
    QList<QByteArray> recipients;
    for (const auto *list : {&draft.to, &draft.cc, &draft.bcc}) {
        for (const MessageDraft::Mailbox &mailbox : *list) {
            const QByteArray address = mailbox.address.toUtf8();
            if (!recipients.contains(address))
                recipients.append(address);
        }
    }
    return recipients;
}
