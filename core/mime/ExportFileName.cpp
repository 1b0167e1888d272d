#include "ExportFileName.h"

#include <QMimeDatabase>
#include <QRegularExpression>

namespace {

bool isUnsafeCharacter(char32_t c)
{
    static const QString reserved = QStringLiteral("/\\:*?\"<>|");
    const QChar::Category category = QChar::category(c);
    return c < 0x20 || (c < 0x80 && reserved.contains(QChar(c))) ||
           category == QChar::Other_Control || category == QChar::Other_Format ||
           category == QChar::Other_Surrogate || category == QChar::Other_NotAssigned ||
           category == QChar::Separator_Line || category == QChar::Separator_Paragraph;
}

// Windows refuses these as a file's base name, whatever the extension ("nul.txt" too).
bool isWindowsDeviceName(const QString &name)
{
    static const QRegularExpression device(
        QStringLiteral("^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\\$|conout\\$)$"),
        QRegularExpression::CaseInsensitiveOption);
    const QString base = name.section(QLatin1Char('.'), 0, 0).trimmed();
    return device.match(base).hasMatch();
}

QString extensionFor(const QString &mimeType)
{
    const QMimeType type = QMimeDatabase().mimeTypeForName(mimeType);
    const QString suffix = type.isValid() ? type.preferredSuffix() : QString();
    return suffix.isEmpty() ? QStringLiteral("bin") : suffix;
}

// Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character.
QString truncatedUtf8(const QString &text, int maxBytes)
{
    int bytes = 0;
    qsizetype end = 0;
    while (end < text.size()) {
        const bool pair = text.at(end).isHighSurrogate() && end + 1 < text.size();
        const ushort unit = text.at(end).unicode();
        const int width = pair ? 4 : unit < 0x80 ? 1 : unit < 0x800 ? 2 : 3;
        if (bytes + width > maxBytes)
            break;
        bytes += width;
        end += pair ? 2 : 1;
    }
    return text.left(end);
}

QString limitedLength(const QString &name)
{
    if (name.toUtf8().size() <= kMaxExportFileNameBytes)
        return name;
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    // An "extension" of 16 characters or more is part of the name, not a type.
    const QString extension = dot > 0 && name.size() - dot <= 16 ? name.mid(dot) : QString();
    const QString stem = name.left(name.size() - extension.size());
    const int stemBytes = kMaxExportFileNameBytes - int(extension.toUtf8().size());
    return truncatedUtf8(stem, stemBytes).trimmed() + extension;
}

QString withoutEdgeDotsAndSpaces(QString name)
{
    qsizetype start = 0;
    while (start < name.size() && (name.at(start) == QLatin1Char('.') || name.at(start).isSpace()))
        ++start;
    qsizetype end = name.size();
    while (end > start && (name.at(end - 1) == QLatin1Char('.') || name.at(end - 1).isSpace()))
        --end;
    return name.mid(start, end - start);
}

} // namespace

QString safeExportFileName(const QString &proposed, const QString &mimeType,
                           const QString &partPath)
{
    // By code point, so an emoji (a surrogate pair) stays whole; a lone surrogate becomes U+FFFD.
    QList<uint> codePoints = proposed.normalized(QString::NormalizationForm_C).toUcs4();
    for (uint &c : codePoints) {
        if (isUnsafeCharacter(c))
            c = '_';
    }
    QString name = withoutEdgeDotsAndSpaces(QString::fromUcs4(
        reinterpret_cast<const char32_t *>(codePoints.constData()), codePoints.size()));
    if (name.isEmpty() || name.count(QLatin1Char('_')) == name.size()) {
        const QString stem =
            partPath.isEmpty() ? QStringLiteral("attachment") : QStringLiteral("part-") + partPath;
        return stem + QLatin1Char('.') + extensionFor(mimeType);
    }
    if (isWindowsDeviceName(name))
        name.prepend(QLatin1Char('_'));
    return withoutEdgeDotsAndSpaces(limitedLength(name));
}

QString ExportFileNameSet::add(const QString &proposed, const QString &mimeType,
                               const QString &partPath)
{
    const QString safe = safeExportFileName(proposed, mimeType, partPath);
    QString candidate = safe;
    const qsizetype dot = safe.lastIndexOf(QLatin1Char('.'));
    const QString extension = dot > 0 ? safe.mid(dot) : QString();
    const QString stem = safe.left(safe.size() - extension.size());
    for (int n = 2; m_taken.contains(candidate.toLower()); ++n) {
        const QString tail = QStringLiteral(" (%1)").arg(n) + extension;
        candidate = truncatedUtf8(stem, kMaxExportFileNameBytes - int(tail.toUtf8().size())) + tail;
    }
    m_taken.insert(candidate.toLower());
    return candidate;
}
