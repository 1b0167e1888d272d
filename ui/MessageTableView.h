#pragma once

#include <QTableView>
#include <QTemporaryDir>

#include <memory>

class MessageStore;

// The message list view. Dragging messages out gives the file manager (or a mail client) one
// .eml file per message, written to a temporary folder when the drag starts.
class MessageTableView : public QTableView
{
    Q_OBJECT
public:
    MessageTableView(const MessageStore *store, QWidget *parent = nullptr);

    // The ids of the selected rows, in view order.
    QList<qint64> selectedIds() const;
    qint64 currentId() const; // 0 for none

protected:
    void startDrag(Qt::DropActions supportedActions) override;

private:
    const MessageStore *m_store;
    std::unique_ptr<QTemporaryDir> m_dragFolder;
};
