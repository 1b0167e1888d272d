#include "SqliteQueries.h"

#include "SqliteBlobs.h"

#include "records/TagName.h"

#include <QSqlError>
#include <QVariant>

Q_LOGGING_CATEGORY(lcStore, "smtpeek.store", QtInfoMsg)

QDataStream &operator<<(QDataStream &s, const TranscriptEntry &e)
{
    return s << e.timeMs << quint8(e.direction) << e.bytes;
}
QDataStream &operator>>(QDataStream &s, TranscriptEntry &e)
{
    quint8 direction = 0;
    s >> e.timeMs >> direction >> e.bytes;
    e.direction = TranscriptEntry::Direction(std::min<quint8>(direction, 2));
    return s;
}

namespace sqlite_store {
const char kSummaryColumns[] =
    "id, session_id, received, size, mail_from, rcpt_to, warnings, read, h_from, h_to,"
    " h_subject, h_message_id, h_date, has_attachments, relay,"
    " (SELECT group_concat(tag, char(31)) FROM message_tags WHERE message_id = messages.id)";
const char kSessionColumns[] =
    "id, peer_address, peer_port, local_port, helo, started, ended, tls_protocol, tls_cipher,"
    " auth_user, end_state, warnings, message_count";

bool exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    qCWarning(lcStore) << "query failed:" << query.lastError().text() << query.lastQuery();
    return false;
}

bool exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    query.prepare(sql);
    return exec(query);
}

MessageSummary readSummary(const QSqlQuery &q)
{
    MessageSummary s;
    s.id = q.value(0).toLongLong();
    s.sessionId = q.value(1).toLongLong();
    s.receivedMs = q.value(2).toLongLong();
    s.size = q.value(3).toLongLong();
    s.envelopeFrom = q.value(4).toByteArray();
    s.envelopeTo = unpack<QList<QByteArray>>(q.value(5));
    s.warningCount = int(unpack<QStringList>(q.value(6)).size());
    s.read = q.value(7).toBool();
    s.headline.from = q.value(8).toString();
    s.headline.to = q.value(9).toString();
    s.headline.subject = q.value(10).toString();
    s.headline.messageId = q.value(11).toString();
    s.headline.dateMs = q.value(12).toLongLong();
    s.headline.hasAttachments = q.value(13).toBool();
    s.relay = RelayMark(std::min(q.value(14).toInt(), int(RelayMark::Failed)));
    s.tags = storedTags(q.value(15));
    return s;
}

QStringList storedTags(const QVariant &joined)
{
    const QString text = joined.toString();
    return text.isEmpty() ? QStringList() : tag_name::ordered(text.split(QChar(kTagSeparator)));
}

SessionRecord readSession(const QSqlQuery &q)
{
    SessionRecord s;
    s.id = q.value(0).toLongLong();
    s.peerAddress = q.value(1).toString();
    s.peerPort = quint16(q.value(2).toUInt());
    s.localPort = quint16(q.value(3).toUInt());
    s.helo = q.value(4).toByteArray();
    s.startedMs = q.value(5).toLongLong();
    s.endedMs = q.value(6).toLongLong();
    s.tls = TlsInfo{q.value(7).toString(), q.value(8).toString()};
    s.authUser = q.value(9).toString();
    s.end = sessionEndFromName(q.value(10).toString());
    s.warnings = unpack<QStringList>(q.value(11));
    s.messageCount = q.value(12).toInt();
    return s;
}

QString orderSql(MessageStore::Order order)
{
    return order == MessageStore::Order::OldestFirst ? QStringLiteral("ASC")
                                                     : QStringLiteral("DESC");
}

QString idList(const QList<qint64> &ids)
{
    QStringList parts;
    parts.reserve(ids.size());
    for (qint64 id : ids)
        parts.append(QString::number(id));
    return parts.join(QLatin1Char(','));
}

qint64 scalar(QSqlDatabase db, const QString &sql)
{
    QSqlQuery query(db);
    query.prepare(sql);
    if (!exec(query) || !query.next())
        return 0;
    return query.value(0).toLongLong();
}

void bindAll(QSqlQuery &q, const QVariantList &values)
{
    for (qsizetype i = 0; i < values.size(); ++i)
        q.bindValue(int(i), values.at(i));
}
} // namespace sqlite_store
