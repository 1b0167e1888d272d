#pragma once

#include <QString>
#include <QStringList>

class QSqlDatabase;

// What searches in the SQLite store read: the table message_search holds, for every message,
// its read and attachment flags and the text MessageQuery matches (subject, From and To
// headers, envelope sender and recipients), case-folded as Qt folds case. An exact substring
// test on folded text (instr) then answers what QString::contains(…, Qt::CaseInsensitive)
// answers in MessageQuery::matches; SQLite's LIKE folds ASCII letters only. The folding runs in
// C++ (SQL functions added to each connection), and triggers on `messages` keep the table in
// step with every insert, read flag and deletion, so the store's writer takes no part in it.

// Case folding as MessageQuery compares text: Qt's simple case folding, one code point each.
QString foldedForSearch(const QString &text);

// Adds the SQL functions that the triggers call to an open SQLite connection. Every connection
// that writes messages needs them. False when the connection is not a SQLite one.
bool addSearchFunctions(const QSqlDatabase &db);

// The table and its triggers, created if missing.
QStringList searchTableSchema();

// Fills the table anew from `messages`, for files written before it existed.
QStringList searchTableRefill();
