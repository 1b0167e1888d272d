// The one file that talks to GMime: everything it returns is a Qt value type.
// GMime's headers come first so Qt's keyword macros (off project-wide anyway) cannot collide
// with GIO's struct members.
#include <gmime/gmime.h>

#include "DecodedMessage.h"
#include "Headline.h"
#include "MimeRuntime.h"

#include <QRegularExpression>
#include <QStringDecoder>
#include <QTimeZone>

#include <cerrno>
#include <cstring>
#include <iconv.h>
#include <map>
#include <memory>
#include <optional>

namespace {

struct GObjectUnref
{
    void operator()(gpointer object) const { g_object_unref(object); }
};
template <typename T> using GPtr = std::unique_ptr<T, GObjectUnref>;

struct GFree
{
    void operator()(gpointer memory) const { g_free(memory); }
};
using GCharPtr = std::unique_ptr<char, GFree>;

struct ParserOptionsFree
{
    void operator()(GMimeParserOptions *options) const { g_mime_parser_options_free(options); }
};

// GMime reports some problems thousands of times in hostile input; beyond this many the rest
// are only counted.
constexpr int kMaxWarnings = 200;
// Deeper trees are not described (GMime's own parser stops nesting well before this).
constexpr int kMaxDepth = 256;

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

class WarningList
{
public:
    void add(qint64 offset, const QString &text)
    {
        if (m_warnings.size() < kMaxWarnings)
            m_warnings.append({offset, text});
        else
            ++m_dropped;
    }

    QList<MimeWarning> take()
    {
        if (m_dropped > 0)
            m_warnings.append({-1, QStringLiteral("%1 more warnings not shown").arg(m_dropped)});
        m_dropped = 0;
        return std::exchange(m_warnings, {});
    }

private:
    QList<MimeWarning> m_warnings;
    int m_dropped = 0;
};

// Where the parser reports: the message's warning list, with a prefix for the messages parsed
// from inside an encoded message/rfc822 part (their offsets count from that part's content).
struct WarningSink
{
    WarningList *list;
    QString prefix;
};

void collectParserWarning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer sink)
{
    const auto *target = static_cast<WarningSink *>(sink);
    QString text = target->prefix + describeParserWarning(code);
    const QString subject = QString::fromUtf8(item).trimmed();
    if (!subject.isEmpty())
        text += QLatin1String(": ") + subject;
    target->list->add(offset, text);
}

// A message parsed from raw bytes. GMime may report warnings while headers are decoded lazily,
// long after construction, so the sink and the options that point at it live as long as the
// message (members are destroyed in reverse order). Not copyable or movable for the same reason.
using ParserOptionsPtr = std::unique_ptr<GMimeParserOptions, ParserOptionsFree>;

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

class ParsedMessage
{
public:
    ParsedMessage(const QByteArray &raw, WarningList &warnings, const QString &warningPrefix)
        : m_sink{&warnings, warningPrefix}, m_options(parserOptions(&m_sink))
    {
        m_message.reset(g_mime_parser_construct_message(parserOver(raw).get(), m_options.get()));
    }
    ParsedMessage(const ParsedMessage &) = delete;
    ParsedMessage &operator=(const ParsedMessage &) = delete;

    GMimeMessage *message() const { return m_message.get(); }
    GMimeObject *root() const
    {
        return m_message ? g_mime_message_get_mime_part(m_message.get()) : nullptr;
    }
    GMimeParserOptions *options() const { return m_options.get(); }

private:
    WarningSink m_sink;
    ParserOptionsPtr m_options;
    GPtr<GMimeMessage> m_message;
};

bool isEnclosedMessageType(GMimeObject *object)
{
    GMimeContentType *type = g_mime_object_get_content_type(object);
    return type && (g_mime_content_type_is_type(type, "message", "rfc822") ||
                    g_mime_content_type_is_type(type, "message", "global"));
}

