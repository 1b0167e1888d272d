#include "HtmlResources.h"

#include <QSet>
#include <QUrl>

namespace {

struct Candidate
{
    QString url;
    RemoteResourceKind kind;
};

bool isSpace(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n') ||
           c == QLatin1Char('\r') || c == QLatin1Char('\f');
}

bool isHexDigit(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'f') || (u >= 'A' && u <= 'F');
}

bool isAsciiDigit(QChar c)
{
    return c.unicode() >= '0' && c.unicode() <= '9';
}

bool startsWithAt(const QString &text, qsizetype at, QLatin1String word)
{
    return QStringView(text).mid(at, word.size()).compare(word, Qt::CaseInsensitive) == 0;
}

// Character references in attribute values: named ones that matter in URLs plus numeric ones,
// which a sender can use to hide "http" from a naive search.
QString decodeCharacterReferences(const QString &value)
{
    if (!value.contains(QLatin1Char('&')))
        return value;
    static const QList<QPair<QLatin1String, QChar>> named = {
        {QLatin1String("amp;"), QLatin1Char('&')},     {QLatin1String("quot;"), QLatin1Char('"')},
        {QLatin1String("apos;"), QLatin1Char('\'')},   {QLatin1String("lt;"), QLatin1Char('<')},
        {QLatin1String("gt;"), QLatin1Char('>')},      {QLatin1String("colon;"), QLatin1Char(':')},
        {QLatin1String("sol;"), QLatin1Char('/')},     {QLatin1String("Tab;"), QLatin1Char('\t')},
        {QLatin1String("NewLine;"), QLatin1Char('\n')}};
    QString out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value.at(i) != QLatin1Char('&')) {
            out.append(value.at(i));
            continue;
        }
        qsizetype consumed = 0;
        if (i + 1 < value.size() && value.at(i + 1) == QLatin1Char('#')) {
            const bool hex = i + 2 < value.size() && value.at(i + 2).toLower() == QLatin1Char('x');
            qsizetype end = i + (hex ? 3 : 2);
            while (end < value.size() && end - i < 12 &&
                   (hex ? isHexDigit(value.at(end)) : isAsciiDigit(value.at(end))))
                ++end;
            bool ok = false;
            const uint code =
                value.mid(i + (hex ? 3 : 2), end - i - (hex ? 3 : 2)).toUInt(&ok, hex ? 16 : 10);
            if (ok && code > 0 && code <= 0x10FFFF) {
                const char32_t codePoint = code;
                out.append(QString::fromUcs4(&codePoint, 1));
                consumed = end - i + (end < value.size() && value.at(end) == QLatin1Char(';'));
            }
        } else {
            for (const auto &[name, character] : named) {
                if (QStringView(value).mid(i + 1, name.size()) == name) {
                    out.append(character);
                    consumed = name.size() + 1;
                    break;
                }
            }
        }
        if (consumed == 0)
            out.append(value.at(i));
        else
            i += consumed - 1;
    }
    return out;
}

// CSS escapes: "\" + up to six hex digits (and one optional space), or "\" + any character.
QString decodeCssEscapes(const QString &value)
{
    if (!value.contains(QLatin1Char('\\')))
        return value;
    QString out;
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value.at(i) != QLatin1Char('\\') || i + 1 == value.size()) {
            out.append(value.at(i));
            continue;
        }
        qsizetype end = i + 1;
        while (end < value.size() && end - i <= 6 && isHexDigit(value.at(end)))
            ++end;
        if (end == i + 1) {
            out.append(value.at(++i));
            continue;
        }
        const char32_t codePoint = value.mid(i + 1, end - i - 1).toUInt(nullptr, 16);
        if (codePoint > 0 && codePoint <= 0x10FFFF)
            out.append(QString::fromUcs4(&codePoint, 1));
        i = end < value.size() && isSpace(value.at(end)) ? end : end - 1;
    }
    return out;
}

// Browsers drop tabs and line breaks anywhere in a URL and leading controls and spaces, so
// "ht\ntp://" loads like "http://".
QString normalizedUrl(const QString &url)
{
    QString out;
    out.reserve(url.size());
    for (QChar c : url) {
        if (c != QLatin1Char('\t') && c != QLatin1Char('\n') && c != QLatin1Char('\r'))
            out.append(c);
    }
    qsizetype start = 0;
    while (start < out.size() && out.at(start).unicode() <= 0x20)
        ++start;
    return out.mid(start).trimmed();
}

