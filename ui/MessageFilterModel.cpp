#include "MessageFilterModel.h"

#include "MessageListModel.h"

MessageFilterModel::MessageFilterModel(MessageListModel *source, QObject *parent)
    : QSortFilterProxyModel(parent), m_messages(source)
{
    setSourceModel(source);
    setDynamicSortFilter(true);
}

void MessageFilterModel::setSearchText(const QString &text)
{
    const QString needle = text.trimmed();
    if (needle == m_needle)
        return;
    m_needle = needle;
    invalidateFilter();
}

bool MessageFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    return m_messages->lessThan(left.row(), right.row(), left.column());
}

bool MessageFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    return m_needle.isEmpty() || m_messages->matches(sourceRow, m_needle);
}
