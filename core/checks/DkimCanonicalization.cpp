#include "DkimCanonicalization.h"

namespace {
bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

// Appends `text` with each run of blanks as one space and no blanks at the end.
void appendCompressed(QByteArray &out, QByteArrayView text)
{
    bool pendingSpace = false;
    for (char c : text) {
        if (isBlank(c)) {
            pendingSpace = true;
            continue;
        }
        if (pendingSpace)
            out.append(' ');
        pendingSpace = false;
        out.append(c);
    }
}

void removeTrailingEmptyLines(QByteArray &body)
{
    while (body.endsWith("\r\n\r\n"))
        body.chop(2);
}
} // namespace

QByteArray canonicalHeaderField(DkimCanonicalization canonicalization, QByteArrayView field)
{
    if (canonicalization == DkimCanonicalization::Simple)
        return field.toByteArray();
    const qsizetype colon = field.indexOf(':');
    QByteArrayView name = colon < 0 ? field : field.first(colon);
    while (!name.isEmpty() && isBlank(name.back()))
        name.chop(1);
    QByteArray unfolded;
    if (colon >= 0) {
        unfolded.reserve(field.size() - colon);
        for (char c : field.sliced(colon + 1)) {
            if (c != '\r' && c != '\n')
                unfolded.append(c);
        }
    }
    QByteArray out = name.toByteArray().toLower();
    out.append(':');
    qsizetype start = 0;
    while (start < unfolded.size() && isBlank(unfolded[start]))
        ++start;
    appendCompressed(out, QByteArrayView(unfolded).sliced(start));
    out.append("\r\n");
    return out;
}

QByteArray canonicalBody(DkimCanonicalization canonicalization, QByteArrayView body)
{
    QByteArray out;
    if (canonicalization == DkimCanonicalization::Simple) {
        out = body.toByteArray();
        if (!out.endsWith("\r\n"))
            out.append("\r\n");
        removeTrailingEmptyLines(out);
        return out;
    }
    out.reserve(body.size() + 2);
    qsizetype start = 0;
    while (start < body.size()) {
        qsizetype end = body.indexOf("\r\n", start);
        const qsizetype next = end < 0 ? body.size() : end + 2;
        if (end < 0)
            end = body.size();
        appendCompressed(out, body.sliced(start, end - start));
        out.append("\r\n");
        start = next;
    }
    removeTrailingEmptyLines(out);
    if (out == "\r\n")
        out.clear();
    return out;
}
