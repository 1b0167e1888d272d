#include "GMimeSupport.h"

#include <QRegularExpression>

#include <cstring>

using namespace gmime;

namespace {

QString describeParserWarning(GMimeParserWarning code)
{
    switch (code) {
    case GMIME_WARN_DUPLICATED_HEADER:
        return QStringLiteral("Header repeated that should appear once");
    case GMIME_WARN_DUPLICATED_PARAMETER:
        return QStringLiteral("Header parameter repeated");
    case GMIME_WARN_UNENCODED_8BIT_HEADER:
        return QStringLiteral("Header contains unencoded 8-bit characters");
    case GMIME_WARN_INVALID_CONTENT_TYPE:
        return QStringLiteral("Invalid Content-Type, treated as application/octet-stream");
    case GMIME_WARN_INVALID_RFC2047_HEADER_VALUE:
        return QStringLiteral("Invalid RFC 2047 encoded header value");
    case GMIME_WARN_MALFORMED_MULTIPART:
        return QStringLiteral("Multipart without any parts");
    case GMIME_WARN_TRUNCATED_MESSAGE:
        return QStringLiteral("Message is truncated");
    case GMIME_WARN_MALFORMED_MESSAGE:
        return QStringLiteral("Message is malformed");
    case GMIME_CRIT_INVALID_HEADER_NAME:
        return QStringLiteral("Invalid header name, parts of the message may be skipped");
    case GMIME_CRIT_CONFLICTING_HEADER:
        return QStringLiteral("Conflicting header");
    case GMIME_CRIT_CONFLICTING_PARAMETER:
        return QStringLiteral("Conflicting header parameter");
    case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
        return QStringLiteral("Multipart without a boundary parameter");
    case GMIME_WARN_INVALID_PARAMETER:
        return QStringLiteral("Invalid header parameter");
    case GMIME_WARN_INVALID_ADDRESS_LIST:
        return QStringLiteral("Invalid address list");
    case GMIME_CRIT_NESTING_OVERFLOW:
        return QStringLiteral("MIME nesting too deep, inner parts not parsed");
    case GMIME_WARN_PART_WITHOUT_CONTENT:
        return QStringLiteral("Part headers ended by a boundary, part has no content");
    case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
        return QStringLiteral("Part without headers or content");
    }
    return QStringLiteral("Parser warning %1").arg(int(code));
}

void collectParserWarning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer sink)
{
    const auto *target = static_cast<WarningSink *>(sink);
    QString text = target->prefix + describeParserWarning(code);
    const QString subject = QString::fromUtf8(item).trimmed();
    if (!subject.isEmpty())
        text += QLatin1String(": ") + subject;
    target->list->add(offset, text);
}

bool hasBWords(const char *raw)
{
    return raw && (strstr(raw, "?B?") || strstr(raw, "?b?"));
}

QByteArray qEncoded(const QByteArray &bytes)
{
    QByteArray out;
    out.reserve(bytes.size() * 3);
    for (char c : bytes) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
            out += c;
        else
            out += '=' + QByteArray(1, c).toHex().toUpper();
    }
    return out;
}

// GMime joins the payloads of adjacent encoded words in one charset before decoding them, so a
// character split over two words survives in Q words; in B words its base64 decoder stops at the
// first word's padding ("=?UTF-8?B?SGVsbG8=?= =?UTF-8?B?V29ybGQ=?=" decodes to "Hello") or
// garbles the split character. Rewriting each B word as the Q word of the same bytes keeps the
// join and loses nothing.
QByteArray withBWordsAsQWords(const QByteArray &raw)
{
    QByteArray out;
    qsizetype done = 0;
    qsizetype start = 0;
    while ((start = raw.indexOf("=?", start)) >= 0) {
        const qsizetype charsetEnd = raw.indexOf('?', start + 2);
        if (charsetEnd < 0 || charsetEnd + 2 >= raw.size())
            break;
        const QByteArray charset = raw.mid(start + 2, charsetEnd - start - 2);
        const qsizetype end = raw.indexOf("?=", charsetEnd + 3);
        const bool bWord = (raw.at(charsetEnd + 1) == 'B' || raw.at(charsetEnd + 1) == 'b') &&
                           raw.at(charsetEnd + 2) == '?' && end >= 0 && !charset.isEmpty() &&
                           !charset.contains(' ');
        const QByteArray payload =
            bWord ? raw.mid(charsetEnd + 3, end - charsetEnd - 3) : QByteArray();
        const auto result = QByteArray::fromBase64Encoding(payload);
        if (!bWord || payload.contains(' ') || !result) {
            start += 2;
            continue;
        }
        out += raw.mid(done, start - done) + "=?" + charset + "?Q?" + qEncoded(*result) + "?=";
        done = start = end + 2;
    }
    return out + raw.mid(done);
}

} // namespace