// GMime 3.2 drops the last byte of a part whose boundary follows a bare LF in a message that
// is otherwise CRLF ("EUR\n--b" gives "EU"): it takes two bytes for that line break. The
// content's bounds in the parsed buffer show it: the byte after them is not a line break, and
// a line starting with "--" follows. Then the content with that byte put back; else null.
GPtr<GMimeDataWrapper> withLostByteRestored(GMimeDataWrapper *content)
{
    GMimeStream *stream = g_mime_data_wrapper_get_stream(content);
    if (!stream || !GMIME_IS_STREAM_MEM(stream) || stream->bound_end < 0)
        return {};
    const GByteArray *all = GMIME_STREAM_MEM(stream)->buffer;
    const gint64 end = stream->bound_end;
    if (!all || end + 3 >= gint64(all->len))
        return {};
    const guint8 *at = all->data + end;
    if (at[0] == '\r' || at[0] == '\n' || at[1] != '\n' || at[2] != '-' || at[3] != '-')
        return {};
    GPtr<GMimeStream> whole(g_mime_stream_substream(stream, stream->bound_start, end + 1));
    return GPtr<GMimeDataWrapper>(g_mime_data_wrapper_new_with_stream(
        whole.get(), g_mime_data_wrapper_get_encoding(content)));
}

// Writes the decoded content of a leaf part, or the enclosed message of a message/rfc822
// part as GMime writes it back, to `stream`. Returns false for containers.
bool writeContent(GMimeObject *object, GMimeStream *stream)
{
    if (GMIME_IS_PART(object)) {
        if (GMimeDataWrapper *content = g_mime_part_get_content(GMIME_PART(object))) {
            const GPtr<GMimeDataWrapper> restored = withLostByteRestored(content);
            g_mime_data_wrapper_write_to_stream(restored ? restored.get() : content, stream);
        }
        return true;
    }
    if (GMIME_IS_MESSAGE_PART(object)) {
        if (GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object)))
            g_mime_object_write_to_stream(GMIME_OBJECT(inner), nullptr, stream);
        return true;
    }
    return false;
}

QByteArray contentBytes(GMimeObject *object)
{
    GPtr<GMimeStream> stream(g_mime_stream_mem_new());
    if (!writeContent(object, stream.get()))
        return {};
    const GByteArray *bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream.get()));
    return QByteArray(reinterpret_cast<const char *>(bytes->data), qsizetype(bytes->len));
}

// The boundaries of the multiparts around an entity, innermost last.
using Boundaries = QList<QByteArray>;

Boundaries withBoundaryOf(GMimeObject *object, Boundaries boundaries)
{
    if (GMIME_IS_MULTIPART(object)) {
        if (const char *boundary = g_mime_multipart_get_boundary(GMIME_MULTIPART(object)))
            boundaries.append(boundary);
    }
    return boundaries;
}

// A parsed message plus the messages parsed on demand from message/rfc822 parts that GMime kept
// as opaque leaves because they were base64 or quoted-printable encoded.
class MessageTree
{
public:
    explicit MessageTree(const QByteArray &raw) : m_raw(raw), m_top(raw, m_warnings, QString()) {}

    GMimeMessage *message() const { return m_top.message(); }
    GMimeObject *root() const { return m_top.root(); }
    GMimeParserOptions *options() const { return m_top.options(); }
    WarningList &warnings() { return m_warnings; }

    // The entities directly below `object`: a multipart's parts, or the body of the message
    // inside a message/rfc822 part. Paths name them by their 1-based position here.
    QList<GMimeObject *> childrenOf(GMimeObject *object)
    {
        QList<GMimeObject *> children;
        if (GMIME_IS_MULTIPART(object)) {
            GMimeMultipart *multipart = GMIME_MULTIPART(object);
            const int count = g_mime_multipart_get_count(multipart);
            for (int i = 0; i < count; ++i)
                children.append(g_mime_multipart_get_part(multipart, i));
        } else if (GMIME_IS_MESSAGE_PART(object)) {
            GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
            if (inner && g_mime_message_get_mime_part(inner))
                children.append(g_mime_message_get_mime_part(inner));
        } else if (GMIME_IS_PART(object) && isEnclosedMessageType(object)) {
            if (GMimeObject *inner = encodedMessage(object).root())
                children.append(inner);
        }
        return children;
    }

