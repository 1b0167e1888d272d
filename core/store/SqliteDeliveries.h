#pragma once

// Internal to the SQLite store: the deliveries table, written by the writer thread and read by
// any thread's connection.
#include "records/DeliveryRecord.h"

#include <QSqlDatabase>

namespace sqlite_store {
// Inserts or replaces the delivery and marks its message; a delivery of a message removed
// meanwhile is dropped (true: nothing failed).
bool writeDelivery(QSqlDatabase &db, const DeliveryRecord &delivery);
// The deliveries that `where` selects (an SQL condition with one bound value), oldest first.
QList<DeliveryRecord> readDeliveries(QSqlDatabase db, const QString &where, const QVariant &value);
} // namespace sqlite_store
