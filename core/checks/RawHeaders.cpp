#include "RawHeaders.h"

#include <algorithm>

namespace {
bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

// The end of the line starting at `pos` (the index of its '\n', or `end`).
qsizetype lineEnd(QByteArrayView data, qsizetype pos, qsizetype end)
{
    const qsizetype lf = data.sliced(pos, end - pos).indexOf('\n');
    return lf < 0 ? end : pos + lf;
}

bool isEmptyLine(QByteArrayView data, qsizetype pos, qsizetype end)
{
    return (pos < end && data[pos] == '\n') ||
           (pos + 1 < end && data[pos] == '\r' && data[pos + 1] == '\n');
}

RawHeaderField makeField(QByteArrayView data, qsizetype begin, qsizetype end)
{
    RawHeaderField field;
    field.offset = begin;
    field.length = end - begin;
    qsizetype contentEnd = end;
    if (contentEnd > begin && data[contentEnd - 1] == '\n') {
        --contentEnd;
        field.lineBreak = 1;
        if (contentEnd > begin && data[contentEnd - 1] == '\r') {
            --contentEnd;
            field.lineBreak = 2;
        }
    }
    const QByteArrayView text = data.sliced(begin, contentEnd - begin);
    const qsizetype firstBreak = text.indexOf('\n');
    const qsizetype colon = text.indexOf(':');
    if (colon < 0 || (firstBreak >= 0 && colon > firstBreak)) {
        field.hasColon = false;
        field.name = text.first(firstBreak < 0 ? text.size() : firstBreak).toByteArray();
        if (field.name.endsWith('\r'))
            field.name.chop(1);
        return field;
    }
    qsizetype nameEnd = colon;
    while (nameEnd > 0 && isBlank(text[nameEnd - 1]))
        --nameEnd;
    field.blankBeforeColon = nameEnd < colon;
    field.name = text.first(nameEnd).toByteArray();
    field.value = text.sliced(colon + 1).toByteArray();
    return field;
}
} // namespace

bool RawHeaderField::is(QByteArrayView other) const
{
    return QByteArrayView(name).compare(other, Qt::CaseInsensitive) == 0;
}

qsizetype RawHeaderField::valueOffset() const
{
    return offset + length - lineBreak - value.size();
}

const RawHeaderField *RawHeaderBlock::field(QByteArrayView name) const
{
    for (const RawHeaderField &candidate : fields) {
        if (candidate.is(name))
            return &candidate;
    }
    return nullptr;
}

QList<const RawHeaderField *> RawHeaderBlock::all(QByteArrayView name) const
{
    QList<const RawHeaderField *> found;
    for (const RawHeaderField &candidate : fields) {
        if (candidate.is(name))
            found.append(&candidate);
    }
    return found;
}

RawHeaderBlock scanHeaderBlock(QByteArrayView data, qsizetype begin, qsizetype end)
{
    if (end < 0 || end > data.size())
        end = data.size();
    RawHeaderBlock block;
    qsizetype pos = begin;
    qsizetype fieldStart = -1;
    while (pos < end) {
        if (isEmptyLine(data, pos, end)) {
            block.hasBlankLine = true;
            break;
        }
        if (fieldStart >= 0 && !isBlank(data[pos])) {
            block.fields.append(makeField(data, fieldStart, pos));
            fieldStart = -1;
        }
        if (fieldStart < 0)
            fieldStart = pos;
        const qsizetype lf = lineEnd(data, pos, end);
        pos = lf < end ? lf + 1 : end;
    }
    if (fieldStart >= 0)
        block.fields.append(makeField(data, fieldStart, pos));
    if (block.hasBlankLine)
        pos += data[pos] == '\n' ? 1 : 2;
    block.bodyOffset = pos;
    return block;
}

QByteArray unfold(QByteArrayView value)
{
    QByteArray result;
    result.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value[i] == '\r' && i + 1 < value.size() && value[i + 1] == '\n')
            continue;
        if (value[i] == '\n')
            continue;
        result.append(value[i]);
    }
    return result;
}

LineIndex::LineIndex(QByteArrayView data)
{
    m_starts.append(0);
    for (qsizetype i = 0; i < data.size(); ++i) {
        if (data[i] == '\n')
            m_starts.append(i + 1);
    }
}

int LineIndex::lineOf(qsizetype offset) const
{
    const auto after = std::upper_bound(m_starts.cbegin(), m_starts.cend(), offset);
    return int(after - m_starts.cbegin());
}
