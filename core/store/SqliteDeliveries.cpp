#include "SqliteDeliveries.h"

#include "SqliteBlobs.h"
#include "SqliteQueries.h"

#include <QSqlQuery>

// Attempts are kept as one blob per delivery, as transcripts are per session. In the global
// namespace, where QList's stream operators find them (ADL), and static, as they are private.
static QDataStream &operator<<(QDataStream &s, const RecipientOutcome &r)
{
    return s << r.address << qint32(r.code) << r.reply;
}
static QDataStream &operator>>(QDataStream &s, RecipientOutcome &r)
{
    qint32 code = 0;
    s >> r.address >> code >> r.reply;
    r.code = code;
    return s;
}
static QDataStream &operator<<(QDataStream &s, const DeliveryAttempt &a)
{
    return s << a.startedMs << a.endedMs << a.upstream << a.tls.protocol << a.tls.cipher
             << a.insecure << a.authUser << a.recipients << attemptResultName(a.result) << a.reason
             << a.transcript;
}
static QDataStream &operator>>(QDataStream &s, DeliveryAttempt &a)
{
    QString result;
    s >> a.startedMs >> a.endedMs >> a.upstream >> a.tls.protocol >> a.tls.cipher >> a.insecure >>
        a.authUser >> a.recipients >> result >> a.reason >> a.transcript;
    a.result = attemptResultFromName(result);
    return s;
}

namespace {
DeliveryRecord readDelivery(const QSqlQuery &q)
{
    DeliveryRecord d;
    d.id = q.value(0).toLongLong();
    d.messageId = q.value(1).toLongLong();
    d.createdMs = q.value(2).toLongLong();
    d.kind = deliveryKindFromName(q.value(3).toString());
    d.status = deliveryStatusFromName(q.value(4).toString());
    d.mailFrom = q.value(5).toByteArray();
    d.recipients = unpack<QList<QByteArray>>(q.value(6));
    d.nextAttemptMs = q.value(7).toLongLong();
    d.attempts = unpack<QList<DeliveryAttempt>>(q.value(8));
    return d;
}
} // namespace

namespace sqlite_store {
const char kInsertDeliverySql[] =
    "INSERT OR REPLACE INTO deliveries (id, message_id, created, kind, status, mail_from,"
    " recipients, next_attempt, attempts) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?"
    " WHERE EXISTS (SELECT 1 FROM messages WHERE id = ?)";
const char kMarkRelaySql[] = "UPDATE messages SET relay = ? WHERE id = ?";

QByteArray packedAttempts(const QList<DeliveryAttempt> &attempts)
{
    return pack(attempts);
}

QList<DeliveryRecord> readDeliveries(QSqlDatabase db, const QString &where, const QVariant &value)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT id, message_id, created, kind, status, mail_from, recipients,"
                             " next_attempt, attempts FROM deliveries WHERE %1 ORDER BY id")
                  .arg(where));
    q.addBindValue(value);
    return rows(q, readDelivery);
}
} // namespace sqlite_store
