#include "MessageTableView.h"

#include "MessageListModel.h"
#include "mime/ExportFileName.h"
#include "store/MessageExport.h"
#include "store/MessageStore.h"

#include <QDir>
#include <QDrag>
#include <QHeaderView>
#include <QMimeData>
#include <QUrl>

#include <algorithm>

MessageTableView::MessageTableView(const MessageStore *store, QWidget *parent)
    : QTableView(parent), m_store(store)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSortingEnabled(true);
    setWordWrap(false);
    setShowGrid(false);
    setAlternatingRowColors(true);
    setDragEnabled(true);
    setDragDropMode(QAbstractItemView::DragOnly);
    setTextElideMode(Qt::ElideRight);
    verticalHeader()->hide();
    // Fixed row heights keep scrolling through 100,000 rows cheap.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    horizontalHeader()->setHighlightSections(false);
}

QList<qint64> MessageTableView::selectedIds() const
{
    QModelIndexList rows = selectionModel() ? selectionModel()->selectedRows() : QModelIndexList();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    QList<qint64> ids;
    for (const QModelIndex &row : rows)
        ids.append(row.data(MessageListModel::IdRole).toLongLong());
    return ids;
}

qint64 MessageTableView::currentId() const
{
    const QModelIndex current = currentIndex();
    return current.isValid() ? current.data(MessageListModel::IdRole).toLongLong() : 0;
}

void MessageTableView::startDrag(Qt::DropActions)
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return;
    // A fresh folder per drag: the previous drag's files may still be in use by the target.
    m_dragFolder = std::make_unique<QTemporaryDir>();
    if (!m_dragFolder->isValid())
        return;
    ExportFileNameSet names;
    QList<QUrl> urls;
    for (qint64 id : ids) {
        const std::optional<MessageRecord> message = m_store->message(id);
        if (!message)
            continue;
        const QString path = QDir(m_dragFolder->path())
                                 .filePath(names.add(emlFileName(message->headline.subject, id),
                                                     QStringLiteral("message/rfc822")));
        QString error;
        if (saveBytes(path, message->raw, &error))
            urls.append(QUrl::fromLocalFile(path));
    }
    if (urls.isEmpty())
        return;
    auto *data = new QMimeData;
    data->setUrls(urls);
    auto *drag = new QDrag(this);
    drag->setMimeData(data);
    drag->exec(Qt::CopyAction, Qt::CopyAction);
}
