#include "InspectReport.h"

#include "HtmlResources.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

namespace {

struct Excerpt
{
    QString text;
    bool truncated = false;
};

Excerpt excerpt(const QString &body)
{
    return {body.left(kInspectExcerptChars), body.size() > kInspectExcerptChars};
}

QString addressText(const MailAddress &address)
{
    QString text = address.name.isEmpty() ? address.address
                   : address.address.isEmpty()
                       ? address.name
                       : address.name + QLatin1String(" <") + address.address + QLatin1Char('>');
    if (!address.group.isEmpty())
        text = address.group + QLatin1String(": ") + text;
    return text;
}

struct AddressField
{
    const char *name;
    QList<MailAddress> DecodedMessage::*list;
};

const AddressField kAddressFields[] = {
    {"From", &DecodedMessage::from}, {"Sender", &DecodedMessage::sender},
    {"To", &DecodedMessage::to},     {"Cc", &DecodedMessage::cc},
    {"Bcc", &DecodedMessage::bcc},   {"Reply-To", &DecodedMessage::replyTo}};

QString typeWithParameters(const MimePart &part)
{
    QString text = part.contentType;
    for (const auto &[name, value] : part.parameters)
        text += QLatin1String("; ") + name + QLatin1Char('=') + value;
    return text;
}

QJsonArray addressesJson(const QList<MailAddress> &addresses)
{
    QJsonArray array;
    for (const MailAddress &address : addresses) {
        QJsonObject entry{{QStringLiteral("name"), address.name},
                          {QStringLiteral("address"), address.address}};
        if (!address.group.isEmpty())
            entry.insert(QStringLiteral("group"), address.group);
        array.append(entry);
    }
    return array;
}

QJsonObject partJson(const MimePart &part)
{
    QJsonArray parameters;
    for (const auto &[name, value] : part.parameters)
        parameters.append(QJsonArray{name, value});
    return {{QStringLiteral("path"), part.path},
            {QStringLiteral("depth"), part.depth},
            {QStringLiteral("contentType"), part.contentType},
            {QStringLiteral("parameters"), parameters},
            {QStringLiteral("charset"), part.charset},
            {QStringLiteral("transferEncoding"), part.transferEncoding},
            {QStringLiteral("disposition"), part.disposition},
            {QStringLiteral("fileName"), part.fileName},
            {QStringLiteral("contentId"), part.contentId},
            {QStringLiteral("contentLocation"), part.contentLocation},
            {QStringLiteral("decodedSize"), part.decodedSize},
            {QStringLiteral("isAttachment"), part.isAttachment},
            {QStringLiteral("enclosingMessage"), part.enclosingMessage}};
}

QJsonValue bodyJson(const QString &path, const QString &body)
{
    if (path.isEmpty())
        return QJsonValue::Null;
    const Excerpt cut = excerpt(body);
    return QJsonObject{{QStringLiteral("path"), path},
                       {QStringLiteral("length"), body.size()},
                       {QStringLiteral("excerpt"), cut.text},
                       {QStringLiteral("truncated"), cut.truncated}};
}

void writeText(const DecodedMessage &message, const QByteArray &raw, const QString &path,
               QTextStream &out)
{
    out << "File: " << path << " (" << raw.size() << " bytes)\n";
    if (!message.hasHeader)
        out << "No header: the data is shown as plain text\n";

    out << "\nHeaders:\n";
    for (const MimeHeader &header : message.headers)
        out << "  " << header.name << ": " << header.value << '\n';

    out << "\nSummary:\n";
    for (const AddressField &field : kAddressFields) {
        const QList<MailAddress> &list = message.*field.list;
        if (list.isEmpty())
            continue;
        QStringList texts;
        for (const MailAddress &address : list)
            texts.append(addressText(address));
        out << "  " << field.name << ": " << texts.join(QLatin1String(", ")) << '\n';
    }
    out << "  Subject: " << message.subject << '\n';
    out << "  Date: "
        << (message.date.isValid() ? message.date.toString(Qt::ISODate) : QStringLiteral("-"))
        << '\n';
    out << "  Message-ID: " << message.messageId << '\n';

    out << "\nParts:\n";
    for (const MimePart &part : message.parts) {
        out << "  " << QString(part.depth * 2, QLatin1Char(' ')) << part.path << "  "
            << typeWithParameters(part);
        if (!part.isMultipart())
            out << "  [" << part.decodedSize << " bytes"
                << (part.transferEncoding.isEmpty() ? QString()
                                                    : QLatin1String(", ") + part.transferEncoding)
                << ']';
        if (!part.disposition.isEmpty())
            out << "  " << part.disposition;
        if (!part.fileName.isEmpty())
            out << "  \"" << part.fileName << '"';
        if (!part.contentId.isEmpty())
            out << "  cid:" << part.contentId;
        if (!part.contentLocation.isEmpty())
            out << "  location:" << part.contentLocation;
        out << '\n';
    }

    for (const auto &[label, bodyPath, body] :
         {std::tuple{"Text body", message.textBodyPath, message.textBody},
          std::tuple{"HTML body", message.htmlBodyPath, message.htmlBody}}) {
        if (bodyPath.isEmpty())
            continue;
        const Excerpt cut = excerpt(body);
        out << '\n'
            << label << " (part " << bodyPath << ", " << body.size() << " characters):\n"
            << cut.text << (cut.truncated ? "\n[...]\n" : "\n");
    }

    const QList<RemoteResource> remote = findRemoteResources(message.htmlBody);
    if (!remote.isEmpty()) {
        out << "\nRemote resources (" << remote.size() << "):\n";
        for (const RemoteResource &resource : remote)
            out << "  " << remoteResourceKindName(resource.kind) << "  " << resource.url << '\n';
    }

    out << "\nWarnings (" << message.warnings.size() << "):\n";
    for (const MimeWarning &warning : message.warnings) {
        out << "  ";
        if (warning.offset >= 0)
            out << "at byte " << warning.offset << ": ";
        out << warning.text << '\n';
    }
}

} // namespace

