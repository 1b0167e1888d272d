#include "Pop3Maildrop.h"

#include "records/TagName.h"
#include "store/MessageStore.h"

#include <limits>

MessageQuery Pop3Maildrop::mailboxOf(const MessageStore &store, const QString &user)
{
    MessageQuery query;
    const QList<MessageStore::TagCount> tags = store.tagCounts();
    const bool isTag = std::any_of(tags.cbegin(), tags.cend(), [&user](const auto &tag) {
        return tag_name::same(tag.name, user);
    });
    if (isTag)
        query.tags.append({user, false});
    else if (user.contains(u'@'))
        query.terms.append({MessageQuery::Field::To, user, false});
    return query;
}

Pop3Maildrop Pop3Maildrop::open(const MessageStore &store, const QString &user)
{
    const MessageStore::SearchPage page =
        store.search(mailboxOf(store, user), 0, std::numeric_limits<qint64>::max());
    QList<Entry> entries;
    entries.reserve(page.messages.size());
    for (auto it = page.messages.crbegin(); it != page.messages.crend(); ++it)
        entries.append({it->id, it->size, false});
    return Pop3Maildrop(entries);
}

qint64 Pop3Maildrop::count() const
{
    return std::count_if(m_entries.cbegin(), m_entries.cend(),
                         [](const Entry &e) { return !e.deleted; });
}

qint64 Pop3Maildrop::totalSize() const
{
    qint64 total = 0;
    for (const Entry &e : m_entries)
        total += e.deleted ? 0 : e.size;
    return total;
}

const Pop3Maildrop::Entry *Pop3Maildrop::entry(qint64 number) const
{
    return number >= 1 && number <= m_entries.size() ? &m_entries[number - 1] : nullptr;
}

bool Pop3Maildrop::markDeleted(qint64 number)
{
    if (number < 1 || number > m_entries.size() || m_entries[number - 1].deleted)
        return false;
    m_entries[number - 1].deleted = true;
    return true;
}

void Pop3Maildrop::undeleteAll()
{
    for (Entry &e : m_entries)
        e.deleted = false;
}

QList<qint64> Pop3Maildrop::deletedIds() const
{
    QList<qint64> ids;
    for (const Entry &e : m_entries) {
        if (e.deleted)
            ids.append(e.id);
    }
    return ids;
}

QByteArray Pop3Maildrop::multiline(const QByteArray &raw, qint64 bodyLines)
{
    QByteArrayView text(raw);
    if (bodyLines >= 0) {
        // The header ends at the first empty line; TOP then counts lines of the body.
        qsizetype pos = 0;
        qsizetype end = raw.size();
        bool inHeader = true;
        qint64 remaining = bodyLines;
        while (pos < raw.size()) {
            const qsizetype newline = raw.indexOf('\n', pos);
            const qsizetype next = newline < 0 ? raw.size() : newline + 1;
            if (!inHeader && remaining-- == 0) {
                end = pos;
                break;
            }
            const QByteArrayView line = QByteArrayView(raw).sliced(pos, next - pos);
            if (inHeader && (line == "\r\n" || line == "\n"))
                inHeader = false;
            pos = next;
        }
        text = text.first(end);
    }
    QByteArray out;
    out.reserve(text.size() + text.size() / 64 + 5);
    bool lineStart = true;
    for (const char c : text) {
        if (lineStart && c == '.')
            out += '.';
        out += c;
        lineStart = c == '\n';
    }
    if (!out.isEmpty() && !out.endsWith("\r\n"))
        out += "\r\n";
    return out + ".\r\n";
}
