#include "MessageQuerySql.h"

#include "store/SqliteSearchTable.h"

namespace {
// The message_search columns a term looks in, as MessageQuery::matches looks in the summary.
QList<QLatin1String> columnsOf(MessageQuery::Field field)
{
    switch (field) {
    case MessageQuery::Field::From:
        return {QLatin1String("header_from"), QLatin1String("envelope_from")};
    case MessageQuery::Field::To:
        return {QLatin1String("header_to"), QLatin1String("envelope_to")};
    case MessageQuery::Field::Subject:
        return {QLatin1String("subject")};
    case MessageQuery::Field::Any:
        break;
    }
    return {QLatin1String("subject"), QLatin1String("header_from"), QLatin1String("header_to"),
            QLatin1String("envelope_from"), QLatin1String("envelope_to")};
}
} // namespace

MessageQuerySql MessageQuerySql::of(const MessageQuery &query)
{
    MessageQuerySql sql;
    QStringList conditions;
    if (query.read)
        conditions.append(QLatin1String(*query.read ? "read != 0" : "read = 0"));
    if (query.hasAttachments)
        conditions.append(
            QLatin1String(*query.hasAttachments ? "has_attachments != 0" : "has_attachments = 0"));
    // message_tags holds each tag with NOCASE, as tag_name::same() compares.
    if (query.tagged) {
        conditions.append(
            QLatin1String(*query.tagged ? "EXISTS (SELECT 1 FROM message_tags WHERE message_id = "
                                          "message_search.id)"
                                        : "NOT EXISTS (SELECT 1 FROM message_tags WHERE "
                                          "message_id = message_search.id)"));
    }
    for (const MessageQuery::TagTerm &tag : query.tags) {
        conditions.append(
            QLatin1String(tag.negated ? "message_search.id NOT IN" : "message_search.id IN") +
            QLatin1String(" (SELECT message_id FROM message_tags WHERE tag = ?)"));
        sql.values.append(tag.name);
    }
    for (const MessageQuery::Term &term : query.terms) {
        // Both sides are folded, so an exact substring test is the case-insensitive match;
        // instr() has no wildcards, so the term needs no escaping. An empty term, like an empty
        // QString in contains(), is found everywhere; it is bound as '' (NULL would find nothing).
        const QString needle = foldedForSearch(term.text);
        QStringList tests;
        for (const QLatin1String column : columnsOf(term.field)) {
            tests.append(QStringLiteral("instr(%1, ?) > 0").arg(column));
            sql.values.append(needle.isNull() ? QStringLiteral("") : needle);
        }
        const QString anyColumn = u'(' + tests.join(QLatin1String(" OR ")) + u')';
        conditions.append(term.negated ? QStringLiteral("NOT ") + anyColumn : anyColumn);
    }
    sql.condition =
        conditions.isEmpty() ? QStringLiteral("1") : conditions.join(QLatin1String(" AND "));
    return sql;
}
