#include "TagName.h"

#include <algorithm>

namespace tag_name {

QString problem(const QString &name)
{
    if (name.trimmed().isEmpty())
        return QStringLiteral("a tag needs a name");
    if (name.size() > kMaxLength)
        return QStringLiteral("a tag name has at most %1 characters").arg(kMaxLength);
    if (name.trimmed() != name)
        return QStringLiteral("a tag name cannot start or end with a blank");
    // '/' separates IMAP folder levels, '*' and '%' are LIST wildcards, ',' separates the
    // names of an X-Tags header, '=' and '<' end the name in a tag rule, '"' and '\' are IMAP
    // quoting.
    static const QString reserved = QStringLiteral("/\\*%,=<\"");
    for (const QChar c : name) {
        if (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format ||
            c == QChar::LineSeparator || c == QChar::ParagraphSeparator)
            return QStringLiteral("a tag name cannot contain control characters");
        if (reserved.contains(c))
            return QStringLiteral("a tag name cannot contain %1").arg(c);
    }
    return {};
}

bool same(const QString &a, const QString &b)
{
    // SQLite's NOCASE: ASCII letters only, so that both stores agree.
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        const char16_t x = a[i].unicode();
        const char16_t y = b[i].unicode();
        const auto lower = [](char16_t c) { return c >= u'A' && c <= u'Z' ? c + 32 : c; };
        if (lower(x) != lower(y))
            return false;
    }
    return true;
}

QStringList distinct(const QStringList &tags)
{
    QStringList out;
    for (const QString &tag : tags) {
        if (std::none_of(out.cbegin(), out.cend(),
                         [&tag](const QString &seen) { return same(seen, tag); }))
            out.append(tag);
    }
    return out;
}

QStringList ordered(const QStringList &tags)
{
    QStringList out = distinct(tags);
    std::sort(out.begin(), out.end(), [](const QString &a, const QString &b) {
        const int folded = a.compare(b, Qt::CaseInsensitive);
        return folded != 0 ? folded < 0 : a < b;
    });
    return out;
}

} // namespace tag_name
