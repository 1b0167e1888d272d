#include "SqliteTags.h"

#include "SqliteQueries.h"
#include "records/TagName.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

namespace sqlite_store {
namespace {
QList<qint64> messagesWithTag(QSqlDatabase &db, const QString &name)
{
    QSqlQuery q(db);
    q.prepare(QStringLiteral("SELECT message_id FROM message_tags WHERE tag = ?"));
    q.addBindValue(name);
    QList<qint64> ids;
    if (exec(q)) {
        while (q.next())
            ids.append(q.value(0).toLongLong());
    }
    return ids;
}

bool run(QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    QSqlQuery q(db);
    q.prepare(sql);
    bindAll(q, values);
    return exec(q);
}
} // namespace

bool writeTags(QSqlDatabase &db, const QList<qint64> &ids, const QStringList &tags, bool replace)
{
    const QString list = idList(ids);
    if (replace &&
        !exec(db, QStringLiteral("DELETE FROM message_tags WHERE message_id IN (%1)").arg(list)))
        return false;
    for (const QString &tag : tag_name::distinct(tags)) {
        if (!run(db,
                 QStringLiteral("INSERT OR IGNORE INTO message_tags (message_id, tag)"
                                " SELECT id, ? FROM messages WHERE id IN (%1)")
                     .arg(list),
                 {tag}))
            return false;
    }
    return true;
}

bool writeTagRename(QSqlDatabase &db, const QString &from, const QString &to,
                    QList<qint64> *changed)
{
    *changed = messagesWithTag(db, from);
    // A message that has both keeps one row. When only the case changes, the rows are the same
    // rows under NOCASE, and none is left to remove.
    if (!run(db, QStringLiteral("UPDATE OR IGNORE message_tags SET tag = ? WHERE tag = ?"),
             {to, from}))
        return false;
    return tag_name::same(from, to) ||
           run(db, QStringLiteral("DELETE FROM message_tags WHERE tag = ?"), {from});
}

bool writeTagRemoval(QSqlDatabase &db, const QString &name, QList<qint64> *changed)
{
    *changed = messagesWithTag(db, name);
    return run(db, QStringLiteral("DELETE FROM message_tags WHERE tag = ?"), {name});
}

QList<MessageStore::TagCount> readTagCounts(QSqlDatabase db)
{
    // One walk of the tag index, each row looking up its message's read flag in the narrow
    // search table rather than the wide messages rows.
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT t.tag, COUNT(*), COUNT(*) FILTER (WHERE s.read = 0)"
                             " FROM message_tags t INDEXED BY message_tags_by_tag"
                             " JOIN message_search s ON s.id = t.message_id"
                             " GROUP BY t.tag ORDER BY t.tag"));
    QList<MessageStore::TagCount> counts;
    if (exec(q)) {
        while (q.next())
            counts.append(
                {q.value(0).toString(), q.value(1).toLongLong(), q.value(2).toLongLong()});
    }
    return counts;
}
} // namespace sqlite_store
