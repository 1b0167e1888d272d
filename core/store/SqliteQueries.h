#pragma once

// Internal to the SQLite store: what its writer (SqliteStore.cpp) and its read queries
// (SqliteStoreReads.cpp) share.
#include "records/Records.h"
#include "store/MessageStore.h"

#include <QDataStream>
#include <QLoggingCategory>
#include <QSqlQuery>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

// Transcripts are stored as one blob per session; ADL finds these for QList<TranscriptEntry>.
QDataStream &operator<<(QDataStream &s, const TranscriptEntry &e);
QDataStream &operator>>(QDataStream &s, TranscriptEntry &e);

namespace sqlite_store {
// A message's tags are read as one column, joined by the unit separator (char(31)), which no
// tag name holds: TagName.h refuses control characters.
constexpr char16_t kTagSeparator = 0x1f;

// The columns readSummary() and readSession() read, in their order.
extern const char kSummaryColumns[];
extern const char kSessionColumns[];

// Runs a query, logging a failure.
bool exec(QSqlQuery &query);
bool exec(QSqlDatabase &db, const QString &sql);
MessageSummary readSummary(const QSqlQuery &q);
SessionRecord readSession(const QSqlQuery &q);
// That column, as a message's tags.
QStringList storedTags(const QVariant &joined);
QString orderSql(MessageStore::Order order);
QString idList(const QList<qint64> &ids);
qint64 scalar(QSqlDatabase db, const QString &sql);
// Binds a query's values by position.
void bindAll(QSqlQuery &q, const QVariantList &values);

// Runs a prepared query and reads each of its rows with `read`.
template <typename Row> QList<Row> rows(QSqlQuery &q, Row (*read)(const QSqlQuery &))
{
    QList<Row> result;
    if (!exec(q))
        return result;
    while (q.next())
        result.append(read(q));
    return result;
}
} // namespace sqlite_store