bool isRemote(const QString &url)
{
    static const QLatin1String prefixes[] = {
        QLatin1String("http:"), QLatin1String("https:"), QLatin1String("ftp:"),
        QLatin1String("ws:"),   QLatin1String("wss:"),   QLatin1String("//"),
        QLatin1String("\\\\"),  QLatin1String("/\\"),    QLatin1String("\\/")};
    return std::any_of(std::begin(prefixes), std::end(prefixes), [&url](QLatin1String prefix) {
        return url.startsWith(prefix, Qt::CaseInsensitive);
    });
}

bool hasScheme(const QString &url)
{
    const qsizetype colon = url.indexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    for (qsizetype i = 0; i < colon; ++i) {
        const QChar c = url.at(i);
        if (!(c.isLetterOrNumber() || c == QLatin1Char('+') || c == QLatin1Char('-') ||
              c == QLatin1Char('.')))
            return false;
    }
    return true;
}

class HtmlScanner
{
public:
    explicit HtmlScanner(const QString &html) : m_html(html) {}

    void run()
    {
        qsizetype i = 0;
        while ((i = m_html.indexOf(QLatin1Char('<'), i)) >= 0) {
            if (startsWithAt(m_html, i, QLatin1String("<!--"))) {
                const qsizetype end = m_html.indexOf(QLatin1String("-->"), i + 4);
                i = end < 0 ? m_html.size() : end + 3;
                continue;
            }
            i = readTag(i + 1);
        }
    }

    QList<Candidate> candidates;
    QString base;

private:
    // Reads the tag whose name starts at `i`; returns where scanning continues.
    qsizetype readTag(qsizetype i)
    {
        const qsizetype nameStart = i;
        while (i < m_html.size() && (m_html.at(i).isLetterOrNumber() || m_html.at(i) == '-'))
            ++i;
        if (i == nameStart)
            return i;
        const QString tag = m_html.mid(nameStart, i - nameStart).toLower();
        QList<QPair<QString, QString>> attributes;
        while (i < m_html.size() && m_html.at(i) != QLatin1Char('>')) {
            if (isSpace(m_html.at(i)) || m_html.at(i) == QLatin1Char('/')) {
                ++i;
                continue;
            }
            const qsizetype attributeStart = i;
            while (i < m_html.size() && !isSpace(m_html.at(i)) && m_html.at(i) != '=' &&
                   m_html.at(i) != '>' && m_html.at(i) != '/')
                ++i;
            const QString name = m_html.mid(attributeStart, i - attributeStart).toLower();
            while (i < m_html.size() && isSpace(m_html.at(i)))
                ++i;
            QString value;
            if (i < m_html.size() && m_html.at(i) == QLatin1Char('=')) {
                ++i;
                while (i < m_html.size() && isSpace(m_html.at(i)))
                    ++i;
                i = readAttributeValue(i, value);
            }
            attributes.append({name, decodeCharacterReferences(value)});
        }
        useTag(tag, attributes);
        ++i;
        if (tag == QLatin1String("style")) {
            qsizetype end = m_html.indexOf(QLatin1String("</style"), i, Qt::CaseInsensitive);
            if (end < 0)
                end = m_html.size();
            scanCss(QStringView(m_html).mid(i, end - i));
            return end;
        }
        return i;
    }

    qsizetype readAttributeValue(qsizetype i, QString &value) const
    {
        if (i >= m_html.size())
            return i;
        const QChar quote = m_html.at(i);
        if (quote == QLatin1Char('"') || quote == QLatin1Char('\'')) {
            qsizetype end = m_html.indexOf(quote, i + 1);
            if (end < 0)
                end = m_html.size();
            value = m_html.mid(i + 1, end - i - 1);
            return end + 1;
        }
        const qsizetype start = i;
        while (i < m_html.size() && !isSpace(m_html.at(i)) && m_html.at(i) != QLatin1Char('>'))
            ++i;
        value = m_html.mid(start, i - start);
        return i;
    }

