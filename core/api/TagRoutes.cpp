// Mailpit's tag API: list, set on messages, rename, delete; and the counts /api/v1/info shows.
#include "ApiRoutes.h"

#include "records/TagName.h"
#include "store/MessageStore.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {
// The names of the "Tags" member, each a valid tag; a reason otherwise.
std::optional<QStringList> tagsMember(const QJsonObject &body, ApiResponse *error)
{
    const QJsonValue value = body.value(QStringLiteral("Tags"));
    if (value.isUndefined() || value.isNull())
        return QStringList();
    if (!value.isArray()) {
        *error = ApiResponse::error(400, QStringLiteral("Tags must be an array of tag names"));
        return std::nullopt;
    }
    QStringList tags;
    for (const QJsonValue &item : value.toArray()) {
        const QString name = item.toString();
        if (const QString problem = item.isString() ? tag_name::problem(name)
                                                    : QStringLiteral("a tag name is a string");
            !problem.isEmpty()) {
            *error = ApiResponse::error(400, QStringLiteral("invalid tag: %1").arg(problem));
            return std::nullopt;
        }
        tags.append(name);
    }
    return tag_name::distinct(tags);
}

bool tagExists(const MessageStore &store, const QString &tag)
{
    const QList<MessageStore::TagCount> counts = store.tagCounts();
    return std::any_of(counts.cbegin(), counts.cend(), [&tag](const MessageStore::TagCount &c) {
        return tag_name::same(c.name, tag);
    });
}
} // namespace

void ApiRoutes::addTagRoutes()
{
    using Args = const QStringList &;
    m_router.add("GET", QStringLiteral("/api/v1/tags"),
                 [this](const ApiRequest &, Args) { return tags(); });
    m_router.add("PUT", QStringLiteral("/api/v1/tags"),
                 [this](const ApiRequest &r, Args) { return setTags(r); });
    m_router.add("PUT", QStringLiteral("/api/v1/tags/{}"),
                 [this](const ApiRequest &r, Args a) { return renameTag(r, a[0]); });
    m_router.add("DELETE", QStringLiteral("/api/v1/tags/{}"),
                 [this](const ApiRequest &, Args a) { return deleteTag(a[0]); });
}

ApiResponse ApiRoutes::tags() const
{
    return ApiResponse::json(QJsonDocument(QJsonArray::fromStringList(tagNames())));
}

QStringList ApiRoutes::tagNames() const
{
    return m_store->tagNames();
}

QJsonObject ApiRoutes::tagCountsJson() const
{
    QJsonObject counts;
    for (const MessageStore::TagCount &count : m_store->tagCounts())
        counts.insert(count.name, count.total);
    return counts;
}

ApiResponse ApiRoutes::setTags(const ApiRequest &request) const
{
    ApiResponse error;
    const std::optional<QJsonObject> body = objectBody(request, &error);
    if (!body)
        return error;
    const std::optional<QList<qint64>> ids = idsOf(*body, &error);
    if (!ids)
        return error;
    const std::optional<QStringList> names = tagsMember(*body, &error);
    if (!names)
        return error;
    m_store->setTags(*ids, *names); // no IDs: nothing, as in Mailpit
    return ApiResponse::ok();
}

ApiResponse ApiRoutes::renameTag(const ApiRequest &request, const QString &tag) const
{
    ApiResponse error;
    const std::optional<QJsonObject> body = objectBody(request, &error);
    if (!body)
        return error;
    const QString name = body->value(QStringLiteral("Name")).toString();
    if (const QString problem = tag_name::problem(name); !problem.isEmpty())
        return ApiResponse::error(400, QStringLiteral("invalid new name: %1").arg(problem));
    if (!tagExists(*m_store, tag))
        return ApiResponse::error(404, QStringLiteral("no tag %1").arg(tag));
    m_store->renameTag(tag, name);
    return ApiResponse::ok();
}

ApiResponse ApiRoutes::deleteTag(const QString &tag) const
{
    if (!tagExists(*m_store, tag))
        return ApiResponse::error(404, QStringLiteral("no tag %1").arg(tag));
    m_store->deleteTag(tag);
    return ApiResponse::ok();
}
