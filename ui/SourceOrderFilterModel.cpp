#include "SourceOrderFilterModel.h"

SourceOrderFilterModel::SourceOrderFilterModel(QAbstractItemModel *source, QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSourceModel(source);
    // Rows that change or arrive are filtered again as they come.
    setDynamicSortFilter(true);
}

void SourceOrderFilterModel::sort(int column, Qt::SortOrder order)
{
    sourceModel()->sort(column, order);
}
