#include "OutgoingMessage.h"

#include <QDateTime>
#include <QUuid>

#include <algorithm>

namespace {
// The header block's end: the offset of the empty line, or raw.size() when there is none.
qsizetype headerEnd(const QByteArray &raw)
{
    qsizetype pos = 0;
    while (pos < raw.size()) {
        if (raw[pos] == '\n' || (raw[pos] == '\r' && raw.mid(pos, 2) == "\r\n"))
            return pos;
        const qsizetype lf = raw.indexOf('\n', pos);
        if (lf < 0)
            return raw.size();
        pos = lf + 1;
    }
    return raw.size();
}

QByteArray lineEnding(const QByteArray &raw)
{
    const qsizetype lf = raw.indexOf('\n');
    return QByteArray(lf < 0 || (lf > 0 && raw[lf - 1] == '\r') ? "\r\n" : "\n");
}

bool isAscii(const QByteArray &bytes)
{
    return std::all_of(bytes.cbegin(), bytes.cend(), [](char c) { return uchar(c) < 0x80; });
}

// RFC 5322 3.3 date-time in UTC.
QByteArray rfc5322Date(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toString(QStringLiteral("ddd, dd MMM yyyy hh:mm:ss +0000"))
        .toLatin1();
}
} // namespace

namespace HeaderEdit {
QByteArray removeFields(const QByteArray &raw, const QList<QByteArray> &names)
{
    const qsizetype end = headerEnd(raw);
    QByteArray out;
    out.reserve(raw.size());
    bool dropping = false;
    qsizetype pos = 0;
    while (pos < end) {
        const qsizetype lf = raw.indexOf('\n', pos);
        const qsizetype next = lf < 0 || lf >= end ? end : lf + 1;
        const QByteArray line = raw.mid(pos, next - pos);
        const bool continuation = line.startsWith(' ') || line.startsWith('\t');
        if (!continuation) {
            const qsizetype colon = line.indexOf(':');
            const QByteArray name = colon > 0 ? line.left(colon).trimmed().toLower() : QByteArray();
            dropping = std::any_of(names.cbegin(), names.cend(),
                                   [&name](const QByteArray &n) { return n.toLower() == name; });
        }
        if (!dropping)
            out += line;
        pos = next;
    }
    out += QByteArrayView(raw).sliced(end);
    return out;
}

QByteArray prependFields(const QByteArray &raw, const QList<QByteArray> &fields)
{
    const QByteArray eol = lineEnding(raw);
    QByteArray out;
    for (const QByteArray &field : fields)
        out += field + eol;
    return out + raw;
}
} // namespace HeaderEdit

OutgoingMessage OutgoingMessage::prepare(const MessageRecord &message,
                                         const QList<QByteArray> &recipients,
                                         const RelaySettings &settings, qint64 nowMs)
{
    QList<QByteArray> removed = {"Bcc"};
    QList<QByteArray> added;
    if (!settings.returnPath.isEmpty()) {
        removed.append("Return-Path");
        added.append("Return-Path: <" + settings.returnPath + '>');
    }
    if (settings.freshHeaders) {
        removed += {"Message-ID", "Date"};
        const QByteArray domain =
            settings.target.heloName.isEmpty() ? QByteArray("smtpeek") : settings.target.heloName;
        added.append("Message-ID: <" + QUuid::createUuid().toByteArray(QUuid::WithoutBraces) + '@' +
                     domain + '>');
        added.append("Date: " + rfc5322Date(nowMs));
    }
    OutgoingMessage out = of(
        settings.returnPath.isEmpty() ? message.envelope.mailFrom : settings.returnPath, recipients,
        HeaderEdit::prependFields(HeaderEdit::removeFields(message.raw, removed), added));
    out.binary = message.envelope.body == Envelope::Body::BinaryMime;
    out.smtpUtf8 = out.smtpUtf8 || message.envelope.smtpUtf8;
    return out;
}

OutgoingMessage OutgoingMessage::of(const QByteArray &mailFrom, const QList<QByteArray> &recipients,
                                    const QByteArray &data)
{
    OutgoingMessage out;
    out.mailFrom = mailFrom;
    out.recipients = recipients;
    out.data = data;
    out.eightBit = !isAscii(out.data);
    out.smtpUtf8 =
        !isAscii(out.mailFrom) || std::any_of(recipients.cbegin(), recipients.cend(),
                                              [](const QByteArray &r) { return !isAscii(r); });
    bool bareLineEnd = false;
    for (qsizetype i = 0; i < out.data.size() && !bareLineEnd; ++i) {
        const char c = out.data[i];
        bareLineEnd = c == '\0' || (c == '\n' && (i == 0 || out.data[i - 1] != '\r')) ||
                      (c == '\r' && (i + 1 == out.data.size() || out.data[i + 1] != '\n'));
    }
    out.needsChunking = bareLineEnd || !out.data.endsWith("\r\n");
    return out;
}

QByteArray dotStuffed(const QByteArray &data)
{
    QByteArray out;
    out.reserve(data.size() + data.size() / 64 + 5);
    qsizetype pos = 0;
    while (pos < data.size()) {
        const qsizetype crlf = data.indexOf("\r\n", pos);
        const qsizetype next = crlf < 0 ? data.size() : crlf + 2;
        if (data[pos] == '.')
            out += '.';
        out += QByteArrayView(data).sliced(pos, next - pos);
        pos = next;
    }
    if (!out.isEmpty() && !out.endsWith("\r\n"))
        out += "\r\n";
    return out + ".\r\n";
}

bool isPlausibleAddress(const QByteArray &address)
{
    const qsizetype at = address.lastIndexOf('@');
    if (at <= 0 || at == address.size() - 1 || address.size() > 254)
        return false;
    return std::none_of(address.cbegin(), address.cend(), [](char c) {
        return uchar(c) <= 0x20 || uchar(c) == 0x7f || c == '<' || c == '>' || c == ',' ||
               c == '(' || c == ')' || c == '[' || c == ']' || c == '\\' || c == ';';
    });
}
