#pragma once

// Writing messages and parts to disk. Message files hold exactly the bytes the client sent.
// Every function either writes everything it was asked to or leaves nothing behind, and
// explains a failure in `error`. The store functions read raw bytes one message at a time, so
// they belong in a worker thread.

#include "mime/DecodedMessage.h"

#include <QList>
#include <QString>

class MessageStore;

// Writes `bytes` to `path` through a temporary file, so a failure leaves no partial file.
bool saveBytes(const QString &path, const QByteArray &bytes, QString *error);

// A safe file name for a message: its subject (or "message-<id>") plus ".eml".
QString emlFileName(const QString &subject, qint64 id);

// One mbox ("mboxrd") entry: a From_ line from the envelope sender and time, the message with
// lines starting with ">*From " quoted by one more '>', and a blank line.
QByteArray mboxEntry(const QByteArray &raw, const QByteArray &envelopeFrom, qint64 receivedMs);

// Each message as <subject>.eml in `folder` (names made unique against the folder's files).
// Returns the number written (all of them) or -1.
int exportToFolder(const MessageStore *store, const QList<qint64> &ids, const QString &folder,
                   QString *error);
// All messages, oldest first as given, into one mbox file.
bool exportToMbox(const MessageStore *store, const QList<qint64> &ids, const QString &path,
                  QString *error);

// Every attachment of the message into `folder` under its sanitised name. Returns the number
// written or -1.
int saveAttachments(const QByteArray &raw, const DecodedMessage &message, const QString &folder,
                    QString *error);
