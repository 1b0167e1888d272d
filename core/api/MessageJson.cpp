#include "MessageJson.h"

#include "server/StageHooks.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QRegularExpression>

namespace {
QJsonArray stringArray(const QStringList &strings)
{
    return QJsonArray::fromStringList(strings);
}

QString firstHeader(const DecodedMessage &decoded, QLatin1String name)
{
    for (const MimeHeader &header : decoded.headers) {
        if (header.name.compare(name, Qt::CaseInsensitive) == 0)
            return header.value;
    }
    return {};
}

QJsonObject listUnsubscribeJson(const DecodedMessage &decoded)
{
    const QString header = firstHeader(decoded, QLatin1String("List-Unsubscribe"));
    static const QRegularExpression link(QStringLiteral("<([^>]*)>"));
    QStringList links;
    for (auto it = link.globalMatch(header); it.hasNext();)
        links.append(it.next().captured(1).trimmed());
    return {{QStringLiteral("Header"), header},
            {QStringLiteral("Links"), stringArray(links)},
            {QStringLiteral("Errors"), QString()},
            {QStringLiteral("HeaderPost"),
             firstHeader(decoded, QLatin1String("List-Unsubscribe-Post"))}};
}

QString hexHash(const QByteArray &data, QCryptographicHash::Algorithm algorithm)
{
    return QString::fromLatin1(QCryptographicHash::hash(data, algorithm).toHex());
}

QJsonObject attachmentJson(const QByteArray &raw, const MimePart &part)
{
    const QByteArray content = decodePartContent(raw, part.path);
    return {
        {QStringLiteral("PartID"), part.path},
        {QStringLiteral("FileName"), part.fileName.isEmpty() ? part.contentId : part.fileName},
        {QStringLiteral("ContentType"), part.contentType},
        {QStringLiteral("ContentID"), part.contentId},
        {QStringLiteral("Size"), qint64(content.size())},
        {QStringLiteral("Checksums"),
         QJsonObject{{QStringLiteral("MD5"), hexHash(content, QCryptographicHash::Md5)},
                     {QStringLiteral("SHA1"), hexHash(content, QCryptographicHash::Sha1)},
                     {QStringLiteral("SHA256"), hexHash(content, QCryptographicHash::Sha256)}}}};
}

// Go's textproto joins continuation lines with one space and trims the value.
QString unfolded(const QByteArray &rawValue)
{
    QList<QByteArray> lines = rawValue.split('\n');
    for (QByteArray &line : lines)
        line = line.trimmed();
    lines.removeAll(QByteArray());
    return QString::fromUtf8(lines.join(' '));
}

QStringList warningTexts(const MessageRecord &record, const DecodedMessage &decoded)
{
    QStringList warnings = record.warnings;
    for (const MimeWarning &warning : decoded.warnings)
        warnings.append(warning.text);
    return warnings;
}
} // namespace

