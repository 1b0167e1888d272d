#include "RawMime.h"

namespace {

struct Delimiter
{
    qsizetype lineBegin;    // the "--" of the delimiter line
    qsizetype contentBegin; // after the delimiter line's break
    qsizetype partEnd;      // where the previous part ends: before the line break preceding it
    bool closing;
};

bool onlyBlanks(QByteArrayView text)
{
    for (char c : text) {
        if (c != ' ' && c != '\t' && c != '\r')
            return false;
    }
    return true;
}

// The delimiter lines of `boundary` in raw[begin, end) (RFC 2046 5.1.1), up to the close.
QList<Delimiter> findDelimiters(QByteArrayView raw, qsizetype begin, qsizetype end,
                                const QByteArray &boundary)
{
    QList<Delimiter> found;
    const QByteArray dashes = "--" + boundary;
    qsizetype line = begin;
    while (line < end) {
        const qsizetype lf = raw.sliced(line, end - line).indexOf('\n');
        const qsizetype lineEnd = lf < 0 ? end : line + lf;
        const QByteArrayView text = raw.sliced(line, lineEnd - line);
        if (text.startsWith(dashes)) {
            const QByteArrayView rest = text.sliced(dashes.size());
            const bool closing = rest.startsWith("--");
            if (closing || onlyBlanks(rest)) {
                qsizetype partEnd = line;
                if (partEnd > begin && raw[partEnd - 1] == '\n')
                    --partEnd;
                if (partEnd > begin && raw[partEnd - 1] == '\r')
                    --partEnd;
                found.append({line, lf < 0 ? end : lineEnd + 1, partEnd, closing});
                if (closing)
                    break;
            }
        }
        line = lf < 0 ? end : lineEnd + 1;
    }
    return found;
}

class Walker
{
public:
    explicit Walker(QByteArrayView raw) : m_raw(raw) {}

    void visit(qsizetype begin, qsizetype end, const QString &path, int depth,
               const QByteArray &defaultType)
    {
        if (entities.size() >= kMaxMimeEntities || depth > kMaxMimeDepth)
            return;
        RawMimeEntity entity;
        entity.path = path;
        entity.depth = depth;
        entity.begin = begin;
        entity.end = end;
        entity.header = scanHeaderBlock(m_raw, begin, end);
        if (const RawHeaderField *type = entity.header.field("Content-Type")) {
            entity.contentType = parseParameterizedValue(type->value);
            entity.contentTypeDeclared = true;
        }
        if (entity.contentType.token.isEmpty() || !entity.contentType.token.contains('/'))
            entity.contentType.token = defaultType;
        if (const RawHeaderField *encoding = entity.header.field("Content-Transfer-Encoding"))
            entity.transferEncoding = parseParameterizedValue(encoding->value).token;

        QList<Delimiter> delimiters;
        if (entity.isMultipart()) {
            if (const HeaderParameter *boundary = entity.contentType.parameter("boundary"))
                entity.boundary = boundary->value;
            if (!entity.boundary.isEmpty())
                delimiters = findDelimiters(m_raw, entity.bodyBegin(), end, entity.boundary);
            entity.boundaryFound = !delimiters.isEmpty();
            entity.closingFound = !delimiters.isEmpty() && delimiters.last().closing;
            entity.firstDelimiter = delimiters.isEmpty() ? -1 : delimiters.first().lineBegin;
        }
        const bool identity =
            entity.transferEncoding.isEmpty() || entity.transferEncoding == "7bit" ||
            entity.transferEncoding == "8bit" || entity.transferEncoding == "binary";
        const bool message = entity.isMessage() && identity;
        const qsizetype bodyBegin = entity.bodyBegin();
        const QByteArray childType = entity.contentType.token == "multipart/digest"
                                         ? QByteArray("message/rfc822")
                                         : QByteArray("text/plain");
        entities.append(entity);

        for (qsizetype i = 0; i < delimiters.size(); ++i) {
            if (delimiters[i].closing)
                break;
            const qsizetype partEnd = i + 1 < delimiters.size() ? delimiters[i + 1].partEnd : end;
            visit(delimiters[i].contentBegin, qMax(delimiters[i].contentBegin, partEnd),
                  path + u'.' + QString::number(i + 1), depth + 1, childType);
        }
        if (message)
            visit(bodyBegin, end, path + QStringLiteral(".1"), depth + 1, "text/plain");
    }

    QList<RawMimeEntity> entities;

private:
    QByteArrayView m_raw;
};

} // namespace

QList<RawMimeEntity> walkMime(QByteArrayView raw)
{
    Walker walker(raw);
    walker.visit(0, raw.size(), QStringLiteral("1"), 0, "text/plain");
    return walker.entities;
}
