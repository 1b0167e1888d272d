#pragma once

#include <QTest>

// The data of a test that runs once for every column of a table and sort order: columns
// "column" (int) and "order" (Qt::SortOrder).
inline void addSortCases(int columnCount)
{
    QTest::addColumn<int>("column");
    QTest::addColumn<Qt::SortOrder>("order");
    for (int column = 0; column < columnCount; ++column) {
        QTest::addRow("column %d ascending", column) << column << Qt::AscendingOrder;
        QTest::addRow("column %d descending", column) << column << Qt::DescendingOrder;
    }
}
