#include "MessageExport.h"

#include "mime/ExportFileName.h"
#include "store/MessageStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QLocale>
#include <QSaveFile>

namespace {
// Names already in `folder` count as taken, so an export never overwrites a file.
ExportFileNameSet namesTakenIn(const QString &folder)
{
    ExportFileNameSet names;
    const QStringList existing =
        QDir(folder).entryList(QDir::Files | QDir::Dirs | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QString &name : existing)
        names.add(name, QString());
    return names;
}

bool checkFolder(const QString &folder, QString *error)
{
    const QDir dir(folder);
    if (!dir.exists()) {
        *error = QObject::tr("The folder %1 does not exist.").arg(folder);
        return false;
    }
    return true;
}

// Writes files one by one; on the first failure removes the ones written before it.
class AllOrNothingWriter
{
public:
    bool write(const QString &path, const QByteArray &bytes, QString *error)
    {
        if (!saveBytes(path, bytes, error)) {
            for (const QString &written : std::as_const(m_written))
                QFile::remove(written);
            m_written.clear();
            return false;
        }
        m_written.append(path);
        return true;
    }
    int count() const { return int(m_written.size()); }

private:
    QStringList m_written;
};
} // namespace

bool saveBytes(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        file.cancelWriting();
        return false;
    }
    return true;
}

QString emlFileName(const QString &subject, qint64 id)
{
    const QString base =
        subject.trimmed().isEmpty() ? QStringLiteral("message-%1").arg(id) : subject.trimmed();
    return safeExportFileName(base + QStringLiteral(".eml"), QStringLiteral("message/rfc822"));
}

QByteArray mboxEntry(const QByteArray &raw, const QByteArray &envelopeFrom, qint64 receivedMs)
{
    const QByteArray sender = envelopeFrom.isEmpty() ? QByteArray("MAILER-DAEMON") : envelopeFrom;
    // The From_ line's date is asctime() format, in English whatever the locale.
    const QByteArray date = QLocale::c()
                                .toString(QDateTime::fromMSecsSinceEpoch(receivedMs).toUTC(),
                                          QStringLiteral("ddd MMM d HH:mm:ss yyyy"))
                                .toLatin1();
    QByteArray out = "From " + sender + ' ' + date + '\n';
    out.reserve(out.size() + raw.size() + raw.size() / 1000 + 2);
    qsizetype start = 0;
    while (start < raw.size()) {
        qsizetype end = raw.indexOf('\n', start);
        end = end < 0 ? raw.size() : end + 1;
        const QByteArrayView line(raw.constData() + start, end - start);
        qsizetype quotes = 0;
        while (quotes < line.size() && line[quotes] == '>')
            ++quotes;
        if (line.sliced(quotes).startsWith("From "))
            out += '>';
        out += line;
        start = end;
    }
    if (!out.endsWith('\n'))
        out += "\r\n";
    out += '\n';
    return out;
}

int exportToFolder(const MessageStore *store, const QList<qint64> &ids, const QString &folder,
                   QString *error)
{
    if (!checkFolder(folder, error))
        return -1;
    ExportFileNameSet names = namesTakenIn(folder);
    AllOrNothingWriter writer;
    for (qint64 id : ids) {
        const std::optional<MessageRecord> message = store->message(id);
        if (!message)
            continue; // deleted meanwhile
        const QString name =
            names.add(emlFileName(message->headline.subject, id), QStringLiteral("message/rfc822"));
        if (!writer.write(QDir(folder).filePath(name), message->raw, error))
            return -1;
    }
    return writer.count();
}

bool exportToMbox(const MessageStore *store, const QList<qint64> &ids, const QString &path,
                  QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    for (qint64 id : ids) {
        const std::optional<MessageRecord> message = store->message(id);
        if (!message)
            continue;
        const QByteArray entry =
            mboxEntry(message->raw, message->envelope.mailFrom, message->receivedMs);
        if (file.write(entry) != entry.size()) {
            *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
            file.cancelWriting();
            return false;
        }
    }
    if (!file.commit()) {
        *error = QObject::tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

int saveAttachments(const QByteArray &raw, const DecodedMessage &message, const QString &folder,
                    QString *error)
{
    if (!checkFolder(folder, error))
        return -1;
    ExportFileNameSet names = namesTakenIn(folder);
    AllOrNothingWriter writer;
    for (const MimePart &part : message.parts) {
        if (!part.isAttachment || part.isMultipart())
            continue;
        const QString name = names.add(part.fileName, part.contentType, part.path);
        if (!writer.write(QDir(folder).filePath(name), decodePartContent(raw, part.path), error))
            return -1;
    }
    return writer.count();
}
