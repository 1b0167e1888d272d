#pragma once

#include "TextSortKey.h"

#include <QAbstractTableModel>
#include <QList>
#include <QTimer>

#include <algorithm>
#include <utility>
#include <vector>

// A table of rows with unique ids (`Row::id`) that takes live rows in batches and keeps its
// own sort order, so views need no sorting proxy: QSortFilterProxyModel compares rows about
// 1.7 million times to sort 100,000 of them, and re-sorts on every batch.
//
// Rows are stored as they come, with an index in id order (a lookup by id is a binary search;
// a row with an older id moves no row). `m_order` lists them in the ascending order of the
// sort column, ties by id; a descending sort reads it backwards, so flipping the order moves
// nothing, and new mail, which sorts last by received time, is appended at one end. A batch
// that sorts elsewhere is placed by binary search.
template <typename Row> class BatchedTableModel : public QAbstractTableModel
{
public:
    int rowCount(const QModelIndex &parent = QModelIndex()) const override
    {
        return parent.isValid() ? 0 : int(m_order.size());
    }

    // Column -1 is id order.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override
    {
        if (column == m_sortColumn && order == m_sortOrder)
            return;
        const bool newColumn = column != m_sortColumn;
        relayout([&] {
            m_sortColumn = column;
            m_sortsByText = column >= 0 && sortsByText(column);
            m_sortOrder = order;
            if (newColumn)
                sortAll();
        });
    }
    int sortColumn() const { return m_sortColumn; }
    Qt::SortOrder sortOrder() const { return m_sortOrder; }

    int rowOfId(qint64 id) const // -1 when unknown
    {
        const int stored = storedIndexOf(id);
        return stored < 0 || m_position[size_t(stored)] < 0 ? -1
                                                            : viewRow(m_position[size_t(stored)]);
    }
    qint64 idAt(int row) const { return rowAt(row).id; }

    void setBatchInterval(int ms) { m_flushTimer.setInterval(ms); }
    int batchInterval() const { return m_flushTimer.interval(); }
    // Applies what is queued now instead of at the end of the batch interval.
    virtual void flushPending() = 0;

protected:
    explicit BatchedTableModel(QObject *parent) : QAbstractTableModel(parent)
    {
        m_flushTimer.setSingleShot(true);
        m_flushTimer.setInterval(50);
        QObject::connect(&m_flushTimer, &QTimer::timeout, this, [this] { flushPending(); });
    }

    // The order of `column` alone, <0, 0 or >0 like QString::compare; the model breaks ties
    // by id. Three-way, so that sorting compares each pair once.
    virtual int compare(const Row &a, const Row &b, int column) const = 0;
    // Columns that sort by text, case-insensitively: the model compares sortText() for them,
    // never compare(), and sorts 100,000 rows with TextSortKey.
    virtual bool sortsByText(int /*column*/) const { return false; }
    virtual QStringView sortText(const Row & /*row*/, int /*column*/) const { return {}; }

    // compare() for numbers, flags and enums.
    template <typename Value> static int compareValues(Value a, Value b)
    {
        return a < b ? -1 : (b < a ? 1 : 0);
    }

    const Row &rowAt(int row) const { return m_rows[size_t(m_order[size_t(ascending(row))])]; }
    Row &rowAt(int row) { return m_rows[size_t(m_order[size_t(ascending(row))])]; }

    // Runs flushPending() at the end of the batch interval.
    void scheduleFlush()
    {
        if (!m_flushTimer.isActive())
            m_flushTimer.start();
    }
    void stopFlushTimer() { m_flushTimer.stop(); }

    // Inserts the rows whose ids are new, each where the sort puts it; returns how many.
    int addRows(std::vector<Row> rows)
    {
        return addRows(std::move(rows), [](const Row &) {});
    }
    // The same, calling `visitAdded(row)` for each row that is new before the views see it.
    template <typename Visit> int addRows(std::vector<Row> rows, Visit visitAdded)
    {
        std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) { return a.id < b.id; });
        rows.erase(std::unique(rows.begin(), rows.end(),
                               [](const Row &a, const Row &b) { return a.id == b.id; }),
                   rows.end());
        rows.erase(std::remove_if(rows.begin(), rows.end(),
                                  [this](const Row &r) { return storedIndexOf(r.id) >= 0; }),
                   rows.end());
        if (rows.empty())
            return 0;
        for (const Row &row : rows)
            visitAdded(row);
        const int added = int(rows.size());
        placeByOrder(store(std::move(rows)));
        return added;
    }

    void removeRowsById(const QList<qint64> &ids)
    {
        removeRowsById(ids, [](const Row &) {});
    }
    // The same, calling `visitRemoved(row)` once for each shown row with one of the ids, before
    // it goes. Ids may repeat.
    template <typename Visit> void removeRowsById(const QList<qint64> &ids, Visit visitRemoved)
    {
        std::vector<int> ascendingIndexes;
        for (qint64 id : ids) {
            const int stored = storedIndexOf(id);
            if (stored >= 0 && m_position[size_t(stored)] >= 0)
                ascendingIndexes.push_back(m_position[size_t(stored)]);
        }
        if (ascendingIndexes.empty())
            return;
        std::sort(ascendingIndexes.begin(), ascendingIndexes.end());
        ascendingIndexes.erase(std::unique(ascendingIndexes.begin(), ascendingIndexes.end()),
                               ascendingIndexes.end());
        for (int index : ascendingIndexes)
            visitRemoved(m_rows[size_t(m_order[size_t(index)])]);
        // Contiguous runs of view rows, removed from the end so earlier rows keep their place.
        std::vector<int> rows;
        for (int index : ascendingIndexes)
            rows.push_back(viewRow(index));
        std::sort(rows.begin(), rows.end());
        std::vector<std::pair<int, int>> runs; // first, last
        for (int row : rows) {
            if (!runs.empty() && runs.back().second + 1 == row)
                runs.back().second = row;
            else
                runs.emplace_back(row, row);
        }
        std::vector<bool> removed(m_rows.size(), false);
        for (int index : ascendingIndexes)
            removed[size_t(m_order[size_t(index)])] = true;
        // Many scattered runs (deleting half of a sorted view) are cheaper as one reset.
        constexpr size_t kMaxRuns = 64;
        if (runs.size() > kMaxRuns) {
            beginResetModel();
            m_order.erase(
                std::remove_if(m_order.begin(), m_order.end(),
                               [&removed](int stored) { return removed[size_t(stored)]; }),
                m_order.end());
            dropStored(removed);
            endResetModel();
            return;
        }
        for (auto run = runs.rbegin(); run != runs.rend(); ++run) {
            beginRemoveRows(QModelIndex(), run->first, run->second);
            const int first =
                ascending(m_sortOrder == Qt::AscendingOrder ? run->first : run->second);
            const int count = run->second - run->first + 1;
            for (int i = first; i < first + count; ++i)
                m_position[size_t(m_order[size_t(i)])] = -1;
            m_order.erase(m_order.begin() + first, m_order.begin() + first + count);
            renumberFrom(first);
            endRemoveRows();
        }
        dropStored(removed); // view rows are unchanged by this
    }

    // Forgets every row.
    void removeAll()
    {
        beginResetModel();
        m_rows = {};
        m_byId = {};
        m_order = {};
        m_position = {};
        m_changed = {};
        endResetModel();
    }

    // The row's data changed; the views hear of it (and it moves if its sort key moved) at
    // the next applyChanges().
    void markChanged(int row)
    {
        m_changed.push_back(m_order[size_t(ascending(row))]);
        scheduleFlush();
    }

    void applyChanges()
    {
        if (m_changed.empty())
            return;
        const std::vector<int> changed = std::exchange(m_changed, {});
        bool inOrder = true;
        for (int stored : changed) {
            const int at = m_position[size_t(stored)];
            // Every adjacent pair in order means the whole order holds.
            if ((at > 0 && !ascendingLess(m_order[size_t(at) - 1], stored)) ||
                (at + 1 < int(m_order.size()) && !ascendingLess(stored, m_order[size_t(at) + 1])))
                inOrder = false;
        }
        if (!inOrder)
            relayout([this, &changed] { placeAgain(changed); });
        int first = int(m_order.size());
        int last = -1;
        for (int stored : changed) {
            const int row = viewRow(m_position[size_t(stored)]);
            first = std::min(first, row);
            last = std::max(last, row);
        }
        Q_EMIT dataChanged(index(first, 0), index(last, columnCount() - 1));
    }