namespace gmime {

// A header-derived C string as Qt text. GMime leaves line folds inside quoted strings (a
// display name or file name folded over two lines); unfolding removes the line breaks.
QString text(const char *utf8)
{
    if (!utf8)
        return {};
    QString value = QString::fromUtf8(utf8);
    if (value.contains(QLatin1Char('\n'))) {
        static const QRegularExpression fold(QStringLiteral("\\r?\\n(?=[ \\t])"));
        value.remove(fold);
    }
    return value.trimmed();
}

// The one parser configuration: lenient, with fallback charsets, warnings reported to `sink`.
ParserOptionsPtr parserOptions(WarningSink *sink)
{
    static const char *fallbackCharsets[] = {"UTF-8", "windows-1252", nullptr};
    ParserOptionsPtr options(g_mime_parser_options_new());
    g_mime_parser_options_set_rfc2047_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_address_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_parameter_compliance_mode(options.get(), GMIME_RFC_COMPLIANCE_LOOSE);
    g_mime_parser_options_set_fallback_charsets(options.get(), fallbackCharsets);
    g_mime_parser_options_set_warning_callback(options.get(), collectParserWarning, sink);
    return options;
}

GPtr<GMimeParser> parserOver(const QByteArray &raw)
{
    GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.constData(), raw.size()));
    return GPtr<GMimeParser>(g_mime_parser_new_with_stream(stream.get()));
}

// A raw header value decoded as g_mime_header_get_value() decodes it: unfolded, then text.
GCharPtr decodedValue(const char *raw, GMimeParserOptions *options)
{
    const GCharPtr unfolded(g_mime_utils_header_unfold(raw));
    return GCharPtr(g_mime_utils_header_decode_text(options, unfolded.get()));
}

// The same, with B words rewritten as Q words first: for text shown to people.
QString displayedValue(const char *raw, GMimeParserOptions *options)
{
    if (!hasBWords(raw))
        return text(decodedValue(raw, options).get());
    return text(decodedValue(withBWordsAsQWords(raw).constData(), options).get());
}

// A header's value, decoded to UTF-8 and unfolded.
QString headerValue(GMimeHeader *header, GMimeParserOptions *options)
{
    const char *raw = g_mime_header_get_raw_value(header);
    if (!hasBWords(raw))
        return text(g_mime_header_get_value(header)); // GMime keeps it decoded
    return displayedValue(raw, options);
}

// `value` fit for one line of a list, a label or a log: an encoded word can carry line breaks,
// escape sequences and other controls. Breaks and tabs become spaces, other controls U+FFFD.
QString singleLine(QString value)
{
    for (QChar &c : value) {
        if (c == QLatin1Char('\r') || c == QLatin1Char('\n') || c == QLatin1Char('\t'))
            c = QLatin1Char(' ');
        else if (c.category() == QChar::Other_Control)
            c = QChar::ReplacementCharacter;
    }
    return value;
}

// The Subject as one line of text.
QString subjectOf(GMimeMessage *message, GMimeParserOptions *options)
{
    GMimeHeader *subject = g_mime_header_list_get_header(
        g_mime_object_get_header_list(GMIME_OBJECT(message)), "Subject");
    return subject ? singleLine(headerValue(subject, options)) : QString();
}

// Parses one raw address header value, as GMime parses a message's, onto `list`; B words are
// rewritten as Q words first.
void parseAddressesInto(InternetAddressList *list, const char *raw, GMimeParserOptions *options)
{
    if (!raw)
        return;
    const QByteArray value = hasBWords(raw) ? withBWordsAsQWords(raw) : QByteArray(raw);
    GPtr<InternetAddressList> parsed(internet_address_list_parse(options, value.constData()));
    if (parsed)
        internet_address_list_append(list, parsed.get());
}