    static RemoteResourceKind sourceKind(const QString &tag)
    {
        if (tag == QLatin1String("img") || tag == QLatin1String("input") ||
            tag == QLatin1String("image"))
            return RemoteResourceKind::Image;
        if (tag == QLatin1String("script"))
            return RemoteResourceKind::Script;
        if (tag == QLatin1String("iframe") || tag == QLatin1String("frame") ||
            tag == QLatin1String("embed") || tag == QLatin1String("object"))
            return RemoteResourceKind::Frame;
        if (tag == QLatin1String("video") || tag == QLatin1String("audio") ||
            tag == QLatin1String("source") || tag == QLatin1String("track"))
            return RemoteResourceKind::Media;
        return RemoteResourceKind::Other;
    }

    void useTag(const QString &tag, const QList<QPair<QString, QString>> &attributes)
    {
        QString rel;
        for (const auto &[name, value] : attributes) {
            if (name == QLatin1String("rel"))
                rel = value.toLower();
        }
        for (const auto &[name, value] : attributes) {
            if (name == QLatin1String("src"))
                add(value, sourceKind(tag));
            else if (name == QLatin1String("srcset"))
                addSrcset(value);
            else if (name == QLatin1String("background") || name == QLatin1String("poster"))
                add(value, RemoteResourceKind::Image);
            else if (name == QLatin1String("data") && tag == QLatin1String("object"))
                add(value, RemoteResourceKind::Frame);
            else if (name == QLatin1String("style"))
                scanCss(value);
            else if (name == QLatin1String("href") && tag == QLatin1String("link"))
                add(value, rel.contains(QLatin1String("stylesheet"))
                               ? RemoteResourceKind::Stylesheet
                               : RemoteResourceKind::Other);
            else if (name == QLatin1String("href") && tag == QLatin1String("base") &&
                     base.isEmpty())
                base = normalizedUrl(value);
        }
    }

    void addSrcset(const QString &srcset)
    {
        // Candidates are "URL [descriptor]" separated by commas; URLs may contain commas
        // themselves only when not followed by whitespace, which this split respects.
        const QStringList entries = srcset.split(QLatin1String(", "), Qt::SkipEmptyParts);
        for (const QString &entry : entries) {
            const QString trimmed = entry.trimmed();
            QString url = trimmed.section(QLatin1Char(' '), 0, 0);
            if (url.endsWith(QLatin1Char(',')))
                url.chop(1);
            add(url, RemoteResourceKind::Image);
        }
    }

    void scanCss(QStringView css)
    {
        int fontFaceDepth = -1;
        int depth = 0;
        for (qsizetype i = 0; i < css.size(); ++i) {
            const QChar c = css.at(i);
            if (c == QLatin1Char('{')) {
                ++depth;
            } else if (c == QLatin1Char('}')) {
                if (--depth <= fontFaceDepth)
                    fontFaceDepth = -1;
            } else if (c == QLatin1Char('@') && css.mid(i, 10).compare(QLatin1String("@font-face"),
                                                                       Qt::CaseInsensitive) == 0) {
                fontFaceDepth = depth;
            } else if (c == QLatin1Char('@') &&
                       css.mid(i, 7).compare(QLatin1String("@import"), Qt::CaseInsensitive) == 0) {
                i = readCssImport(css, i + 7);
            } else if ((c == QLatin1Char('u') || c == QLatin1Char('U')) &&
                       css.mid(i, 4).compare(QLatin1String("url("), Qt::CaseInsensitive) == 0) {
                QString url;
                i = readCssUrl(css, i + 4, url);
                add(decodeCssEscapes(url),
                    fontFaceDepth >= 0 ? RemoteResourceKind::Font : RemoteResourceKind::Image);
            }
        }
    }

    // After "@import": either a string or url(...). Returns the last index consumed.
    qsizetype readCssImport(QStringView css, qsizetype i)
    {
        while (i < css.size() && isSpace(css.at(i)))
            ++i;
        QString url;
        if (i < css.size() && (css.at(i) == QLatin1Char('"') || css.at(i) == QLatin1Char('\''))) {
            const QChar quote = css.at(i);
            qsizetype end = css.indexOf(quote, i + 1);
            if (end < 0)
                end = css.size();
            url = css.mid(i + 1, end - i - 1).toString();
            i = end;
        } else if (css.mid(i, 4).compare(QLatin1String("url("), Qt::CaseInsensitive) == 0) {
            i = readCssUrl(css, i + 4, url);
        } else {
            return i - 1;
        }
        add(decodeCssEscapes(url), RemoteResourceKind::Stylesheet);
        return i;
    }

