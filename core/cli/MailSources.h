#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>

// The messages that `smtpeek ingest` finds in files and folders: .eml files, mbox files
// (mboxrd and mboxo: the inverse of MessageExport's mboxEntry), Maildir folders (cur/ and
// new/) and folders of any of these, walked in name order.
struct FoundMessage
{
    QString origin;          // the file, and for an mbox the entry's number: "a.mbox#3"
    QByteArray raw;          // byte for byte as the file holds it
    QByteArray envelopeFrom; // from an mbox From_ line; empty otherwise
};

struct SkippedInput
{
    QString origin;
    QString reason;
};

// Pure: the entries of an mbox file. A "From " line starts an entry at the file's start or
// after an empty line (elsewhere it is body text); one '>' is taken off ">From ", ">>From "...
// lines, and the empty line that ends each entry is not part of its message.
QList<FoundMessage> splitMbox(const QByteArray &bytes, const QString &origin);

// Why `raw` is not a message smtpeek can take (empty, no header, no blank line after the
// header: a truncated file); empty when it is one.
QString messageProblem(const QByteArray &raw);

// Every file below `paths`, in the order they will be read: for counting and progress.
QStringList inputFiles(const QStringList &paths, QList<SkippedInput> *skipped);

// Reads one file: its messages, or why it was skipped.
void readInputFile(const QString &file, const std::function<void(const FoundMessage &)> &found,
                   const std::function<void(const SkippedInput &)> &skipped);
