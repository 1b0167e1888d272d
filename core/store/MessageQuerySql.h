#pragma once

#include "store/MessageQuery.h"

#include <QString>
#include <QVariantList>

// A MessageQuery as an SQL condition on the SQLite store's message_search table (see
// SqliteSearchTable.h), with its values to bind in order. It follows MessageQuery::matches,
// which stays the rule: the same fields per term, every term required, negation, the flags.
struct MessageQuerySql
{
    QString condition; // "1" when the query matches every message
    QVariantList values;

    static MessageQuerySql of(const MessageQuery &query);
};