QJsonObject inspectJson(const DecodedMessage &message, const QByteArray &raw)
{
    QJsonArray headers;
    for (const MimeHeader &header : message.headers)
        headers.append(QJsonObject{{QStringLiteral("name"), header.name},
                                   {QStringLiteral("value"), header.value},
                                   {QStringLiteral("raw"), QString::fromUtf8(header.rawValue)}});
    QJsonArray parts;
    for (const MimePart &part : message.parts)
        parts.append(partJson(part));
    QJsonArray remote;
    for (const RemoteResource &resource : findRemoteResources(message.htmlBody))
        remote.append(QJsonObject{{QStringLiteral("url"), resource.url},
                                  {QStringLiteral("kind"), remoteResourceKindName(resource.kind)}});
    QJsonArray warnings;
    for (const MimeWarning &warning : message.warnings)
        warnings.append(QJsonObject{{QStringLiteral("offset"), warning.offset},
                                    {QStringLiteral("text"), warning.text}});

    QJsonObject report{
        {QStringLiteral("size"), raw.size()},
        {QStringLiteral("hasHeader"), message.hasHeader},
        {QStringLiteral("headers"), headers},
        {QStringLiteral("subject"), message.subject},
        {QStringLiteral("date"), message.date.isValid()
                                     ? QJsonValue(message.date.toString(Qt::ISODate))
                                     : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("messageId"), message.messageId},
        {QStringLiteral("parts"), parts},
        {QStringLiteral("textBody"), bodyJson(message.textBodyPath, message.textBody)},
        {QStringLiteral("htmlBody"), bodyJson(message.htmlBodyPath, message.htmlBody)},
        {QStringLiteral("remoteResources"), remote},
        {QStringLiteral("warnings"), warnings}};
    for (const AddressField &field : kAddressFields) {
        QString key = QString::fromLatin1(field.name).remove(QLatin1Char('-'));
        key[0] = key[0].toLower();
        report.insert(key, addressesJson(message.*field.list));
    }
    return report;
}

int runInspect(const QString &path, bool json, QTextStream &out, QTextStream &err)
{
    QFile file(path);
    const auto cannotRead = [&] {
        err << "smtpeek: cannot read " << path << ": " << file.errorString() << '\n';
        err.flush();
        return 2;
    };
    if (!file.open(QIODevice::ReadOnly))
        return cannotRead();
    const QByteArray raw = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return cannotRead();
    const DecodedMessage message = decodeMessage(raw);
    if (json) {
        QJsonObject report = inspectJson(message, raw);
        report.insert(QStringLiteral("file"), path);
        out << QJsonDocument(report).toJson(QJsonDocument::Indented);
    } else {
        writeText(message, raw, path, out);
    }
    out.flush();
    return 0;
}
