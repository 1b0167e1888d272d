#include "MailSources.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace {
// A From_ line: "From SENDER DATE"; the sender as MAIL FROM ("MAILER-DAEMON": the null one).
QByteArray senderOf(QByteArrayView fromLine)
{
    const QByteArray line = fromLine.sliced(5).trimmed().toByteArray();
    const QByteArray sender = line.left(line.indexOf(' '));
    return sender == "MAILER-DAEMON" ? QByteArray() : sender;
}

bool isBlank(QByteArrayView line)
{
    return line == "\n" || line == "\r\n";
}

// ">From " with one or more '>' loses one.
QByteArrayView unquoted(QByteArrayView line)
{
    qsizetype quotes = 0;
    while (quotes < line.size() && line[quotes] == '>')
        ++quotes;
    return quotes > 0 && line.sliced(quotes).startsWith("From ") ? line.sliced(1) : line;
}

bool isMaildir(const QDir &dir)
{
    return dir.exists(QStringLiteral("cur")) && dir.exists(QStringLiteral("new"));
}

void walk(const QString &path, QStringList *files, QList<SkippedInput> *skipped)
{
    const QFileInfo info(path);
    if (info.isFile()) {
        files->append(path);
        return;
    }
    if (!info.isDir()) {
        skipped->append({path, QStringLiteral("no such file or folder")});
        return;
    }
    const QDir dir(path);
    const QDir::Filters entries = QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot;
    if (isMaildir(dir)) {
        // A Maildir's messages are the files of new/ and cur/; tmp/ holds unfinished ones.
        for (const QString &sub : {QStringLiteral("new"), QStringLiteral("cur")}) {
            for (const QString &name : QDir(dir.filePath(sub)).entryList(QDir::Files, QDir::Name))
                files->append(dir.filePath(sub + u'/' + name));
        }
        // Maildir++ folders (".Sent") are Maildirs of their own.
        for (const QString &name : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::Hidden,
                                                 QDir::Name)) {
            if (name.startsWith(u'.') && isMaildir(QDir(dir.filePath(name))))
                walk(dir.filePath(name), files, skipped);
        }
        return;
    }
    for (const QString &name : dir.entryList(entries, QDir::Name))
        walk(dir.filePath(name), files, skipped);
}
} // namespace

QList<FoundMessage> splitMbox(const QByteArray &bytes, const QString &origin)
{
    QList<FoundMessage> entries;
    QByteArray body;
    QByteArray sender;
    bool inEntry = false;
    bool afterBlank = true; // the file's start counts as after an empty line
    const auto close = [&] {
        if (!inEntry)
            return;
        // The empty line that ends the entry ("\n", or "\r\n" in a file of CRLF lines).
        if (body.endsWith("\n\r\n"))
            body.chop(2);
        else if (body.endsWith("\n\n"))
            body.chop(1);
        entries.append({QStringLiteral("%1#%2").arg(origin).arg(entries.size() + 1), body, sender});
        body.clear();
    };
    qsizetype start = 0;
    while (start < bytes.size()) {
        qsizetype end = bytes.indexOf('\n', start);
        end = end < 0 ? bytes.size() : end + 1;
        const QByteArrayView line(bytes.constData() + start, end - start);
        if (afterBlank && line.startsWith("From ")) {
            close();
            inEntry = true;
            sender = senderOf(line);
        } else if (inEntry) {
            body += unquoted(line);
        }
        afterBlank = isBlank(line);
        start = end;
    }
    close();
    return entries;
}

QString messageProblem(const QByteArray &raw)
{
    if (raw.trimmed().isEmpty())
        return QStringLiteral("empty");
    const qsizetype colon = raw.indexOf(':');
    const qsizetype lineEnd = raw.indexOf('\n');
    if (colon <= 0 || (lineEnd >= 0 && colon > lineEnd) || raw.left(colon).contains(' '))
        return QStringLiteral("not a message: the first line is no header field");
    if (!raw.contains("\n\n") && !raw.contains("\n\r\n"))
        return QStringLiteral("no empty line after the header (a truncated file?)");
    return {};
}

QStringList inputFiles(const QStringList &paths, QList<SkippedInput> *skipped)
{
    QStringList files;
    for (const QString &path : paths)
        walk(path, &files, skipped);
    return files;
}

void readInputFile(const QString &file, const std::function<void(const FoundMessage &)> &found,
                   const std::function<void(const SkippedInput &)> &skipped)
{
    QFile input(file);
    if (!input.open(QIODevice::ReadOnly))
        return skipped({file, input.errorString()});
    const QByteArray bytes = input.readAll();
    const bool mbox = bytes.startsWith("From ");
    const QList<FoundMessage> messages =
        mbox ? splitMbox(bytes, file) : QList<FoundMessage>{{file, bytes, {}}};
    for (const FoundMessage &message : messages) {
        const QString problem = messageProblem(message.raw);
        if (problem.isEmpty())
            found(message);
        else
            skipped({message.origin, problem});
    }
}
