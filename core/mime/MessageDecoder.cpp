// The full decode: a message's headers, addresses, part tree and text bodies as Qt values.
#include "PartContent.h"

#include <QStringDecoder>
#include <QTimeZone>

#include <cerrno>
#include <iconv.h>

using namespace gmime;

namespace {
// Everything about one entity that its headers say; sizes and tree position are the caller's.
MimePart describeEntity(GMimeObject *object)
{
    MimePart part;
    if (GMimeContentType *type = g_mime_object_get_content_type(object)) {
        part.contentType = (text(g_mime_content_type_get_media_type(type)) + QLatin1Char('/') +
                            text(g_mime_content_type_get_media_subtype(type)))
                               .toLower();
        GMimeParamList *parameters = g_mime_content_type_get_parameters(type);
        const int count = parameters ? g_mime_param_list_length(parameters) : 0;
        for (int i = 0; i < count; ++i) {
            GMimeParam *parameter = g_mime_param_list_get_parameter_at(parameters, i);
            part.parameters.append(
                {text(g_mime_param_get_name(parameter)), text(g_mime_param_get_value(parameter))});
        }
        part.charset = charsetName(text(g_mime_content_type_get_parameter(type, "charset")));
        part.fileName = parameter(parameters, "name");
    }
    // Read the disposition ourselves: g_mime_part_get_filename() does not apply to message/rfc822.
    if (GMimeContentDisposition *disposition = g_mime_object_get_content_disposition(object)) {
        part.disposition = text(g_mime_content_disposition_get_disposition(disposition)).toLower();
        const QString fileName =
            parameter(g_mime_content_disposition_get_parameters(disposition), "filename");
        if (!fileName.isEmpty())
            part.fileName = fileName;
    }
    part.transferEncoding =
        text(g_mime_object_get_header(object, "Content-Transfer-Encoding")).toLower();
    part.contentId = text(g_mime_object_get_content_id(object));
    part.contentLocation = text(g_mime_object_get_header(object, "Content-Location"));
    part.isAttachment = attachmentRule(part.isMessage(), part.disposition,
                                       GMIME_IS_MULTIPART(object), !part.fileName.isEmpty());
    return part;
}

// Strict base64 shape: only the alphabet and whitespace, '=' padding only at the end, and a
// length that is a multiple of four. GMime decodes leniently and may drop a broken tail, so
// the user is told the bytes shown may be incomplete.
bool looksLikeValidBase64(GMimeStream *encoded)
{
    g_mime_stream_reset(encoded);
    qint64 symbols = 0;
    bool paddingSeen = false;
    bool valid = true;
    char buffer[4096];
    gssize n = 0;
    while (valid && (n = g_mime_stream_read(encoded, buffer, sizeof buffer)) > 0) {
        for (gssize i = 0; i < n && valid; ++i) {
            const auto c = static_cast<unsigned char>(buffer[i]);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                continue;
            const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                  (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (c == '=')
                paddingSeen = true;
            else
                valid = alphabet && !paddingSeen;
            ++symbols;
        }
    }
    g_mime_stream_reset(encoded);
    return valid && symbols % 4 == 0;
}

class TreeWalker
{
public:
    explicit TreeWalker(MessageTree &tree) : m_tree(tree) {}

    void visit(GMimeObject *object, const QString &path, int depth, const QString &enclosingMessage,
               const Boundaries &boundaries)
    {
        if (depth > kMaxDepth) {
            m_tree.warnings().add(
                -1, QStringLiteral("Parts below %1 are nested too deeply to show").arg(path));
            return;
        }
        MimePart part = describeEntity(object);
        part.path = path;
        part.depth = depth;
        part.enclosingMessage = enclosingMessage;
        if (!GMIME_IS_MULTIPART(object))
            part.decodedSize = m_tree.contentSize(object, boundaries);
        checkTransferEncoding(object, part);
        parts.append(part);
        entities.append(object);

        const QString childEnclosure = part.isMessage() ? path : enclosingMessage;
        const Boundaries innerBoundaries = withBoundaryOf(object, boundaries);
        const QList<GMimeObject *> children = m_tree.childrenOf(object);
        for (qsizetype i = 0; i < children.size(); ++i)
            visit(children.at(i), path + QLatin1Char('.') + QString::number(i + 1), depth + 1,
                  childEnclosure, innerBoundaries);
    }

    QList<MimePart> parts;
    QList<GMimeObject *> entities; // parallel to parts, owned by the parsed message

private:
    void checkTransferEncoding(GMimeObject *object, const MimePart &part)
    {
        if (!GMIME_IS_PART(object) || part.transferEncoding != QLatin1String("base64"))
            return;
        GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(object));
        GMimeStream *encoded = content ? g_mime_data_wrapper_get_stream(content) : nullptr;
        if (encoded && !looksLikeValidBase64(encoded))
            m_tree.warnings().add(-1,
                                  QStringLiteral("Part %1: malformed base64, decoded bytes may be "
                                                 "incomplete")
                                      .arg(part.path));
    }

    MessageTree &m_tree;
};

void appendAddresses(InternetAddressList *list, const QString &group, QList<MailAddress> &out)
{
    const int count = list ? internet_address_list_length(list) : 0;
    for (int i = 0; i < count; ++i) {
        InternetAddress *address = internet_address_list_get_address(list, i);
        const QString name = text(internet_address_get_name(address));
        if (INTERNET_ADDRESS_IS_GROUP(address)) {
            InternetAddressList *members =
                internet_address_group_get_members(INTERNET_ADDRESS_GROUP(address));
            if (!members || internet_address_list_length(members) == 0)
                out.append({QString(), QString(), name});
            else
                appendAddresses(members, name, out);
        } else if (INTERNET_ADDRESS_IS_MAILBOX(address)) {
            out.append({name,
                        text(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(address))),
                        group});
        }
    }
}