    // After "url(": the URL up to ")" without quotes. Returns the index of the ")".
    static qsizetype readCssUrl(QStringView css, qsizetype i, QString &url)
    {
        qsizetype end = css.indexOf(QLatin1Char(')'), i);
        if (end < 0)
            end = css.size();
        QString inner = css.mid(i, end - i).toString().trimmed();
        if (inner.size() >= 2 &&
            (inner.front() == QLatin1Char('"') || inner.front() == QLatin1Char('\'')) &&
            inner.back() == inner.front())
            inner = inner.mid(1, inner.size() - 2);
        url = inner;
        return end;
    }

    void add(const QString &url, RemoteResourceKind kind)
    {
        const QString normalized = normalizedUrl(url);
        if (!normalized.isEmpty())
            candidates.append({normalized, kind});
    }

    const QString &m_html;
};

QString withoutAngleBrackets(QString id)
{
    id = id.trimmed();
    if (id.startsWith(QLatin1Char('<')) && id.endsWith(QLatin1Char('>')))
        id = id.mid(1, id.size() - 2);
    return id;
}

} // namespace

QString remoteResourceKindName(RemoteResourceKind kind)
{
    switch (kind) {
    case RemoteResourceKind::Image:
        return QStringLiteral("image");
    case RemoteResourceKind::Stylesheet:
        return QStringLiteral("stylesheet");
    case RemoteResourceKind::Font:
        return QStringLiteral("font");
    case RemoteResourceKind::Script:
        return QStringLiteral("script");
    case RemoteResourceKind::Frame:
        return QStringLiteral("frame");
    case RemoteResourceKind::Media:
        return QStringLiteral("media");
    case RemoteResourceKind::Other:
        break;
    }
    return QStringLiteral("other");
}

QList<RemoteResource> findRemoteResources(const QString &html)
{
    HtmlScanner scanner(html);
    scanner.run();
    const bool remoteBase = isRemote(scanner.base);
    QList<RemoteResource> resources;
    QSet<QString> seen;
    for (const Candidate &candidate : std::as_const(scanner.candidates)) {
        const bool remote = isRemote(candidate.url) || (remoteBase && !hasScheme(candidate.url));
        if (remote && !seen.contains(candidate.url)) {
            seen.insert(candidate.url);
            resources.append({candidate.url, candidate.kind});
        }
    }
    return resources;
}

QString findRelatedPart(const DecodedMessage &message, const QString &url)
{
    const MimePart *html = message.part(message.htmlBodyPath);
    const QString trimmed = url.trimmed();
    const bool byContentId = trimmed.startsWith(QLatin1String("cid:"), Qt::CaseInsensitive);
    const QString contentId =
        byContentId ? withoutAngleBrackets(QUrl::fromPercentEncoding(trimmed.mid(4).toUtf8()))
                    : QString();
    // Content-Location may be relative to the HTML part's own location (RFC 2557).
    const QUrl base(html ? html->contentLocation : QString());
    const QUrl wanted = base.resolved(QUrl(trimmed));

    for (Qt::CaseSensitivity sensitivity : {Qt::CaseSensitive, Qt::CaseInsensitive}) {
        for (const MimePart &part : message.parts) {
            if (part.isMultipart() || (html && (part.path == html->path ||
                                                part.enclosingMessage != html->enclosingMessage)))
                continue;
            const bool match = byContentId
                                   ? !part.contentId.isEmpty() &&
                                         part.contentId.compare(contentId, sensitivity) == 0
                                   : !part.contentLocation.isEmpty() &&
                                         (part.contentLocation.compare(trimmed, sensitivity) == 0 ||
                                          base.resolved(QUrl(part.contentLocation)) == wanted);
            if (match)
                return part.path;
        }
    }
    return {};
}

std::optional<RelatedResource>
resolveRelatedResource(const QByteArray &raw, const DecodedMessage &message, const QString &url)
{
    const QString path = findRelatedPart(message, url);
    const MimePart *part = message.part(path);
    if (!part)
        return std::nullopt;
    return RelatedResource{path, part->contentType, decodePartContent(raw, path)};
}
