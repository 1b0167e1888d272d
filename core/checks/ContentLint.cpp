#include "LintContext.h"

#include <QRegularExpression>

namespace {

QList<QByteArray> angleUris(QByteArrayView value)
{
    QList<QByteArray> uris;
    const QByteArray text = unfold(value);
    for (qsizetype open = text.indexOf('<'); open >= 0; open = text.indexOf('<', open + 1)) {
        const qsizetype close = text.indexOf('>', open);
        if (close < 0)
            break;
        uris.append(text.mid(open + 1, close - open - 1).trimmed());
    }
    return uris;
}

bool hasScheme(const QList<QByteArray> &uris, QByteArrayView scheme)
{
    for (const QByteArray &uri : uris) {
        if (uri.size() > scheme.size() &&
            QByteArrayView(uri).first(scheme.size()).compare(scheme, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// Does an ancestor multipart/alternative of `path` also hold a text/plain body?
bool hasTextAlternative(const DecodedMessage &decoded, const QString &path)
{
    QString ancestor = path;
    while (ancestor.contains(u'.')) {
        ancestor.truncate(ancestor.lastIndexOf(u'.'));
        const MimePart *part = decoded.part(ancestor);
        if (!part || part->contentType != QLatin1String("multipart/alternative"))
            continue;
        const QString prefix = ancestor + u'.';
        for (const MimePart &candidate : decoded.parts) {
            if (candidate.path.startsWith(prefix) && !candidate.isAttachment &&
                candidate.contentType == QLatin1String("text/plain"))
                return true;
        }
    }
    return false;
}

// The <img> tags of `html` without an alt attribute: a tag scan, not an HTML parse, which is
// enough to find attributes (quoted values may hold '>').
QList<qsizetype> imagesWithoutAlt(const QString &html)
{
    static const QRegularExpression img(QStringLiteral("<img(?=[\\s/>])"),
                                        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression alt(QStringLiteral("^alt\\s*(=|$)"),
                                        QRegularExpression::CaseInsensitiveOption);
    QList<qsizetype> found;
    for (auto it = img.globalMatch(html); it.hasNext();) {
        const qsizetype start = it.next().capturedStart();
        qsizetype i = start + 4;
        bool hasAlt = false;
        while (i < html.size() && html[i] != u'>') {
            if (html[i] == u'"' || html[i] == u'\'') {
                const qsizetype close = html.indexOf(html[i], i + 1);
                i = close < 0 ? html.size() : close + 1;
                continue;
            }
            if (html[i].isSpace() || html[i] == u'/') {
                ++i;
                if (alt.match(QStringView(html).sliced(i, qMin<qsizetype>(8, html.size() - i)))
                        .hasMatch())
                    hasAlt = true;
                continue;
            }
            ++i;
        }
        if (!hasAlt)
            found.append(start);
    }
    return found;
}

// "(RFC 5321 2.3.8 requires CRLF)" -> "RFC 5321 2.3.8"
QString referenceIn(const QString &warning)
{
    static const QRegularExpression rfc(QStringLiteral("RFC (\\d+)(?: (\\d+(?:\\.\\d+)*))?"));
    const QRegularExpressionMatch match = rfc.match(warning);
    return match.hasMatch() ? match.captured(0) : QString();
}

} // namespace

void lintUnsubscribe(LintContext &context)
{
    const RawHeaderBlock &header = context.header();
    const RawHeaderField *unsubscribe = header.field("List-Unsubscribe");
    const RawHeaderField *post = header.field("List-Unsubscribe-Post");
    const QList<QByteArray> uris =
        unsubscribe ? angleUris(unsubscribe->value) : QList<QByteArray>();
    const bool https = hasScheme(uris, "https:");
    if (!unsubscribe) {
        context.report("bulk.list-unsubscribe-missing", context.headerEnd(),
                       QStringLiteral("no List-Unsubscribe: field (needed for bulk mail)"));
    } else if (!https && !hasScheme(uris, "mailto:")) {
        context.report("rfc2369.list-unsubscribe-uri", unsubscribe->offset,
                       QStringLiteral("List-Unsubscribe: has no <https:...> or <mailto:...> URI"));
    }
    if (post) {
        if (unfold(post->value).trimmed() != "List-Unsubscribe=One-Click")
            context.report("rfc8058.post-value", post->valueOffset(),
                           QStringLiteral("List-Unsubscribe-Post: '%1'")
                               .arg(QString::fromUtf8(unfold(post->value).trimmed())));
        if (!https)
            context.report("rfc8058.post-without-https", post->offset,
                           QStringLiteral("List-Unsubscribe-Post: without an https URI in "
                                          "List-Unsubscribe:"));
    } else if (https) {
        context.report("bulk.one-click-missing", unsubscribe->offset,
                       QStringLiteral("List-Unsubscribe: has an https URI but there is no "
                                      "List-Unsubscribe-Post:"));
    }
}

void lintHtmlBody(LintContext &context)
{
    const DecodedMessage &decoded = context.decoded;
    if (decoded.htmlBodyPath.isEmpty())
        return;
    const RawMimeEntity *entity = context.entity(decoded.htmlBodyPath);
    const qsizetype at = entity ? entity->begin : 0;
    if (!hasTextAlternative(decoded, decoded.htmlBodyPath))
        context.report("html.text-alternative-missing", at,
                       QStringLiteral("the HTML body (part %1) has no text/plain alternative")
                           .arg(decoded.htmlBodyPath));
    const qsizetype bodyAt = entity ? entity->bodyBegin() : 0;
    for (const qsizetype index : imagesWithoutAlt(decoded.htmlBody))
        context.report(
            "html.img-alt-missing", bodyAt,
            QStringLiteral("part %1, character %2 of the HTML: %3")
                .arg(decoded.htmlBodyPath)
                .arg(index)
                .arg(QStringView(decoded.htmlBody).sliced(index).left(60).toString().simplified()));
}

void lintRecordedWarnings(LintContext &context)
{
    for (const QString &warning : context.options.smtpWarnings)
        context.report("smtp.compliance", -1, warning, referenceIn(warning));
    for (const MimeWarning &warning : context.decoded.warnings)
        context.report("mime.parser", warning.offset < 0 ? -1 : warning.offset, warning.text);
}
