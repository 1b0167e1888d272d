#pragma once

#include <QSortFilterProxyModel>

// Filters the rows of a model that keeps its own sort order (a BatchedTableModel) and passes
// sorting on to it: the proxy only hides rows, so a sort or a batch of live rows costs it no
// comparisons.
class SourceOrderFilterModel : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit SourceOrderFilterModel(QAbstractItemModel *source, QObject *parent = nullptr);

    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
};
