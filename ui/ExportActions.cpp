#include "ExportActions.h"

#include "BackgroundWork.h"
#include "CountText.h"
#include "LoadedMessage.h"
#include "MessageInspector.h"
#include "MessageListModel.h"
#include "MessageTableView.h"
#include "PartsPane.h"
#include "ServerStatusBar.h"
#include "store/MessageExport.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QMimeData>

namespace {
struct ExportResult
{
    int written = -1;
    QString error;
    QString target;
};
} // namespace

ExportActions::ExportActions(QWidget *window, MessageStore *store, MessageInspector *inspector,
                             MessageTableView *view, MessageListModel *messages,
                             BackgroundWork *work, ServerStatusBar *status)
    : QObject(window), m_window(window), m_store(store), m_inspector(inspector), m_view(view),
      m_messages(messages), m_work(work), m_status(status)
{
    const auto action = [window](const QString &text, const QKeySequence &shortcut) {
        auto *a = new QAction(text, window);
        if (!shortcut.isEmpty())
            a->setShortcut(shortcut);
        window->addAction(a);
        return a;
    };
    saveEml = action(tr("&Save Message as .eml…"), QKeySequence::Save);
    connect(saveEml, &QAction::triggered, this, &ExportActions::saveCurrentAsEml);
    exportSelectedEml =
        action(tr("Export Selected to Folder…"), QKeySequence(Qt::CTRL | Qt::Key_E));
    connect(exportSelectedEml, &QAction::triggered, this,
            [this] { exportMessages(m_view->selectedIds(), false); });
    exportSelectedMbox =
        action(tr("Export Selected as mbox…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    connect(exportSelectedMbox, &QAction::triggered, this,
            [this] { exportMessages(m_view->selectedIds(), true); });
    exportAllEml = action(tr("Export All to Folder…"), QKeySequence());
    connect(exportAllEml, &QAction::triggered, this, [this] { exportMessages(allIds(), false); });
    exportAllMbox = action(tr("Export All as mbox…"), QKeySequence());
    connect(exportAllMbox, &QAction::triggered, this, [this] { exportMessages(allIds(), true); });
    saveAttachments =
        action(tr("Save &Attachments…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    connect(saveAttachments, &QAction::triggered, m_inspector->parts(),
            &PartsPane::saveAllAttachments);
    copyRaw = action(tr("Copy Raw Source"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    connect(copyRaw, &QAction::triggered, this, &ExportActions::copyRawSource);
}

void ExportActions::updateEnabled(bool shown, bool selected)
{
    const bool any = m_messages->rowCount() > 0;
    saveEml->setEnabled(shown);
    copyRaw->setEnabled(shown);
    saveAttachments->setEnabled(shown);
    exportSelectedEml->setEnabled(selected);
    exportSelectedMbox->setEnabled(selected);
    exportAllEml->setEnabled(any);
    exportAllMbox->setEnabled(any);
}

QList<qint64> ExportActions::allIds() const
{
    QList<qint64> ids;
    ids.reserve(m_messages->rowCount());
    for (int row = 0; row < m_messages->rowCount(); ++row)
        ids.append(m_messages->idAt(row));
    return ids;
}

void ExportActions::saveCurrentAsEml()
{
    const LoadedMessage *message = m_inspector->current();
    if (!message)
        return;
    const QString name = emlFileName(message->record.headline.subject, message->record.id);
    const QString path = QFileDialog::getSaveFileName(
        m_window, tr("Save message"), QDir::home().filePath(name), tr("Mail messages (*.eml)"));
    if (path.isEmpty())
        return;
    QString error;
    if (saveBytes(path, message->record.raw, &error))
        m_status->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    else
        Q_EMIT failed(error);
}

void ExportActions::exportMessages(const QList<qint64> &ids, bool mbox)
{
    if (ids.isEmpty())
        return;
    QString target =
        mbox
            ? QFileDialog::getSaveFileName(m_window, tr("Export as mbox"),
                                           QDir::home().filePath(QStringLiteral("smtpeek.mbox")),
                                           tr("mbox files (*.mbox);;All files (*)"))
            : QFileDialog::getExistingDirectory(m_window, tr("Export to folder"), QDir::homePath());
    if (target.isEmpty())
        return;
    m_status->showMessage(tr("Exporting %1…").arg(countText(ids.size(), "message", "messages")));
    const MessageStore *store = m_store;
    m_work->run<ExportResult>(
        [store, ids, target, mbox] {
            ExportResult result;
            result.target = target;
            if (mbox)
                result.written =
                    exportToMbox(store, ids, target, &result.error) ? int(ids.size()) : -1;
            else
                result.written = exportToFolder(store, ids, target, &result.error);
            return result;
        },
        [this](const ExportResult &result) {
            if (result.written < 0) {
                m_status->clearMessage();
                Q_EMIT failed(tr("Export failed, nothing was written. %1").arg(result.error));
                return;
            }
            m_status->showMessage(tr("Exported %1 to %2")
                                      .arg(countText(result.written, "message", "messages"),
                                           QDir::toNativeSeparators(result.target)),
                                  8000);
        });
}

void ExportActions::copyRawSource()
{
    const LoadedMessage *message = m_inspector->current();
    if (!message)
        return;
    auto *data = new QMimeData;
    data->setText(QString::fromUtf8(message->record.raw));
    data->setData(QStringLiteral("message/rfc822"), message->record.raw);
    QApplication::clipboard()->setMimeData(data);
    m_status->showMessage(tr("Raw source copied"), 3000);
}
