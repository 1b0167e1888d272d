#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

class QSqlDatabase;
class SqliteStatement;
struct MessageRecord;

// What searches in the SQLite store read: the table message_search holds, for every message,
// its read and attachment flags and the text MessageQuery matches (subject, From and To
// headers, envelope sender and recipients), case-folded as Qt folds case. An exact substring
// test on folded text (instr) then answers what QString::contains(…, Qt::CaseInsensitive)
// answers in MessageQuery::matches; SQLite's LIKE folds ASCII letters only. The folding runs in
// C++. The store's writer adds each new message's row beside the message (addSearchRow);
// triggers on `messages` keep it in step with every read flag and deletion. An insert trigger
// made SQLite journal every page each insert touched, in case the trigger failed halfway
// (SqliteStore::commitBatch).

// Case folding as MessageQuery compares text: Qt's simple case folding, one code point each.
QString foldedForSearch(const QString &text);

// The envelope recipients as one folded text, joined by blanks as MessageQuery joins them.
QString foldedRecipients(const QList<QByteArray> &rcptTo);

// Adds the SQL functions that fill the table from `messages` (searchTableRefill) to an open
// SQLite connection. False when the connection is not a SQLite one.
bool addSearchFunctions(const QSqlDatabase &db);

// The table and its triggers, created if missing.
QStringList searchTableSchema();

// The INSERT that addSearchRow() runs, to be prepared once.
QString searchRowInsertSql();
// Adds the search row of a message that is being inserted into `messages`.
bool addSearchRow(SqliteStatement &insert, const MessageRecord &message);

// Fills the table anew from `messages`, for files written before it existed.
QStringList searchTableRefill();
