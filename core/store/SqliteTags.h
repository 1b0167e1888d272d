#pragma once

// Internal to the SQLite store: the tag edits its writer runs (in the batch's transaction) and
// the tag counts its readers ask for, over the message_tags table.
#include "store/MessageStore.h"

class QSqlDatabase;

namespace sqlite_store {
// Gives the messages of `ids` that exist these tags, after taking away all they had when
// `replace` is set.
bool writeTags(QSqlDatabase &db, const QList<qint64> &ids, const QStringList &tags, bool replace);
// Both set `changed` to the messages that had the tag.
bool writeTagRename(QSqlDatabase &db, const QString &from, const QString &to,
                    QList<qint64> *changed);
bool writeTagRemoval(QSqlDatabase &db, const QString &name, QList<qint64> *changed);

QList<MessageStore::TagCount> readTagCounts(QSqlDatabase db);
} // namespace sqlite_store
