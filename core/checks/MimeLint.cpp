#include "LintContext.h"

#include <QMap>
#include <QRegularExpression>
#include <algorithm>

namespace {

bool isHex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

bool isBase64Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

// RFC 2046 5.1.1 bchars, space allowed except at the end.
bool isBoundaryChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           QByteArrayView("'()+_,-./:=? ").contains(c);
}

// The lines of raw[begin, end), without their line breaks, with their offsets.
template <typename Visit>
void forEachLine(QByteArrayView raw, qsizetype begin, qsizetype end, Visit visit)
{
    qsizetype start = begin;
    while (start < end) {
        const qsizetype lf = raw.sliced(start, end - start).indexOf('\n');
        const qsizetype lineEnd = lf < 0 ? end : start + lf;
        const qsizetype textEnd =
            lineEnd > start && raw[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        if (!visit(start, raw.sliced(start, textEnd - start)))
            return;
        start = lf < 0 ? end : lineEnd + 1;
    }
}

const RawHeaderField *fieldOf(const RawMimeEntity &entity, const char *name)
{
    return entity.header.field(name);
}

qsizetype fieldOffset(const RawMimeEntity &entity, const char *name)
{
    const RawHeaderField *field = fieldOf(entity, name);
    return field ? field->offset : entity.begin;
}

void checkMimeVersion(LintContext &context)
{
    const RawHeaderBlock &header = context.header();
    if (header.field("MIME-Version"))
        return;
    for (const RawHeaderField &field : header.fields) {
        if (field.name.startsWith("Content-") || field.name.startsWith("content-") ||
            field.name.startsWith("CONTENT-")) {
            context.report(
                "rfc2045.mime-version-missing", field.offset,
                QStringLiteral("%1 without MIME-Version").arg(QString::fromLatin1(field.name)));
            return;
        }
    }
}

void checkTransferEncoding(LintContext &context, const RawMimeEntity &entity)
{
    static const QList<QByteArray> known = {"7bit", "8bit", "binary", "quoted-printable", "base64"};
    const QByteArray &encoding = entity.transferEncoding;
    if (encoding.isEmpty())
        return;
    const qsizetype at = fieldOffset(entity, "Content-Transfer-Encoding");
    if (!known.contains(encoding) && !encoding.startsWith("x-")) {
        context.report("rfc2045.transfer-encoding-unknown", at,
                       QStringLiteral("part %1: unknown transfer encoding '%2'")
                           .arg(entity.path, QString::fromLatin1(encoding)));
    } else if ((entity.isMultipart() || entity.isMessage()) &&
               (encoding == "quoted-printable" || encoding == "base64")) {
        context.report("rfc2045.multipart-encoding", at,
                       QStringLiteral("part %1: %2 declared %3")
                           .arg(entity.path, QString::fromLatin1(entity.contentType.token),
                                QString::fromLatin1(encoding)));
    } else if (encoding == "binary") {
        context.report(
            "rfc2045.binary-transfer-encoding", at,
            QStringLiteral("part %1: Content-Transfer-Encoding: binary").arg(entity.path));
    }
}

void checkBoundary(LintContext &context, const RawMimeEntity &entity)
{
    const RawHeaderField *type = fieldOf(entity, "Content-Type");
    const HeaderParameter *parameter = entity.contentType.parameter("boundary");
    if (!parameter || parameter->value.isEmpty()) {
        context.report("rfc2046.boundary-missing", type ? type->offset : entity.begin,
                       QStringLiteral("part %1: %2 without a boundary")
                           .arg(entity.path, QString::fromLatin1(entity.contentType.token)));
        return;
    }
    const QByteArray &boundary = parameter->value;
    const qsizetype at = type ? type->valueOffset() + parameter->offset : entity.begin;
    bool legal = boundary.size() <= 70 && !boundary.endsWith(' ');
    for (char c : boundary)
        legal = legal && isBoundaryChar(c);
    if (!legal)
        context.report("rfc2046.boundary-syntax", at,
                       QStringLiteral("part %1: boundary of %2 characters%3")
                           .arg(entity.path)
                           .arg(boundary.size())
                           .arg(boundary.size() > 70
                                    ? QStringLiteral(" (at most 70)")
                                    : QStringLiteral(" with characters outside bchars")));
    if (!entity.boundaryFound)
        context.report("rfc2046.boundary-not-found", entity.bodyBegin(),
                       QStringLiteral("part %1: no line --%2 in the body")
                           .arg(entity.path, QString::fromLatin1(boundary)));
    else if (!entity.closingFound)
        context.report("rfc2046.closing-delimiter-missing", entity.firstDelimiter,
                       QStringLiteral("part %1: no closing line --%2--")
                           .arg(entity.path, QString::fromLatin1(boundary)));
}

// Raw bytes the declared encoding cannot carry.
void checkContentBytes(LintContext &context, const RawMimeEntity &entity)
{
    const QByteArray &encoding = entity.transferEncoding;
    if (encoding == "binary" || encoding == "base64")
        return;
    const QByteArrayView body =
        QByteArrayView(context.raw).sliced(entity.bodyBegin(), entity.end - entity.bodyBegin());
    qsizetype eightBit = -1;
    qsizetype nul = -1;
    for (qsizetype i = 0; i < body.size() && (eightBit < 0 || nul < 0); ++i) {
        const auto c = static_cast<unsigned char>(body[i]);
        if (c >= 0x80 && eightBit < 0)
            eightBit = i;
        if (c == 0 && nul < 0)
            nul = i;
    }
    if (nul >= 0)
        context.report("rfc2045.binary-content", entity.bodyBegin() + nul,
                       QStringLiteral("part %1: NUL byte under %2")
                           .arg(entity.path, encoding.isEmpty()
                                                 ? QStringLiteral("no transfer encoding")
                                                 : QString::fromLatin1(encoding)));
    if (eightBit >= 0 && encoding != "8bit")
        context.report("rfc2045.8bit-undeclared", entity.bodyBegin() + eightBit,
                       QStringLiteral("part %1: 8-bit byte under %2")
                           .arg(entity.path, encoding.isEmpty()
                                                 ? QStringLiteral("no transfer encoding (7bit)")
                                                 : QString::fromLatin1(encoding)));
}

void checkQuotedPrintable(LintContext &context, const RawMimeEntity &entity)
{
    qsizetype longLine = -1;
    int longLines = 0;
    qsizetype badEscape = -1;
    int badEscapes = 0;
    forEachLine(
        context.raw, entity.bodyBegin(), entity.end, [&](qsizetype at, QByteArrayView line) {
            if (line.size() > 76) {
                if (longLine < 0)
                    longLine = at;
                ++longLines;
            }
            for (qsizetype i = line.indexOf('='); i >= 0; i = line.indexOf('=', i + 1)) {
                const QByteArrayView rest = line.sliced(i + 1);
                const bool escape = rest.size() >= 2 && isHex(rest[0]) && isHex(rest[1]);
                const bool softBreak = rest.trimmed().isEmpty(); // transport padding may follow
                if (!escape && !softBreak) {
                    if (badEscape < 0)
                        badEscape = at + i;
                    ++badEscapes;
                }
                if (softBreak)
                    break;
            }
            return true;
        });
    if (longLine >= 0)
        context.report("rfc2045.qp-line-length", longLine,
                       QStringLiteral("part %1: %2 quoted-printable line(s) over 76 characters, "
                                      "the first here")
                           .arg(entity.path)
                           .arg(longLines));
    if (badEscape >= 0)
        context.report("rfc2045.qp-bad-escape", badEscape,
                       QStringLiteral("part %1: %2 '=' not followed by two hex digits, the first "
                                      "here")
                           .arg(entity.path)
                           .arg(badEscapes));
}

void checkBase64(LintContext &context, const RawMimeEntity &entity)
{
    qsizetype longLine = -1;
    int longLines = 0;
    qsizetype badChar = -1;
    qsizetype badPadding = -1;
    qsizetype firstPad = -1;
    qsizetype lastSymbol = entity.bodyBegin();
    qint64 symbols = 0; // alphabet characters and padding
    forEachLine(context.raw, entity.bodyBegin(), entity.end,
                [&](qsizetype at, QByteArrayView line) {
                    if (line.size() > 76) {
                        if (longLine < 0)
                            longLine = at;
                        ++longLines;
                    }
                    for (qsizetype i = 0; i < line.size(); ++i) {
                        const char c = line[i];
                        if (c == '=') {
                            if (firstPad < 0)
                                firstPad = at + i;
                            ++symbols;
                        } else if (isBase64Char(c)) {
                            if (firstPad >= 0 && badPadding < 0)
                                badPadding = firstPad;
                            lastSymbol = at + i;
                            ++symbols;
                        } else if (badChar < 0) {
                            badChar = at + i;
                        }
                    }
                    return true;
                });
    if (badChar >= 0)
        context.report(
            "rfc2045.base64-alphabet", badChar,
            QStringLiteral("part %1: byte 0x%2 is not base64")
                .arg(entity.path)
                .arg(static_cast<unsigned char>(context.raw[badChar]), 2, 16, QLatin1Char('0')));
    if (badPadding >= 0)
        context.report(
            "rfc2045.base64-padding", badPadding,
            QStringLiteral("part %1: '=' padding before the end of the data").arg(entity.path));
    else if (symbols % 4 != 0)
        context.report("rfc2045.base64-padding", lastSymbol,
                       QStringLiteral("part %1: %2 base64 characters, not a multiple of 4 "
                                      "(missing '=' padding or truncated)")
                           .arg(entity.path)
                           .arg(symbols));
    if (longLine >= 0)
        context.report("rfc2045.base64-line-length", longLine,
                       QStringLiteral("part %1: %2 base64 line(s) over 76 characters, the first "
                                      "here")
                           .arg(entity.path)
                           .arg(longLines));
}

// RFC 2231 3: name*0, name*1, ... numbered from 0 without gaps or repeats.
void checkContinuations(LintContext &context, const RawMimeEntity &entity, const char *fieldName)
{
    const RawHeaderField *field = fieldOf(entity, fieldName);
    if (!field)
        return;
    static const QRegularExpression section(QStringLiteral("^(.+)\\*([0-9]+)\\*?$"));
    QMap<QString, QList<const HeaderParameter *>> groups;
    const ParameterizedValue value = parseParameterizedValue(field->value);
    for (const HeaderParameter &parameter : value.parameters) {
        const QRegularExpressionMatch match = section.match(QString::fromLatin1(parameter.name));
        if (match.hasMatch())
            groups[match.captured(1).toLower()].append(&parameter);
    }
    for (auto it = groups.cbegin(); it != groups.cend(); ++it) {
        QList<int> numbers;
        for (const HeaderParameter *parameter : it.value()) {
            const QString name = QString::fromLatin1(parameter->name);
            const QString digits = section.match(name).captured(2);
            numbers.append(digits.size() > 1 && digits.startsWith(u'0') ? -1 : digits.toInt());
        }
        QList<int> sorted = numbers;
        std::sort(sorted.begin(), sorted.end());
        for (qsizetype i = 0; i < sorted.size(); ++i) {
            if (sorted[i] == int(i))
                continue;
            const QString problem = sorted[i] < 0
                                        ? QStringLiteral("a section number with a leading zero")
                                    : i > 0 && sorted[i] == sorted[i - 1]
                                        ? QStringLiteral("section %1 twice").arg(sorted[i])
                                        : QStringLiteral("section %1 missing").arg(i);
            context.report(
                "rfc2231.continuation-gap", field->valueOffset() + it.value().first()->offset,
                QStringLiteral("part %1: %2 parameter %3*: %4")
                    .arg(entity.path, QString::fromLatin1(fieldName), it.key(), problem));
            break;
        }
    }
}

} // namespace

void lintMimeStructure(LintContext &context)
{
    checkMimeVersion(context);
    for (const RawMimeEntity &entity : context.entities) {
        checkTransferEncoding(context, entity);
        checkContinuations(context, entity, "Content-Type");
        checkContinuations(context, entity, "Content-Disposition");
        if (entity.isMultipart()) {
            checkBoundary(context, entity);
            continue;
        }
        if (entity.isMessage() && entity.transferEncoding != "base64" &&
            entity.transferEncoding != "quoted-printable")
            continue; // the enclosed message is an entity of its own
        checkContentBytes(context, entity);
        if (entity.transferEncoding == "quoted-printable")
            checkQuotedPrintable(context, entity);
        else if (entity.transferEncoding == "base64")
            checkBase64(context, entity);
    }
}
