#include "MailboxPane.h"

#include "MailboxListModel.h"

#include "records/TagName.h"
#include "store/MessageStore.h"

#include <QInputDialog>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QVBoxLayout>

MailboxPane::MailboxPane(MessageStore *store, QWidget *parent)
    : QWidget(parent), m_store(store), m_model(new MailboxListModel(this)),
      m_view(new QListView(this))
{
    m_view->setModel(m_model);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view);

    m_refresh.setSingleShot(true);
    m_refresh.setInterval(kRefreshMs);
    connect(&m_refresh, &QTimer::timeout, this, &MailboxPane::refresh);
    const auto later = [this] {
        if (!m_refresh.isActive())
            m_refresh.start();
    };
    // The store signals from its own thread; these arrive queued.
    connect(m_store, &MessageStore::messageStored, this, later, Qt::QueuedConnection);
    connect(m_store, &MessageStore::messagesRemoved, this, later, Qt::QueuedConnection);
    connect(m_store, &MessageStore::readChanged, this, later, Qt::QueuedConnection);
    connect(m_store, &MessageStore::tagsChanged, this, later, Qt::QueuedConnection);
    connect(m_store, &MessageStore::cleared, this, later, Qt::QueuedConnection);
    connect(m_view, &QWidget::customContextMenuRequested, this, &MailboxPane::showMenu);
    connect(m_view, &QAbstractItemView::clicked, this, [this](const QModelIndex &index) {
        choose(index.data(MailboxListModel::TagRole).toString());
    });
    refresh();
}

void MailboxPane::refresh()
{
    m_model->setMailboxes(m_store->messageCount(), m_store->unreadCount(), m_store->tagCounts());
    // A mailbox that is gone (deleted, renamed, its last message removed) falls back to all.
    const int row = m_model->rowOfTag(m_current);
    if (row < 0)
        choose(QString());
    else
        m_view->setCurrentIndex(m_model->index(row));
}

void MailboxPane::choose(const QString &tag)
{
    const int row = m_model->rowOfTag(tag);
    m_view->setCurrentIndex(m_model->index(std::max(row, 0)));
    const QString chosen = row < 0 ? QString() : tag;
    if (chosen == m_current)
        return;
    m_current = chosen;
    Q_EMIT mailboxChosen(chosen);
}

void MailboxPane::showMenu(const QPoint &at)
{
    const QString tag = m_view->indexAt(at).data(MailboxListModel::TagRole).toString();
    if (tag.isEmpty())
        return;
    QMenu menu(this);
    menu.addAction(tr("&Rename \"%1\"...").arg(tag), this, [this, tag] { renameTag(tag); });
    menu.addAction(tr("&Delete \"%1\"").arg(tag), this, [this, tag] { deleteTag(tag); });
    menu.exec(m_view->viewport()->mapToGlobal(at));
}

void MailboxPane::tagMessages(const QList<qint64> &ids)
{
    if (ids.isEmpty())
        return;
    const QString text = QInputDialog::getText(
        this, tr("Tag messages"),
        tr("Tags for %n message(s), separated by commas:", nullptr, int(ids.size())));
    QStringList tags;
    for (const QString &part : text.split(u',', Qt::SkipEmptyParts)) {
        const QString name = part.trimmed();
        if (const QString problem = tag_name::problem(name); !problem.isEmpty()) {
            QMessageBox::warning(this, tr("Tag messages"), problem);
            return;
        }
        tags.append(name);
    }
    if (!tags.isEmpty())
        m_store->addTags(ids, tags);
}

void MailboxPane::renameTag(const QString &tag)
{
    const QString name =
        QInputDialog::getText(this, tr("Rename tag"), tr("New name for \"%1\":").arg(tag),
                              QLineEdit::Normal, tag)
            .trimmed();
    if (name.isEmpty() || name == tag)
        return;
    if (const QString problem = tag_name::problem(name); !problem.isEmpty()) {
        QMessageBox::warning(this, tr("Rename tag"), problem);
        return;
    }
    const bool wasCurrent = tag_name::same(tag, m_current);
    m_store->renameTag(tag, name);
    refresh();
    if (wasCurrent)
        choose(name);
}

void MailboxPane::deleteTag(const QString &tag)
{
    m_store->deleteTag(tag); // the messages stay; only the tag goes
    refresh();
}