QList<MailAddress> addresses(GMimeMessage *message, GMimeAddressType type,
                             GMimeParserOptions *options)
{
    QList<MailAddress> result;
    appendAddresses(addressList(message, type, options).get(), QString(), result);
    return result;
}

QByteArray withoutFinalLineBreak(const char *raw)
{
    QByteArray value(raw ? raw : "");
    while (value.endsWith('\n') || value.endsWith('\r'))
        value.chop(1);
    return value;
}

// The top-level header block as sent. GMime splits it: the Content-* fields belong to the root
// part's header list, the rest to the message's, so the two are merged back by offset.
QList<MimeHeader> topLevelHeaders(GMimeMessage *message, GMimeObject *root,
                                  GMimeParserOptions *options)
{
    QList<QPair<gint64, MimeHeader>> located;
    for (GMimeObject *object : {GMIME_OBJECT(message), root}) {
        GMimeHeaderList *list = object ? g_mime_object_get_header_list(object) : nullptr;
        const int count = list ? g_mime_header_list_get_count(list) : 0;
        for (int i = 0; i < count; ++i) {
            GMimeHeader *header = g_mime_header_list_get_header_at(list, i);
            located.append({g_mime_header_get_offset(header),
                            {text(g_mime_header_get_name(header)), headerValue(header, options),
                             withoutFinalLineBreak(g_mime_header_get_raw_value(header))}});
        }
    }
    std::stable_sort(located.begin(), located.end(),
                     [](const auto &a, const auto &b) { return a.first < b.first; });
    QList<MimeHeader> headers;
    headers.reserve(located.size());
    for (const auto &entry : std::as_const(located))
        headers.append(entry.second);
    return headers;
}

QDateTime messageDate(GMimeMessage *message)
{
    GDateTime *date = g_mime_message_get_date(message);
    if (!date)
        return {};
    const auto offsetSeconds = int(g_date_time_get_utc_offset(date) / G_TIME_SPAN_SECOND);
    return QDateTime::fromSecsSinceEpoch(g_date_time_to_unix(date), QTimeZone(offsetSeconds));
}