    // The entity at `path`, with the boundaries of the multiparts around it.
    GMimeObject *find(const QString &path, Boundaries &boundaries)
    {
        const QStringList steps = path.split(QLatin1Char('.'));
        if (steps.first() != QLatin1String("1"))
            return nullptr;
        GMimeObject *object = root();
        for (qsizetype i = 1; i < steps.size() && object; ++i) {
            bool ok = false;
            const int position = steps.at(i).toInt(&ok);
            boundaries = withBoundaryOf(object, boundaries);
            const QList<GMimeObject *> children = childrenOf(object);
            object = ok && position >= 1 && position <= children.size() ? children.at(position - 1)
                                                                        : nullptr;
        }
        return object;
    }

    // Transfer-decoded content of a leaf part; for a message/rfc822 part, the enclosed message
    // byte for byte as sent. Empty for multiparts.
    QByteArray content(GMimeObject *object, const Boundaries &boundaries)
    {
        if (GMIME_IS_MESSAGE_PART(object)) {
            const QByteArray original = enclosedMessageBytes(object, boundaries);
            if (!original.isNull())
                return original;
        }
        return contentBytes(object);
    }

    qint64 contentSize(GMimeObject *object, const Boundaries &boundaries)
    {
        if (GMIME_IS_MESSAGE_PART(object))
            return content(object, boundaries).size();
        GPtr<GMimeStream> counter(g_mime_stream_null_new());
        writeContent(object, counter.get());
        return GMIME_STREAM_NULL(counter.get())->written;
    }

private:
    ParsedMessage &encodedMessage(GMimeObject *part)
    {
        std::unique_ptr<ParsedMessage> &parsed = m_encoded[part];
        if (!parsed)
            parsed = std::make_unique<ParsedMessage>(
                contentBytes(part), m_warnings, QStringLiteral("In an encoded attached message: "));
        return *parsed;
    }

