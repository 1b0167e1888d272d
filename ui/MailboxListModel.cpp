#include "MailboxListModel.h"

#include "records/TagName.h"

#include <QFont>

int MailboxListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant MailboxListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const MessageStore::TagCount &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole: {
        const QString name = row.name.isEmpty() ? tr("All mail") : row.name;
        return row.unread > 0 ? tr("%1  (%2 unread of %3)").arg(name).arg(row.unread).arg(row.total)
                              : tr("%1  (%2)").arg(name).arg(row.total);
    }
    case Qt::FontRole: {
        if (row.unread == 0)
            return {};
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    case TagRole:
        return row.name;
    case TotalRole:
        return row.total;
    case UnreadRole:
        return row.unread;
    default:
        return {};
    }
}

void MailboxListModel::setMailboxes(qint64 total, qint64 unread,
                                    const QList<MessageStore::TagCount> &tags)
{
    QList<MessageStore::TagCount> rows{{QString(), total, unread}};
    rows += tags;
    const bool sameNames =
        rows.size() == m_rows.size() &&
        std::equal(rows.cbegin(), rows.cend(), m_rows.cbegin(),
                   [](const auto &a, const auto &b) { return a.name == b.name; });
    if (!sameNames) {
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    for (int i = 0; i < rows.size(); ++i) {
        if (!(rows[i] == m_rows[i])) {
            m_rows[i] = rows[i];
            Q_EMIT dataChanged(index(i), index(i));
        }
    }
}

int MailboxListModel::rowOfTag(const QString &tag) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (tag.isEmpty() ? m_rows[i].name.isEmpty() : tag_name::same(m_rows[i].name, tag))
            return i;
    }
    return -1;
}