private:
    int ascending(int row) const
    {
        return m_sortOrder == Qt::AscendingOrder ? row : int(m_order.size()) - 1 - row;
    }
    int viewRow(int ascendingIndex) const { return ascending(ascendingIndex); }

    int storedIndexOf(qint64 id) const
    {
        const auto at =
            std::lower_bound(m_byId.begin(), m_byId.end(), id, [this](int stored, qint64 v) {
                return m_rows[size_t(stored)].id < v;
            });
        return at != m_byId.end() && m_rows[size_t(*at)].id == id ? *at : -1;
    }

    bool ascendingLess(int a, int b) const
    {
        const Row &left = m_rows[size_t(a)];
        const Row &right = m_rows[size_t(b)];
        int order = 0;
        if (m_sortsByText)
            order = sortText(left, m_sortColumn)
                        .compare(sortText(right, m_sortColumn), Qt::CaseInsensitive);
        else if (m_sortColumn >= 0)
            order = compare(left, right, m_sortColumn);
        return order != 0 ? order < 0 : left.id < right.id;
    }

    void sortAll()
    {
        sortStored(m_order.begin(), m_order.end());
        renumberFrom(0);
    }

    // Puts rows whose sort keys changed where they now belong. The other rows are still in
    // order among themselves, so a few changed rows are taken out and put back by binary
    // search; only many of them make a full sort cheaper.
    void placeAgain(const std::vector<int> &changed)
    {
        if (changed.size() > m_order.size() / 16) {
            sortAll();
            return;
        }
        std::vector<bool> moving(m_rows.size(), false);
        for (int stored : changed)
            moving[size_t(stored)] = true;
        m_order.erase(std::remove_if(m_order.begin(), m_order.end(),
                                     [&moving](int stored) { return moving[size_t(stored)]; }),
                      m_order.end());
        for (size_t stored = 0; stored < moving.size(); ++stored) {
            if (!moving[stored])
                continue;
            const auto at = std::lower_bound(m_order.begin(), m_order.end(), int(stored),
                                             [this](int a, int b) { return ascendingLess(a, b); });
            m_order.insert(at, int(stored));
        }
        renumberFrom(0);
    }

    // Storage indexes into ascending order: by text keys for a text column (see sortByText).
    void sortStored(std::vector<int>::iterator first, std::vector<int>::iterator last)
    {
        if (m_sortsByText)
            sortByText(first, last, 0);
        else
            std::sort(first, last, [this](int a, int b) { return ascendingLess(a, b); });
    }

    // Sorts rows that agree on the text before unit `from`: by the key of the next units, ties
    // by id, then each run of equal keys by the units after those. Most comparisons touch only
    // keys; a run of one sender's many messages costs one more pass.
    void sortByText(std::vector<int>::iterator first, std::vector<int>::iterator last,
                    qsizetype from)
    {
        struct KeyedRow
        {
            TextSortKey key;
            int stored;
        };
        std::vector<KeyedRow> keyed;
        keyed.reserve(size_t(last - first));
        for (auto it = first; it != last; ++it)
            keyed.push_back({TextSortKey(textOf(*it), from), *it});
        std::sort(keyed.begin(), keyed.end(), [this](const KeyedRow &a, const KeyedRow &b) {
            return a.key != b.key ? a.key < b.key
                                  : m_rows[size_t(a.stored)].id < m_rows[size_t(b.stored)].id;
        });
        for (size_t i = 0; i < keyed.size(); ++i)
            first[qsizetype(i)] = keyed[i].stored;
        const qsizetype next = from + TextSortKey::kUnits;
        for (size_t run = 0, end = 0; run < keyed.size(); run = end) {
            bool goesOn = false; // some text of the run is longer than these units
            for (end = run; end < keyed.size() && keyed[end].key == keyed[run].key; ++end)
                goesOn = goesOn || textOf(keyed[end].stored).size() > next;
            if (end - run < 2)
                continue;
            if (goesOn) {
                sortByText(first + qsizetype(run), first + qsizetype(end), next);
            } else {
                // Equal but for trailing U+0000: the shorter first, as QString::compare says.
                std::stable_sort(
                    first + qsizetype(run), first + qsizetype(end),
                    [this](int a, int b) { return textOf(a).size() < textOf(b).size(); });
            }
        }
    }

    QStringView textOf(int stored) const { return sortText(m_rows[size_t(stored)], m_sortColumn); }

    void renumberFrom(int first)
    {
        for (size_t i = size_t(first); i < m_order.size(); ++i)
            m_position[size_t(m_order[i])] = int(i);
    }

    // Changes the order under the views, keeping their selections and current rows.
    template <typename Change> void relayout(Change change)
    {
        const QList<QPersistentModelIndex> parents;
        Q_EMIT layoutAboutToBeChanged(parents, QAbstractItemModel::VerticalSortHint);
        const QModelIndexList before = persistentIndexList();
        std::vector<int> stored;
        stored.reserve(size_t(before.size()));
        for (const QModelIndex &index : before)
            stored.push_back(m_order[size_t(ascending(index.row()))]);
        change();
        QModelIndexList after;
        after.reserve(before.size());
        for (qsizetype i = 0; i < before.size(); ++i)
            after.append(index(viewRow(m_position[size_t(stored[size_t(i)])]), before[i].column()));
        changePersistentIndexList(before, after);
        Q_EMIT layoutChanged(parents, QAbstractItemModel::VerticalSortHint);
    }

    // Adds rows with new ids (sorted by id) to the storage, out of every view; returns their
    // storage indexes. Stored rows never move for this: a batch with an older id (a slow save
    // acknowledged after a later one) only merges a few ints into the id index.
    std::vector<int> store(std::vector<Row> rows)
    {
        std::vector<int> added(rows.size());
        for (size_t i = 0; i < rows.size(); ++i)
            added[i] = int(m_rows.size() + i);
        const bool newest = m_byId.empty() || rows.front().id > m_rows[size_t(m_byId.back())].id;
        m_rows.insert(m_rows.end(), std::make_move_iterator(rows.begin()),
                      std::make_move_iterator(rows.end()));
        m_position.resize(m_rows.size(), -1);
        if (newest) {
            m_byId.insert(m_byId.end(), added.begin(), added.end());
        } else {
            std::vector<int> byId(m_byId.size() + added.size());
            std::merge(
                m_byId.begin(), m_byId.end(), added.begin(), added.end(), byId.begin(),
                [this](int a, int b) { return m_rows[size_t(a)].id < m_rows[size_t(b)].id; });
            m_byId = std::move(byId);
        }
        return added;
    }

    // Shows stored rows that no view has yet, each where the sort puts it.
    void placeByOrder(std::vector<int> added)
    {
        sortStored(added.begin(), added.end()); // all the mail at launch, say

        // The usual case: everything sorts after (or before) what is shown, one block.
        const bool atEnd = m_order.empty() || ascendingLess(m_order.back(), added.front());
        const bool atStart = !atEnd && ascendingLess(added.back(), m_order.front());
        if (atEnd || atStart) {
            insertRun(atEnd ? int(m_order.size()) : 0, added.begin(), added.end());
            return;
        }
        // Elsewhere: each run of rows that lands between the same two shown rows is one
        // insertion; many runs are one append and one re-layout instead.
        std::vector<std::pair<int, int>> runs; // ascending index among the shown rows, count
        for (int stored : added) {
            const int at =
                int(std::lower_bound(m_order.begin(), m_order.end(), stored,
                                     [this](int a, int b) { return ascendingLess(a, b); }) -
                    m_order.begin());
            if (!runs.empty() && runs.back().first == at)
                ++runs.back().second;
            else
                runs.emplace_back(at, 1);
        }
        constexpr size_t kMaxRuns = 16;
        if (runs.size() > kMaxRuns) {
            // Both sides are sorted already: a merge compares each row about once, where a
            // sort of 100,000 rows would compare them 17 times each.
            insertRun(int(m_order.size()), added.begin(), added.end());
            const auto count = qsizetype(added.size());
            relayout([this, count] {
                std::inplace_merge(m_order.begin(), m_order.end() - count, m_order.end(),
                                   [this](int a, int b) { return ascendingLess(a, b); });
                renumberFrom(0);
            });
            return;
        }
        int inserted = 0;
        auto next = added.begin();
        for (const auto &[at, runCount] : runs) {
            insertRun(at + inserted, next, next + runCount);
            next += runCount;
            inserted += runCount;
        }
    }

    void insertRun(int at, std::vector<int>::const_iterator first,
                   std::vector<int>::const_iterator last)
    {
        const int count = int(last - first);
        const int size = int(m_order.size());
        const int firstRow = m_sortOrder == Qt::AscendingOrder ? at : size - at;
        beginInsertRows(QModelIndex(), firstRow, firstRow + count - 1);
        m_order.insert(m_order.begin() + at, first, last);
        renumberFrom(at);
        endInsertRows();
    }

    // Erases the rows marked `removed` from the storage; no view shows them any more.
    void dropStored(const std::vector<bool> &removed)
    {
        std::vector<int> moved(m_rows.size(), -1);
        size_t kept = 0;
        for (size_t i = 0; i < m_rows.size(); ++i) {
            if (removed[i])
                continue;
            moved[i] = int(kept);
            if (kept != i)
                m_rows[kept] = std::move(m_rows[i]);
            ++kept;
        }
        m_rows.erase(m_rows.begin() + qsizetype(kept), m_rows.end());
        for (int &stored : m_order)
            stored = moved[size_t(stored)];
        m_byId.erase(std::remove_if(m_byId.begin(), m_byId.end(),
                                    [&removed](int stored) { return removed[size_t(stored)]; }),
                     m_byId.end());
        for (int &stored : m_byId)
            stored = moved[size_t(stored)];
        m_changed.erase(std::remove_if(m_changed.begin(), m_changed.end(),
                                       [&moved](int stored) { return moved[size_t(stored)] < 0; }),
                        m_changed.end());
        for (int &stored : m_changed)
            stored = moved[size_t(stored)];
        m_position.assign(m_rows.size(), -1);
        renumberFrom(0);
    }

    std::vector<Row> m_rows;     // in the order they came
    std::vector<int> m_byId;     // storage indexes in ascending id order
    std::vector<int> m_order;    // storage indexes in ascending sort order: the shown rows
    std::vector<int> m_position; // storage index -> index in m_order, -1 while not shown
    std::vector<int> m_changed;  // storage indexes of rows changed since applyChanges()
    int m_sortColumn = -1;
    bool m_sortsByText = false;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    QTimer m_flushTimer;
};
