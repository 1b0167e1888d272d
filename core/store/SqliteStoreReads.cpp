// The SQLite store's read queries: each on the calling thread's own connection, which WAL lets
// read while the writer writes.
#include "SqliteStore.h"

#include "MessageQuerySql.h"
#include "SqliteBlobs.h"
#include "SqliteDeliveries.h"
#include "SqliteQueries.h"
#include "SqliteTags.h"
#include "records/TagName.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <limits>

using namespace sqlite_store;

qint64 SqliteStore::messageCount() const
{
    return scalar(connection(), QStringLiteral("SELECT total FROM message_counts"));
}

qint64 SqliteStore::unreadCount() const
{
    return scalar(connection(), QStringLiteral("SELECT unread FROM message_counts"));
}

QList<MessageSummary> SqliteStore::messages(qint64 offset, qint64 limit, Order order) const
{
    // Keyset paging: the page runs from the id at `offset`, found on messages_by_id.
    const bool newestFirst = order == Order::NewestFirst;
    QSqlQuery q(connection());
    q.prepare(QStringLiteral("SELECT %1 FROM messages WHERE id %2 (SELECT id FROM messages"
                             " INDEXED BY messages_by_id ORDER BY id %3 LIMIT 1 OFFSET ?)"
                             " ORDER BY id %3 LIMIT ?")
                  .arg(QLatin1String(kSummaryColumns), QLatin1String(newestFirst ? "<=" : ">="),
                       orderSql(order)));
    q.addBindValue(offset);
    q.addBindValue(limit);
    return rows(q, readSummary);
}

MessageStore::SearchPage SqliteStore::search(const MessageQuery &query, qint64 offset,
                                             qint64 limit) const
{
    // One scan of message_search answers the page and its counts: the matches are stepped
    // through, newest first, until the page is complete, and those left are counted in SQL.
    // One read transaction keeps the statements on the same messages.
    offset = std::max<qint64>(offset, 0);
    limit = std::max<qint64>(limit, 0);
    const qint64 pageEnd = limit > std::numeric_limits<qint64>::max() - offset
                               ? std::numeric_limits<qint64>::max()
                               : offset + limit;
    const MessageQuerySql sql = MessageQuerySql::of(query);
    QSqlDatabase db = connection();
    db.transaction();
    SearchPage result;
    QList<qint64> pageIds;
    qint64 remainingBelow = std::numeric_limits<qint64>::max(); // ids not stepped through
    QSqlQuery matches(db);
    matches.setForwardOnly(true);
    matches.prepare(QStringLiteral("SELECT id, read FROM message_search WHERE %1 ORDER BY id DESC")
                        .arg(sql.condition));
    bindAll(matches, sql.values);
    if (exec(matches)) {
        while (result.matching < pageEnd && matches.next()) {
            remainingBelow = matches.value(0).toLongLong();
            if (result.matching++ >= offset)
                pageIds.append(remainingBelow);
            result.matchingUnread += matches.value(1).toLongLong() == 0;
        }
        matches.finish();
        if (result.matching == pageEnd) {
            QSqlQuery remaining(db);
            remaining.prepare(QStringLiteral("SELECT COUNT(*), COUNT(*) FILTER (WHERE read = 0)"
                                             " FROM message_search WHERE (%1) AND id < ?")
                                  .arg(sql.condition));
            bindAll(remaining, sql.values + QVariantList{remainingBelow});
            if (exec(remaining) && remaining.next()) {
                result.matching += remaining.value(0).toLongLong();
                result.matchingUnread += remaining.value(1).toLongLong();
            }
        }
    }
    QSqlQuery counts(db);
    counts.prepare(QStringLiteral("SELECT total, unread FROM message_counts"));
    if (exec(counts) && counts.next()) {
        result.total = counts.value(0).toLongLong();
        result.unread = counts.value(1).toLongLong();
    }
    if (!pageIds.isEmpty()) {
        QSqlQuery page(db);
        page.prepare(QStringLiteral("SELECT %1 FROM messages WHERE id IN (%2) ORDER BY id DESC")
                         .arg(QLatin1String(kSummaryColumns), idList(pageIds)));
        result.messages = rows(page, readSummary);
    }
    db.commit();
    return result;
}

QList<qint64> SqliteStore::matchingIds(const MessageQuery &query, qint64 limit) const
{
    const MessageQuerySql sql = MessageQuerySql::of(query);
    QSqlQuery q(connection());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT id FROM message_search WHERE %1 ORDER BY id DESC LIMIT ?")
                  .arg(sql.condition));
    bindAll(q, sql.values + QVariantList{limit});
    QList<qint64> ids;
    if (exec(q)) {
        while (q.next())
            ids.append(q.value(0).toLongLong());
    }
    return ids;
}

