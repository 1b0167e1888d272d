#include "KeyRecordSource.h"

#include <QFile>

#include <optional>

namespace {
QString normalName(QByteArrayView name)
{
    QString text = QString::fromUtf8(name).toLower();
    if (text.endsWith(u'.'))
        text.chop(1);
    return text;
}

// "\"v=DKIM1; \" \"p=...\"" -> "v=DKIM1; p=..."; anything else is taken as it is.
std::optional<QByteArray> recordText(QByteArrayView text)
{
    if (!text.startsWith('"'))
        return text.toByteArray();
    QByteArray joined;
    qsizetype i = 0;
    while (i < text.size()) {
        if (text[i] == ' ' || text[i] == '\t') {
            ++i;
            continue;
        }
        if (text[i] != '"')
            return std::nullopt;
        const qsizetype close = text.indexOf('"', i + 1);
        if (close < 0)
            return std::nullopt;
        joined += text.sliced(i + 1, close - i - 1);
        i = close + 1;
    }
    return joined;
}
} // namespace

KeysFile parseKeysFile(QByteArrayView text)
{
    KeysFile file;
    int number = 0;
    for (const QByteArray &rawLine : text.toByteArray().split('\n')) {
        ++number;
        const QByteArray line = rawLine.trimmed();
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        qsizetype blank = 0;
        while (blank < line.size() && line[blank] != ' ' && line[blank] != '\t')
            ++blank;
        const std::optional<QByteArray> record =
            recordText(QByteArrayView(line).sliced(blank).trimmed());
        if (blank == line.size() || !record) {
            file.problems.append(QStringLiteral("line %1: expected 'selector._domainkey.domain "
                                                "record'")
                                     .arg(number));
            continue;
        }
        file.records[normalName(QByteArrayView(line).first(blank))].append(*record);
    }
    return file;
}

QHash<QString, KeyRecordAnswer> KeyFileSource::lookUp(const QStringList &names, int) const
{
    QHash<QString, KeyRecordAnswer> answers;
    QFile file(m_path);
    const bool readable = file.open(QIODevice::ReadOnly);
    const KeysFile keys = parseKeysFile(readable ? file.readAll() : QByteArray());
    for (const QString &name : names) {
        KeyRecordAnswer &answer = answers[name];
        if (!readable) {
            answer.error =
                QStringLiteral("cannot read the keys file %1: %2").arg(m_path, file.errorString());
            continue;
        }
        answer.records = keys.records.value(normalName(name.toUtf8()));
        answer.status = answer.records.isEmpty() ? KeyRecordAnswer::Status::NotFound
                                                 : KeyRecordAnswer::Status::Found;
        if (answer.records.isEmpty())
            answer.error = QStringLiteral("%1 is not in the keys file %2").arg(name, m_path);
    }
    return answers;
}
