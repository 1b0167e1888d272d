// The list columns of a message, read from its header fields where that suffices.
#include "Headline.h"
#include "PartContent.h"

#include <optional>

using namespace gmime;

namespace {
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

QStringList readHeaderValues(const QByteArray &raw, const char *name)
{
    QStringList values;
    const auto fields = splitFields(headerBlockOf(raw));
    if (!fields)
        return values;
    WarningList warnings;
    WarningSink sink{&warnings, QString()};
    const ParserOptionsPtr options = parserOptions(&sink);
    for (const RawField &field : *fields) {
        if (field.name.compare(QByteArrayView(name), Qt::CaseInsensitive) == 0)
            values.append(singleLine(displayedValue(field.value.constData(), options.get())));
    }
    return values;
}
