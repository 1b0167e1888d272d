#include "TagList.h"

namespace {
bool isWhiteSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool isTagNameChar(char c, bool first)
{
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return alpha || (!first && ((c >= '0' && c <= '9') || c == '_'));
}

// RFC 6376 3.2 VALCHAR: %x21-3A / %x3C-7E (printable ASCII but ';').
bool isValueChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x21 && u <= 0x7e && u != ';';
}

QByteArrayView trimmed(QByteArrayView text)
{
    qsizetype begin = 0;
    qsizetype end = text.size();
    while (begin < end && isWhiteSpace(text[begin]))
        ++begin;
    while (end > begin && isWhiteSpace(text[end - 1]))
        --end;
    return text.sliced(begin, end - begin);
}
QString excerpt(QByteArrayView text)
{
    return QString::fromUtf8(text.first(qMin<qsizetype>(20, text.size())));
}
} // namespace

const Tag *TagList::tag(QByteArrayView name) const
{
    for (const Tag &candidate : tags) {
        if (candidate.name == name)
            return &candidate;
    }
    return nullptr;
}

TagList parseTagList(QByteArrayView text)
{
    TagList list;
    qsizetype pos = 0;
    while (pos < text.size()) {
        qsizetype end = text.indexOf(';', pos);
        if (end < 0)
            end = text.size();
        const QByteArrayView spec = text.sliced(pos, end - pos);
        const qsizetype specStart = pos;
        pos = end + 1;
        if (trimmed(spec).isEmpty()) { // only a final ';' may have nothing after it
            list.error = QStringLiteral("empty tag at offset %1").arg(specStart);
            return list;
        }
        const qsizetype eq = spec.indexOf('=');
        if (eq < 0) {
            list.error = QStringLiteral("'%1' has no '='").arg(excerpt(trimmed(spec)));
            return list;
        }
        const QByteArrayView name = trimmed(spec.first(eq));
        bool nameOk = !name.isEmpty();
        for (qsizetype i = 0; i < name.size() && nameOk; ++i)
            nameOk = isTagNameChar(name[i], i == 0);
        if (!nameOk) {
            list.error = QStringLiteral("bad tag name '%1'").arg(excerpt(name));
            return list;
        }
        const QByteArrayView value = trimmed(spec.sliced(eq + 1));
        for (char c : value) {
            if (!isValueChar(c) && !isWhiteSpace(c)) {
                list.error = QStringLiteral("tag %1= has byte 0x%2 in its value")
                                 .arg(QString::fromLatin1(name))
                                 .arg(static_cast<unsigned char>(c), 2, 16, QLatin1Char('0'));
                return list;
            }
        }
        if (list.tag(name)) {
            list.error = QStringLiteral("tag %1= appears twice").arg(QString::fromLatin1(name));
            return list;
        }
        list.tags.append({name.toByteArray(), value.toByteArray(), specStart + eq + 1, end});
    }
    return list;
}

QByteArray withoutWhiteSpace(QByteArrayView value)
{
    QByteArray result;
    result.reserve(value.size());
    for (char c : value) {
        if (!isWhiteSpace(c))
            result.append(c);
    }
    return result;
}