// The addresses of one kind, from every header of that kind; a new list the caller owns.
GPtr<InternetAddressList> addressList(GMimeMessage *message, GMimeAddressType type,
                                      GMimeParserOptions *options)
{
    static const char *const names[] = {"Sender", "From", "Reply-To", "To", "Cc", "Bcc"};
    static_assert(GMIME_ADDRESS_TYPE_SENDER == 0 && GMIME_ADDRESS_TYPE_BCC == 5);
    GMimeHeaderList *headers = g_mime_object_get_header_list(GMIME_OBJECT(message));
    const int count = g_mime_header_list_get_count(headers);
    bool needsRewrite = false;
    for (int i = 0; i < count && !needsRewrite; ++i) {
        GMimeHeader *header = g_mime_header_list_get_header_at(headers, i);
        needsRewrite = g_ascii_strcasecmp(g_mime_header_get_name(header), names[type]) == 0 &&
                       hasBWords(g_mime_header_get_raw_value(header));
    }
    if (!needsRewrite)
        return GPtr<InternetAddressList>(
            INTERNET_ADDRESS_LIST(g_object_ref(g_mime_message_get_addresses(message, type))));
    GPtr<InternetAddressList> list(internet_address_list_new());
    for (int i = 0; i < count; ++i) {
        GMimeHeader *header = g_mime_header_list_get_header_at(headers, i);
        if (g_ascii_strcasecmp(g_mime_header_get_name(header), names[type]) == 0)
            parseAddressesInto(list.get(), g_mime_header_get_raw_value(header), options);
    }
    return list;
}

// The address list as one display line, the way a list column shows it.
QString addressLine(InternetAddressList *list)
{
    if (!list || internet_address_list_length(list) == 0)
        return {};
    return QString::fromUtf8(GCharPtr(internet_address_list_to_string(list, nullptr, false)).get());
}

// The parameter `name`, preferring an RFC 2231 form (`name*`) when a plain one is also given,
// as mail clients do: GMime keeps both and returns the first.
QString parameter(GMimeParamList *parameters, const char *name)
{
    QString value;
    const int count = parameters ? g_mime_param_list_length(parameters) : 0;
    for (int i = 0; i < count; ++i) {
        GMimeParam *candidate = g_mime_param_list_get_parameter_at(parameters, i);
        if (g_ascii_strcasecmp(g_mime_param_get_name(candidate), name) != 0)
            continue;
        if (g_mime_param_get_encoding_method(candidate) == GMIME_PARAM_ENCODING_METHOD_RFC2231)
            return text(g_mime_param_get_value(candidate));
        if (value.isEmpty())
            value = text(g_mime_param_get_value(candidate));
    }
    return value;
}

// Only the name: loose parsing can leave a comment in the value ("us-ascii (Plain text)").
QString charsetName(const QString &value)
{
    const auto end = std::find_if(value.cbegin(), value.cend(),
                                  [](QChar c) { return c.isSpace() || c == u'('; });
    return value.left(end - value.cbegin());
}

// The one rule for "attachment", shared by the part tree and the list's paperclip.
bool attachmentRule(bool isMessage, const QString &disposition, bool isMultipart, bool hasFileName)
{
    return isMessage || disposition == QLatin1String("attachment") || (!isMultipart && hasFileName);
}

// The attachment question alone, without building the whole MimePart: it runs for every entity
// of every stored message.
bool isAttachment(GMimeContentType *type, GMimeContentDisposition *d, bool isMultipart)
{
    const bool isMessage = type && g_mime_content_type_is_type(type, "message", "rfc822");
    QString disposition;
    bool hasFileName = false;
    if (d) {
        disposition = text(g_mime_content_disposition_get_disposition(d)).toLower();
        hasFileName =
            !parameter(g_mime_content_disposition_get_parameters(d), "filename").isEmpty();
    }
    if (!hasFileName && type)
        hasFileName = !parameter(g_mime_content_type_get_parameters(type), "name").isEmpty();
    return attachmentRule(isMessage, disposition, isMultipart, hasFileName);
}

bool entityIsAttachment(GMimeObject *object)
{
    return isAttachment(g_mime_object_get_content_type(object),
                        g_mime_object_get_content_disposition(object), GMIME_IS_MULTIPART(object));
}

} // namespace gmime
