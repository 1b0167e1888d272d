#include "PartContent.h"

using namespace gmime;

namespace {

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

} // namespace

namespace gmime {

bool isEnclosedMessageType(GMimeObject *object)
{
    GMimeContentType *type = g_mime_object_get_content_type(object);
    return type && (g_mime_content_type_is_type(type, "message", "rfc822") ||
                    g_mime_content_type_is_type(type, "message", "global"));
}

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

Boundaries withBoundaryOf(GMimeObject *object, Boundaries boundaries)
{
    if (GMIME_IS_MULTIPART(object)) {
        if (const char *boundary = g_mime_multipart_get_boundary(GMIME_MULTIPART(object)))
            boundaries.append(boundary);
    }
    return boundaries;
}

// The entities directly below `object`: a multipart's parts, or the body of the message
// inside a message/rfc822 part. Paths name them by their 1-based position here.
QList<GMimeObject *> MessageTree::childrenOf(GMimeObject *object)
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
GMimeObject *MessageTree::find(const QString &path, Boundaries &boundaries)
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
QByteArray MessageTree::content(GMimeObject *object, const Boundaries &boundaries)
{
    if (GMIME_IS_MESSAGE_PART(object)) {
        const QByteArray original = enclosedMessageBytes(object, boundaries);
        if (!original.isNull())
            return original;
    }
    return contentBytes(object);
}

qint64 MessageTree::contentSize(GMimeObject *object, const Boundaries &boundaries)
{
    if (GMIME_IS_MESSAGE_PART(object))
        return content(object, boundaries).size();
    GPtr<GMimeStream> counter(g_mime_stream_null_new());
    writeContent(object, counter.get());
    return GMIME_STREAM_NULL(counter.get())->written;
}

ParsedMessage &MessageTree::encodedMessage(GMimeObject *part)
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
QByteArray MessageTree::enclosedMessageBytes(GMimeObject *object,
                                             const Boundaries &boundaries) const
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
bool MessageTree::startsWithHeader(qint64 offset, GMimeHeader *header) const
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

} // namespace gmime

QByteArray decodePartContent(const QByteArray &raw, const QString &path)
{
    gmime::MessageTree tree(raw);
    if (!tree.message())
        return path == QLatin1String("1") ? raw : QByteArray();
    gmime::Boundaries boundaries;
    GMimeObject *entity = tree.find(path, boundaries);
    return entity ? tree.content(entity, boundaries) : QByteArray();
}
