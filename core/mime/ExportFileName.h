#pragma once

// File names for exported parts. A sender chooses attachment names, so they are hostile input:
// they must not leave the chosen folder, hide their real extension, or be unopenable on
// Windows, macOS or Linux.

#include <QSet>
#include <QString>

// Longest name produced, in UTF-8 bytes (most file systems allow 255; this leaves room for
// a " (n)" suffix and for tools that add their own).
constexpr int kMaxExportFileNameBytes = 200;

// `proposed` made safe: path separators, control, format (bidi override) and Windows-reserved
// characters become "_"; leading dots and spaces and trailing dots and spaces go; Windows device
// names (CON, NUL, COM1, ...) get a "_" prefix; the result is length-limited keeping the
// extension. An empty result is derived from the part: "part-<path>.<ext>", or
// "attachment.<ext>" without a path, the extension from `mimeType`.
QString safeExportFileName(const QString &proposed, const QString &mimeType,
                           const QString &partPath = QString());

// Safe names that stay distinct within one export: the second "report.pdf" becomes
// "report (2).pdf". Comparison ignores case, as Windows and macOS file systems do.
class ExportFileNameSet
{
public:
    QString add(const QString &proposed, const QString &mimeType,
                const QString &partPath = QString());

private:
    QSet<QString> m_taken; // lower-case
};