bool hasEightBitBytes(const QByteArray &bytes)
{
    return std::any_of(bytes.begin(), bytes.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// The first text part of the given type that is not an attachment, preferring the message's own
// parts to those of attached messages. -1 when there is none.
qsizetype bestBodyIndex(const QList<MimePart> &parts, QLatin1String type)
{
    for (bool topLevelOnly : {true, false}) {
        for (qsizetype i = 0; i < parts.size(); ++i) {
            const MimePart &part = parts.at(i);
            if (part.contentType == type && !part.isAttachment &&
                (!topLevelOnly || part.enclosingMessage.isEmpty()))
                return i;
        }
    }
    return -1;
}

// Converts with iconv, replacing each byte that does not convert by U+FFFD.
// Returns false when iconv does not know the charset.
bool convertWithIconv(const QByteArray &bytes, const char *charset, QString &out, int &replaced)
{
    iconv_t converter = g_mime_iconv_open("UTF-8", charset);
    if (converter == reinterpret_cast<iconv_t>(-1))
        return false;
    QByteArray utf8;
    utf8.reserve(bytes.size() + bytes.size() / 2);
    char *in = const_cast<char *>(bytes.constData());
    size_t inLeft = size_t(bytes.size());
    char buffer[8192];
    bool finished = false;
    while (!finished) {
        char *outNext = buffer;
        size_t outLeft = sizeof buffer;
        size_t result = 0;
        if (inLeft > 0) {
            result = iconv(converter, &in, &inLeft, &outNext, &outLeft);
        } else {
            // Ends a stateful (ISO-2022) sequence.
            iconv(converter, nullptr, nullptr, &outNext, &outLeft);
            finished = true;
        }
        utf8.append(buffer, outNext - buffer);
        if (result == size_t(-1) && errno != E2BIG) {
            utf8.append("\xEF\xBF\xBD");
            ++replaced;
            ++in;
            --inLeft;
        }
    }
    g_mime_iconv_close(converter);
    out = QString::fromUtf8(utf8);
    return true;
}

struct TextConversion
{
    QString text;
    int replaced = 0;
    bool unknownCharset = false;
};

bool isUtf8Compatible(const QString &charset)
{
    static const QStringList names = {QStringLiteral("utf-8"), QStringLiteral("utf8"),
                                      QStringLiteral("us-ascii"), QStringLiteral("ascii")};
    return names.contains(charset);
}

TextConversion convertText(const QByteArray &bytes, const QString &charset)
{
    TextConversion conversion;
    const QString name = charset.trimmed().toLower();
    if (name.isEmpty() || isUtf8Compatible(name)) {
        QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
        conversion.text = utf8(bytes);
        if (!utf8.hasError())
            return conversion;
        if (name.startsWith(QLatin1String("utf"))) {
            convertWithIconv(bytes, "UTF-8", conversion.text, conversion.replaced);
            return conversion;
        }
    } else if (convertWithIconv(bytes, name.toLatin1().constData(), conversion.text,
                                conversion.replaced)) {
        return conversion;
    } else {
        conversion.unknownCharset = true;
    }
    // Undeclared, unknown or mislabelled 8-bit text is most often Windows-1252.
    conversion.replaced = 0;
    convertWithIconv(bytes, "windows-1252", conversion.text, conversion.replaced);
    return conversion;
}

QString bodyText(GMimeObject *object, const MimePart &part, WarningList &warnings)
{
    const QByteArray bytes = contentBytes(object);
    const TextConversion conversion = convertText(bytes, part.charset);
    if (part.charset.isEmpty() && hasEightBitBytes(bytes))
        warnings.add(
            -1, QStringLiteral("Part %1: 8-bit text without a declared charset").arg(part.path));
    if (conversion.unknownCharset)
        warnings.add(-1, QStringLiteral("Part %1: unknown charset \"%2\", shown as Windows-1252")
                             .arg(part.path, part.charset));
    if (conversion.replaced > 0)
        warnings.add(-1,
                     QStringLiteral("Part %1: %2 bytes did not convert from charset \"%3\" "
                                    "and were replaced by U+FFFD")
                         .arg(part.path)
                         .arg(conversion.replaced)
                         .arg(part.charset.isEmpty() ? QStringLiteral("(none)") : part.charset));
    return conversion.text;
}

DecodedMessage headerlessMessage(const QByteArray &raw)
{
    DecodedMessage decoded;
    decoded.hasHeader = false;
    MimePart whole;
    whole.path = QStringLiteral("1");
    whole.contentType = QStringLiteral("text/plain");
    whole.decodedSize = raw.size();
    decoded.parts.append(whole);
    decoded.textBody = convertText(raw, QString()).text;
    decoded.textBodyPath = whole.path;
    decoded.warnings.append(
        {0, QStringLiteral("The data does not start with a header: shown as plain text")});
    return decoded;
}

} // namespace

const MimePart *DecodedMessage::part(const QString &path) const
{
    for (const MimePart &candidate : parts) {
        if (candidate.path == path)
            return &candidate;
    }
    return nullptr;
}

QString decodeText(const QByteArray &bytes, const QString &charset, int *replaced)
{
    TextConversion conversion = convertText(bytes, charset);
    if (replaced)
        *replaced = conversion.replaced;
    return conversion.text;
}

DecodedMessage decodeMessage(const QByteArray &raw)
{
    MessageTree tree(raw);
    GMimeMessage *message = tree.message();
    if (!message)
        return headerlessMessage(raw);

    DecodedMessage decoded;
    decoded.headers = topLevelHeaders(message, tree.root(), tree.options());
    decoded.from = addresses(message, GMIME_ADDRESS_TYPE_FROM, tree.options());
    decoded.sender = addresses(message, GMIME_ADDRESS_TYPE_SENDER, tree.options());
    decoded.to = addresses(message, GMIME_ADDRESS_TYPE_TO, tree.options());
    decoded.cc = addresses(message, GMIME_ADDRESS_TYPE_CC, tree.options());
    decoded.bcc = addresses(message, GMIME_ADDRESS_TYPE_BCC, tree.options());
    decoded.replyTo = addresses(message, GMIME_ADDRESS_TYPE_REPLY_TO, tree.options());
    decoded.subject = subjectOf(message, tree.options());
    decoded.date = messageDate(message);
    decoded.messageId = text(g_mime_message_get_message_id(message));

    TreeWalker walker(tree);
    if (GMimeObject *root = tree.root())
        walker.visit(root, QStringLiteral("1"), 0, QString(), Boundaries());
    decoded.parts = walker.parts;

    const qsizetype textIndex = bestBodyIndex(decoded.parts, QLatin1String("text/plain"));
    if (textIndex >= 0) {
        const MimePart &part = decoded.parts.at(textIndex);
        decoded.textBody = bodyText(walker.entities.at(textIndex), part, tree.warnings());
        decoded.textBodyPath = part.path;
    }
    const qsizetype htmlIndex = bestBodyIndex(decoded.parts, QLatin1String("text/html"));
    if (htmlIndex >= 0) {
        const MimePart &part = decoded.parts.at(htmlIndex);
        decoded.htmlBody = bodyText(walker.entities.at(htmlIndex), part, tree.warnings());
        decoded.htmlBodyPath = part.path;
    }
    decoded.warnings = tree.warnings().take();
    return decoded;
}