std::optional<MessageRecord> SqliteStore::message(qint64 id) const
{
    QSqlQuery q(connection());
    q.prepare(QStringLiteral(
        "SELECT m.session_id, m.received, m.mail_from, m.rcpt_to, m.body, m.smtputf8,"
        " m.declared_size, m.auth_param, m.helo, m.peer_address, m.peer_port, m.tls_protocol,"
        " m.tls_cipher, m.auth_user, m.warnings, m.transcript_first, m.transcript_last,"
        " m.h_from, m.h_to, m.h_subject, m.h_message_id, m.h_date, m.has_attachments, m.read,"
        " r.raw, m.relay,"
        " (SELECT group_concat(tag, char(31)) FROM message_tags WHERE message_id = m.id)"
        " FROM messages m JOIN message_raw r ON r.id = m.id WHERE m.id = ?"));
    q.addBindValue(id);
    if (!exec(q) || !q.next())
        return std::nullopt;
    MessageRecord m;
    m.id = id;
    m.sessionId = q.value(0).toLongLong();
    m.receivedMs = q.value(1).toLongLong();
    m.envelope.mailFrom = q.value(2).toByteArray();
    m.envelope.rcptTo = unpack<QList<QByteArray>>(q.value(3));
    m.envelope.body = envelopeBodyFromName(q.value(4).toString());
    m.envelope.smtpUtf8 = q.value(5).toBool();
    m.envelope.declaredSize = q.value(6).toLongLong();
    m.envelope.authParameter = q.value(7).toByteArray();
    m.helo = q.value(8).toByteArray();
    m.peerAddress = q.value(9).toString();
    m.peerPort = quint16(q.value(10).toUInt());
    m.tls = TlsInfo{q.value(11).toString(), q.value(12).toString()};
    m.authUser = q.value(13).toString();
    m.warnings = unpack<QStringList>(q.value(14));
    m.transcriptFirst = q.value(15).toInt();
    m.transcriptLast = q.value(16).toInt();
    m.headline.from = q.value(17).toString();
    m.headline.to = q.value(18).toString();
    m.headline.subject = q.value(19).toString();
    m.headline.messageId = q.value(20).toString();
    m.headline.dateMs = q.value(21).toLongLong();
    m.headline.hasAttachments = q.value(22).toBool();
    m.read = q.value(23).toBool();
    m.raw = q.value(24).toByteArray();
    m.relay = RelayMark(std::min(q.value(25).toInt(), int(RelayMark::Failed)));
    m.tags = storedTags(q.value(26));
    return m;
}

std::optional<QByteArray> SqliteStore::raw(qint64 id) const
{
    QSqlQuery q(connection());
    q.prepare(QStringLiteral("SELECT raw FROM message_raw WHERE id = ?"));
    q.addBindValue(id);
    if (!exec(q) || !q.next())
        return std::nullopt;
    return q.value(0).toByteArray();
}

QList<qint64> SqliteStore::messageIdsOfSession(qint64 sessionId) const
{
    QSqlQuery q(connection());
    q.prepare(QStringLiteral("SELECT id FROM messages WHERE session_id = ? ORDER BY id"));
    q.addBindValue(sessionId);
    QList<qint64> ids;
    if (exec(q)) {
        while (q.next())
            ids.append(q.value(0).toLongLong());
    }
    return ids;
}

qint64 SqliteStore::sessionCount() const
{
    return scalar(connection(), QStringLiteral("SELECT COUNT(*) FROM sessions"));
}

QList<SessionRecord> SqliteStore::sessions(qint64 offset, qint64 limit, Order order) const
{
    QSqlQuery q(connection());
    q.prepare(QStringLiteral("SELECT %1 FROM sessions ORDER BY id %2 LIMIT ? OFFSET ?")
                  .arg(QLatin1String(kSessionColumns), orderSql(order)));
    q.addBindValue(limit);
    q.addBindValue(offset);
    return rows(q, readSession);
}

std::optional<SessionRecord> SqliteStore::session(qint64 id) const
{
    QSqlQuery q(connection());
    q.prepare(QStringLiteral("SELECT %1, transcript FROM sessions WHERE id = ?")
                  .arg(QLatin1String(kSessionColumns)));
    q.addBindValue(id);
    if (!exec(q) || !q.next())
        return std::nullopt;
    SessionRecord s = readSession(q);
    s.transcript = unpack<Transcript>(q.value(13));
    return s;
}

QList<DeliveryRecord> SqliteStore::deliveries(qint64 messageId) const
{
    return readDeliveries(connection(), QStringLiteral("message_id = ?"), messageId);
}

QList<DeliveryRecord> SqliteStore::pendingDeliveries() const
{
    return readDeliveries(connection(), QStringLiteral("status = ?"),
                          deliveryStatusName(DeliveryRecord::Status::Pending));
}

QList<MessageStore::TagCount> SqliteStore::tagCounts() const
{
    return readTagCounts(connection());
}

QStringList SqliteStore::tagNames() const
{
    // A skip scan of the tag index, one probe per tag: counting (tagCounts) walks every row of
    // it, 40-60 ms for 100,000 tagged messages, and the lists ask on every page.
    QSqlQuery q(connection());
    q.setForwardOnly(true);
    QStringList names;
    if (!q.exec(QStringLiteral(
            "WITH RECURSIVE names(tag) AS (SELECT MIN(tag) FROM message_tags UNION ALL"
            " SELECT (SELECT MIN(tag) FROM message_tags WHERE tag > names.tag) FROM names"
            " WHERE names.tag IS NOT NULL) SELECT tag FROM names WHERE tag IS NOT NULL")))
        return names;
    while (q.next())
        names.append(q.value(0).toString());
    return names;
}

QHash<qint64, QStringList> SqliteStore::tagsOf(const QList<qint64> &ids) const
{
    QHash<qint64, QStringList> tags;
    for (qint64 id : ids)
        tags.insert(id, {});
    QSqlQuery q(connection());
    q.setForwardOnly(true);
    if (ids.isEmpty() ||
        !q.exec(QStringLiteral("SELECT message_id, tag FROM message_tags WHERE message_id IN (%1)")
                    .arg(idList(ids))))
        return tags;
    while (q.next())
        tags[q.value(0).toLongLong()].append(q.value(1).toString());
    for (QStringList &list : tags)
        list = tag_name::ordered(list);
    return tags;
}