QString apiTime(qint64 epochMs)
{
    return QDateTime::fromMSecsSinceEpoch(epochMs, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString apiId(qint64 id)
{
    return QString::number(id);
}

QJsonObject addressJson(const MailAddress &address)
{
    return {{QStringLiteral("Name"), address.name}, {QStringLiteral("Address"), address.address}};
}

QJsonArray addressListJson(const QList<MailAddress> &addresses)
{
    QJsonArray array;
    for (const MailAddress &address : addresses)
        array.append(addressJson(address));
    return array;
}

QList<MailAddress> blindRecipients(const QList<MailAddress> &to, const QList<MailAddress> &cc,
                                   const QList<MailAddress> &bcc, const QList<QByteArray> &rcptTo)
{
    QList<MailAddress> result = bcc;
    QStringList named;
    for (const QList<MailAddress> *list : {&to, &cc, &bcc}) {
        for (const MailAddress &address : *list)
            named.append(address.address.toCaseFolded());
    }
    for (const QByteArray &rcpt : rcptTo) {
        const QString address = QString::fromUtf8(rcpt);
        const QString folded = address.toCaseFolded();
        if (named.contains(folded))
            continue;
        named.append(folded);
        result.append({QString(), address, QString()});
    }
    return result;
}

QJsonObject envelopeJson(const QByteArray &mailFrom, const QList<QByteArray> &rcptTo)
{
    QJsonArray to;
    for (const QByteArray &rcpt : rcptTo)
        to.append(QString::fromUtf8(rcpt));
    return {{QStringLiteral("From"), QString::fromUtf8(mailFrom)}, {QStringLiteral("To"), to}};
}

QJsonArray rulesFired(const QStringList &warnings)
{
    QStringList names;
    for (const QString &warning : warnings) {
        if (const std::optional<QString> rule = ruleOfWarning(warning); rule && !names.contains(*rule))
            names.append(*rule);
    }
    return QJsonArray::fromStringList(names);
}

QJsonObject summaryJson(const MessageSummary &summary, const SummaryFields &fields)
{
    return {
        {QStringLiteral("ID"), apiId(summary.id)},
        {QStringLiteral("MessageID"), summary.headline.messageId},
        {QStringLiteral("Read"), summary.read},
        {QStringLiteral("From"), addressJson(fields.from.value(0))},
        {QStringLiteral("To"), addressListJson(fields.to)},
        {QStringLiteral("Cc"), addressListJson(fields.cc)},
        {QStringLiteral("Bcc"),
         addressListJson(blindRecipients(fields.to, fields.cc, fields.bcc, summary.envelopeTo))},
        {QStringLiteral("ReplyTo"), addressListJson(fields.replyTo)},
        {QStringLiteral("Subject"), summary.headline.subject},
        {QStringLiteral("Created"), apiTime(summary.receivedMs)},
        {QStringLiteral("Tags"), stringArray(summary.tags)},
        {QStringLiteral("Size"), summary.size},
        {QStringLiteral("Attachments"), fields.attachments},
        {QStringLiteral("Snippet"), fields.snippet},
        {QStringLiteral("SessionID"), apiId(summary.sessionId)},
        {QStringLiteral("Envelope"), envelopeJson(summary.envelopeFrom, summary.envelopeTo)},
        {QStringLiteral("WarningCount"), summary.warningCount},
    };
}

QJsonObject messageJson(const MessageRecord &record, const DecodedMessage &decoded)
{
    QJsonArray inlineParts;
    QJsonArray attachments;
    for (const MimePart &part : decoded.parts) {
        switch (partRole(decoded, part)) {
        case PartRole::Attachment:
            attachments.append(attachmentJson(record.raw, part));
            break;
        case PartRole::Inline:
            inlineParts.append(attachmentJson(record.raw, part));
            break;
        case PartRole::None:
            break;
        }
    }
    const QDateTime date = decoded.date.isValid()
                               ? decoded.date
                               : QDateTime::fromMSecsSinceEpoch(record.receivedMs, Qt::UTC);
    return {
        {QStringLiteral("ID"), apiId(record.id)},
        {QStringLiteral("MessageID"), decoded.messageId},
        {QStringLiteral("From"), addressJson(decoded.from.value(0))},
        {QStringLiteral("To"), addressListJson(decoded.to)},
        {QStringLiteral("Cc"), addressListJson(decoded.cc)},
        {QStringLiteral("Bcc"), addressListJson(blindRecipients(decoded.to, decoded.cc, decoded.bcc,
                                                                record.envelope.rcptTo))},
        {QStringLiteral("ReplyTo"), addressListJson(decoded.replyTo)},
        {QStringLiteral("ReturnPath"), QString::fromUtf8(record.envelope.mailFrom)},
        {QStringLiteral("Subject"), decoded.subject},
        {QStringLiteral("ListUnsubscribe"), listUnsubscribeJson(decoded)},
        {QStringLiteral("Date"), date.toString(Qt::ISODateWithMs)},
        {QStringLiteral("Tags"), stringArray(record.tags)},
        {QStringLiteral("Username"), record.authUser},
        {QStringLiteral("Text"), decoded.textBody},
        {QStringLiteral("HTML"), decoded.htmlBody},
        {QStringLiteral("Size"), qint64(record.raw.size())},
        {QStringLiteral("Inline"), inlineParts},
        {QStringLiteral("Attachments"), attachments},
        {QStringLiteral("Created"), apiTime(record.receivedMs)},
        {QStringLiteral("SessionID"), apiId(record.sessionId)},
        {QStringLiteral("Envelope"),
         envelopeJson(record.envelope.mailFrom, record.envelope.rcptTo)},
        {QStringLiteral("Warnings"), stringArray(warningTexts(record, decoded))},
        {QStringLiteral("Rules"), rulesFired(record.warnings)},
    };
}

QString canonicalHeaderName(const QString &name)
{
    QString canonical = name.toLower();
    bool upper = true;
    for (QChar &c : canonical) {
        if (upper)
            c = c.toUpper();
        upper = c == u'-';
    }
    return canonical;
}

QJsonObject headersJson(const DecodedMessage &decoded)
{
    QJsonObject headers;
    for (const MimeHeader &header : decoded.headers) {
        const QString key = canonicalHeaderName(header.name);
        QJsonArray values = headers.value(key).toArray();
        values.append(unfolded(header.rawValue));
        headers.insert(key, values);
    }
    return headers;
}

QJsonObject messageListJson(const MessageListCounts &counts, const QJsonArray &messages)
{
    return {
        {QStringLiteral("total"), counts.total},
        {QStringLiteral("unread"), counts.unread},
        {QStringLiteral("count"), messages.size()}, // deprecated in Mailpit, still sent
        {QStringLiteral("messages_count"), counts.matching},
        {QStringLiteral("messages_unread"), counts.matchingUnread},
        {QStringLiteral("start"), counts.start},
        {QStringLiteral("tags"), stringArray(counts.tags)},
        {QStringLiteral("messages"), messages},
    };
}