    // GMime can only write an enclosed message back from its parsed form, which changes line
    // breaks and blank lines; the original bytes run from its first header to the first
    // boundary line of an enclosing multipart. Null when the offsets do not lead back into
    // `m_raw` (a message parsed from an encoded part has offsets of its own).
    QByteArray enclosedMessageBytes(GMimeObject *object, const Boundaries &boundaries) const
    {
        GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(object));
        if (!inner)
            return {};
        GMimeHeader *first = nullptr;
        for (GMimeObject *holder : {GMIME_OBJECT(inner), g_mime_message_get_mime_part(inner)}) {
            GMimeHeaderList *headers = holder ? g_mime_object_get_header_list(holder) : nullptr;
            if (!headers || g_mime_header_list_get_count(headers) == 0)
                continue;
            GMimeHeader *candidate = g_mime_header_list_get_header_at(headers, 0);
            if (!first || g_mime_header_get_offset(candidate) < g_mime_header_get_offset(first))
                first = candidate;
        }
        const qint64 start = first ? g_mime_header_get_offset(first) : -1;
        if (start < 0 || !startsWithHeader(start, first))
            return {};
        qsizetype end = m_raw.size();
        for (const QByteArray &boundary : boundaries) {
            const qsizetype line = m_raw.indexOf("\n--" + boundary, start);
            if (line >= 0 && line < end)
                end = line > 0 && m_raw.at(line - 1) == '\r' ? line - 1 : line;
        }
        return m_raw.mid(start, end - start);
    }

    // Whether `header` was read from `m_raw` at `offset`: its name, a colon, then its raw value.
    bool startsWithHeader(qint64 offset, GMimeHeader *header) const
    {
        const QByteArray name = g_mime_header_get_name(header);
        if (offset + name.size() > m_raw.size() ||
            qstrnicmp(m_raw.constData() + offset, name.constData(), name.size()) != 0)
            return false;
        qsizetype at = offset + name.size();
        while (at < m_raw.size() && (m_raw.at(at) == ' ' || m_raw.at(at) == '\t'))
            ++at;
        return at < m_raw.size() && m_raw.at(at) == ':' &&
               QByteArrayView(m_raw).sliced(at + 1).startsWith(
                   QByteArrayView(g_mime_header_get_raw_value(header)));
    }

    QByteArray m_raw;
    WarningList m_warnings;
    ParsedMessage m_top;
    std::map<GMimeObject *, std::unique_ptr<ParsedMessage>> m_encoded;
};

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
bool attachmentRule(bool isMessage, const QString &disposition, bool isMultipart,
                    bool hasFileName)
{
    return isMessage || disposition == QLatin1String("attachment") ||
           (!isMultipart && hasFileName);
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
        hasFileName = !parameter(g_mime_content_disposition_get_parameters(d), "filename").isEmpty();
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

bool anyAttachment(MessageTree &tree, GMimeObject *object, int depth)
{
    if (depth > kMaxDepth)
        return false;
    if (entityIsAttachment(object))
        return true;
    const QList<GMimeObject *> children = tree.childrenOf(object);
    return std::any_of(children.begin(), children.end(), [&tree, depth](GMimeObject *child) {
        return anyAttachment(tree, child, depth + 1);
    });
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

QList<MailAddress> addresses(GMimeMessage *message, GMimeAddressType type,
                             GMimeParserOptions *options)
{
    QList<MailAddress> result;
    appendAddresses(addressList(message, type, options).get(), QString(), result);
    return result;
}

// The address list as one display line, the way a list column shows it.
QString addressLine(InternetAddressList *list)
{
    if (!list || internet_address_list_length(list) == 0)
        return {};
    return QString::fromUtf8(GCharPtr(internet_address_list_to_string(list, nullptr, false)).get());
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

QByteArray decodePartContent(const QByteArray &raw, const QString &path)
{
    MessageTree tree(raw);
    if (!tree.message())
        return path == QLatin1String("1") ? raw : QByteArray();
    Boundaries boundaries;
    GMimeObject *entity = tree.find(path, boundaries);
    return entity ? tree.content(entity, boundaries) : QByteArray();
}

namespace {
// The header block of a message, its blank line included; all of it when there is no body.
QByteArray headerBlockOf(const QByteArray &raw)
{
    const qsizetype crlf = raw.indexOf("\r\n\r\n");
    // A bare-LF blank line only counts before the first CRLF one: no need to scan the body.
    const QByteArrayView head =
        crlf < 0 ? QByteArrayView(raw) : QByteArrayView(raw).first(crlf + 2);
    const qsizetype lf = head.indexOf("\n\n");
    if (lf >= 0)
        return raw.left(lf + 2);
    return crlf < 0 ? raw : raw.left(crlf + 4);
}

// One header field as sent: its name, and its value after the colon with any folding kept
// (GMime's raw value, without the final line break).
struct RawField
{
    QByteArrayView name;
    QByteArray value;
};

// The fields of a header block (RFC 5322 section 2.2: a name and a colon; a line that starts
// with a space or tab continues the field before it). Nothing when some line is neither: what
// such a block means is for GMime's parser to decide.
std::optional<QList<RawField>> splitFields(QByteArrayView block)
{
    QList<RawField> fields;
    while (!block.isEmpty()) {
        const qsizetype newline = block.indexOf('\n');
        const qsizetype next = newline < 0 ? block.size() : newline + 1;
        QByteArrayView line = block.first(newline < 0 ? block.size() : newline);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            break; // the blank line that ends the block
        if (line.front() == ' ' || line.front() == '\t') {
            if (fields.isEmpty())
                return std::nullopt;
            fields.last().value += '\n' + line.toByteArray();
        } else {
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                return std::nullopt;
            const QByteArrayView name = line.first(colon);
            for (const char c : name) {
                if (c <= ' ' || c > '~')
                    return std::nullopt;
            }
            fields.append({name, line.sliced(colon + 1).toByteArray()});
        }
        block = block.sliced(next);
    }
    return fields;
}

enum class Occurrence
{
    First,
    Last
};

// The first or the last field of that name, as GMime's message reads each field.
const RawField *findField(const QList<RawField> &fields, const char *name, Occurrence which)
{
    const RawField *found = nullptr;
    for (const RawField &field : fields) {
        if (field.name.compare(QByteArrayView(name), Qt::CaseInsensitive) == 0) {
            found = &field;
            if (which == Occurrence::First)
                break;
        }
    }
    return found;
}

QString addressLineOf(const QList<RawField> &fields, const char *name, GMimeParserOptions *options)
{
    GPtr<InternetAddressList> list(internet_address_list_new());
    for (const RawField &field : fields) {
        if (field.name.compare(QByteArrayView(name), Qt::CaseInsensitive) == 0)
            parseAddressesInto(list.get(), field.value.constData(), options);
    }
    return singleLine(addressLine(list.get()));
}

// The headline from the fields of a single-part message; nothing for a container (multipart,
// message/*) or a Content-Type GMime cannot read, which need the whole message parsed.
std::optional<MessageHeadline> headlineOfFields(const QList<RawField> &fields)
{
    WarningList warnings; // a headline has no warnings to show
    WarningSink sink{&warnings, QString()};
    const ParserOptionsPtr options = parserOptions(&sink);
    GPtr<GMimeContentType> type;
    if (const RawField *field = findField(fields, "Content-Type", Occurrence::Last)) {
        type.reset(g_mime_content_type_parse(
            options.get(), decodedValue(field->value.constData(), options.get()).get()));
        if (!type || g_mime_content_type_is_type(type.get(), "multipart", "*") ||
            g_mime_content_type_is_type(type.get(), "message", "*"))
            return std::nullopt;
    }
    GPtr<GMimeContentDisposition> disposition;
    if (const RawField *field = findField(fields, "Content-Disposition", Occurrence::Last))
        disposition.reset(g_mime_content_disposition_parse(
            options.get(), decodedValue(field->value.constData(), options.get()).get()));

    MessageHeadline headline;
    headline.from = addressLineOf(fields, "From", options.get());
    headline.to = addressLineOf(fields, "To", options.get());
    if (const RawField *field = findField(fields, "Subject", Occurrence::First))
        headline.subject = singleLine(displayedValue(field->value.constData(), options.get()));
    if (const RawField *field = findField(fields, "Message-Id", Occurrence::Last)) {
        const GCharPtr value = decodedValue(field->value.constData(), options.get());
        headline.messageId =
            singleLine(text(GCharPtr(g_mime_utils_decode_message_id(value.get())).get()));
    }
    if (const RawField *field = findField(fields, "Date", Occurrence::Last)) {
        if (GDateTime *time = g_mime_utils_header_decode_date(
                decodedValue(field->value.constData(), options.get()).get())) {
            headline.dateMs = g_date_time_to_unix(time) * 1000;
            g_date_time_unref(time);
        }
    }
    headline.hasAttachments = isAttachment(type.get(), disposition.get(), false);
    return headline;
}

MessageHeadline headlineOfMessage(const QByteArray &raw)
{
    MessageTree tree(raw);
    MessageHeadline headline;
    GMimeMessage *message = tree.message();
    if (!message)
        return headline;
    headline.from = singleLine(
        addressLine(addressList(message, GMIME_ADDRESS_TYPE_FROM, tree.options()).get()));
    headline.to =
        singleLine(addressLine(addressList(message, GMIME_ADDRESS_TYPE_TO, tree.options()).get()));
    headline.subject = subjectOf(message, tree.options());
    headline.messageId = singleLine(text(g_mime_message_get_message_id(message)));
    if (GDateTime *date = g_mime_message_get_date(message))
        headline.dateMs = g_date_time_to_unix(date) * 1000;
    if (GMimeObject *root = tree.root())
        headline.hasAttachments = anyAttachment(tree, root, 0);
    return headline;
}
} // namespace

MessageHeadline readHeadline(const QByteArray &raw)
{
    // Most messages are a single part: the fields of their header block answer everything, read
    // with GMime's value decoders and no parser objects (building and tearing down a GMime tree
    // was most of a headline's cost). A container needs the whole message parsed, and so does a
    // block whose lines are not all plain fields (an mbox "From " line, say).
    const QByteArray block = headerBlockOf(raw);
    if (const auto fields = splitFields(block)) {
        if (auto headline = headlineOfFields(*fields))
            return *headline;
    }
    return headlineOfMessage(raw);
}

MimeRuntime::MimeRuntime()
{
    g_mime_init();
}

MimeRuntime::~MimeRuntime()
{
    g_mime_shutdown();
}
