#pragma once

// Internal to the SQLite store: the deliveries table, written by the writer thread and read by
// any thread's connection.
#include "records/DeliveryRecord.h"

#include <QSqlDatabase>

namespace sqlite_store {
// The writer's statements: insert or replace a delivery (one of a message removed meanwhile is
// dropped), with its message id bound twice; then mark its message with the relay state.
extern const char kInsertDeliverySql[];
extern const char kMarkRelaySql[];
QByteArray packedAttempts(const QList<DeliveryAttempt> &attempts);
// The deliveries that `where` selects (an SQL condition with one bound value), oldest first.
QList<DeliveryRecord> readDeliveries(QSqlDatabase db, const QString &where, const QVariant &value);
} // namespace sqlite_store
