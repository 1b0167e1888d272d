#include "MainWindow.h"

#include "AboutDialog.h"
#include "BackgroundWork.h"
#include "ChecksPane.h"
#include "CountText.h"
#include "ExportActions.h"
#include "Icons.h"
#include "MailboxPane.h"
#include "MessageFilterModel.h"
#include "MessageInspector.h"
#include "MessageListModel.h"
#include "MessagePreview.h"
#include "MessageRateMeter.h"
#include "MessageTableView.h"
#include "NoticeBar.h"
#include "PartsPane.h"
#include "RawSourceView.h"
#include "ReleaseActions.h"
#include "ServerControl.h"
#include "ServerStatusBar.h"
#include "SessionListModel.h"
#include "SessionsPane.h"
#include "TrayIcon.h"
#include "server/SmtpService.h"
#include "store/MessageStore.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QHeaderView>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace {
struct StoredMail
{
    QList<MessageSummary> messages;
    QList<SessionRecord> sessions;
};

} // namespace

MainWindow::MainWindow(MessageStore *store, SmtpService *service, const DesktopSettings &settings,
                       const SmtpLimits &limits, QWidget *parent)
    : QMainWindow(parent), m_store(store), m_service(service),
      m_messages(new MessageListModel(this)),
      m_messageProxy(new MessageFilterModel(m_messages, this)),
      m_sessions(new SessionListModel(this)), m_rate(new MessageRateMeter(this)),
      m_work(new BackgroundWork(1, this)), m_listTabs(new QTabWidget(this)),
      m_messageView(new MessageTableView(store, this)),
      m_sessionsPane(new SessionsPane(m_sessions, store, this)),
      m_inspector(new MessageInspector(store, settings.safePreview, this)),
      m_splitter(new QSplitter(Qt::Horizontal, this)), m_notice(new NoticeBar(this)),
      m_status(new ServerStatusBar(this)),
      m_server(new ServerControl(this, service, store, settings, limits, m_status)),
      m_exports(
          new ExportActions(this, store, m_inspector, m_messageView, m_messages, m_work, m_status)),
      m_releases(new ReleaseActions(this, store, m_messageView)), m_search(new QLineEdit(this))
{
    setWindowTitle(QStringLiteral("smtpeek"));
    setWindowIcon(Icons::app());
    setAcceptDrops(true);
    m_inspector->checks()->setSpamAssassin(settings.spamAssassin);
    m_inspector->checks()->setDkimKeysFile(settings.dkimKeysFile);

    m_messageView->setModel(m_messageProxy);
    m_messageView->sortByColumn(MessageListModel::Received, Qt::DescendingOrder);
    QHeaderView *header = m_messageView->horizontalHeader();
    header->setSectionResizeMode(MessageListModel::Attachment, QHeaderView::Fixed);
    header->setSectionResizeMode(MessageListModel::Warnings, QHeaderView::Fixed);
    header->setSectionResizeMode(MessageListModel::Relay, QHeaderView::Fixed);
    header->resizeSection(MessageListModel::Attachment, 24);
    header->resizeSection(MessageListModel::Warnings, 28);
    header->resizeSection(MessageListModel::Received, 78);
    header->resizeSection(MessageListModel::From, 145);
    header->resizeSection(MessageListModel::To, 115);
    header->resizeSection(MessageListModel::Size, 60);
    // The subject takes whatever width is left, so the list never needs a horizontal scroll.
    header->setSectionResizeMode(MessageListModel::Subject, QHeaderView::Stretch);
    header->moveSection(MessageListModel::Attachment, MessageListModel::Size);

    m_listTabs->addTab(m_messageView, tr("Messages"));
    m_listTabs->addTab(m_sessionsPane, tr("Sessions"));
    m_listTabs->setDocumentMode(true);
    m_splitter->addWidget(m_listTabs);
    m_splitter->addWidget(m_inspector);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 0);
    layout->addWidget(m_notice);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    setStatusBar(m_status);
    m_mailboxes = new MailboxPane(store, this);
    auto *mailboxDock = new QDockWidget(tr("Mailboxes"), this);
    mailboxDock->setObjectName(QStringLiteral("mailboxes")); // for QMainWindow::restoreState
    mailboxDock->setFeatures(QDockWidget::DockWidgetMovable);
    mailboxDock->setWidget(m_mailboxes);
    addDockWidget(Qt::LeftDockWidgetArea, mailboxDock);
    connect(m_mailboxes, &MailboxPane::mailboxChosen, m_messageProxy,
            &MessageFilterModel::setMailbox);

    createActions();
    createToolBar();
    createMenus();
    connectStore();
    connectServer();

    connect(m_messageView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::onCurrentMessageChanged);
    connect(m_messageView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::updateActions);
    connect(m_messageView, &QAbstractItemView::activated, this,
            [this] { m_inspector->tabs()->setFocus(); });
    connect(m_inspector, &MessageInspector::sessionRequested, this, &MainWindow::showSession);
    connect(m_inspector, &MessageInspector::statusMessage, this,
            [this](const QString &text) { m_status->showMessage(text, 5000); });
    connect(m_inspector, &MessageInspector::loaded, this, &MainWindow::updateActions);
    connect(m_sessionsPane, &SessionsPane::messageRequested, this, &MainWindow::showMessage);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString &text) {
        m_messageProxy->setSearchText(text);
        m_sessionsPane->setSearchText(text);
    });
    for (QAbstractItemModel *model : {static_cast<QAbstractItemModel *>(m_messages),
                                      static_cast<QAbstractItemModel *>(m_sessions)}) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updateCounts);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updateCounts);
        connect(model, &QAbstractItemModel::modelReset, this, &MainWindow::updateCounts);
    }
    connect(m_messages, &MessageListModel::unreadCountChanged, this, [this](int unread) {
        m_status->setUnread(unread);
        setWindowTitle(unread > 0 ? tr("smtpeek (%1 unread)").arg(unread)
                                  : QStringLiteral("smtpeek"));
        if (m_tray)
            m_tray->setUnreadCount(unread);
    });
    connect(m_rate, &MessageRateMeter::rateChanged, m_status, &ServerStatusBar::setRate);

    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new TrayIcon(m_server->startStopAction(), m_quit, this);
        m_tray->setNotificationsEnabled(settings.notifyNewMail);
        connect(m_tray, &TrayIcon::showWindowRequested, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
        connect(m_messages, &MessageListModel::messagesArrived, m_tray, &TrayIcon::messagesArrived);
        m_tray->show();
    }

    connect(m_server, &ServerControl::startFailed, this, &MainWindow::showStartProblem);
    connect(m_server, &ServerControl::started, this, [this] {
        if (m_startProblemShown) // other notices, such as skipped settings, stay
            m_notice->hide();
        m_startProblemShown = false;
    });
    connect(m_server, &ServerControl::settingsEdited, this, &MainWindow::settingsEdited);
    connect(m_server, &ServerControl::settingsEdited, this,
            [this](const DesktopSettings &, const DesktopSettings &after) {
                if (m_tray)
                    m_tray->setNotificationsEnabled(after.notifyNewMail);
            });
    connect(m_exports, &ExportActions::failed, this, &MainWindow::showError);

    restoreState();
    updateCounts();
    updateActions();
}

MainWindow::~MainWindow() = default;

void MainWindow::createActions()
{
    const auto action = [this](const QString &text, const QKeySequence &shortcut,
                               void (MainWindow::*slot)()) {
        auto *a = new QAction(text, this);
        if (!shortcut.isEmpty())
            a->setShortcut(shortcut);
        if (slot)
            connect(a, &QAction::triggered, this, slot);
        addAction(a);
        return a;
    };
    m_open = action(tr("&Open .eml File…"), QKeySequence::Open, &MainWindow::openFileDialog);
    m_delete = action(tr("&Delete"), QKeySequence::Delete, &MainWindow::deleteSelected);
    m_delete->setIcon(style()->standardIcon(QStyle::SP_TrashIcon));
    m_delete->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_messageView->addAction(m_delete);
    removeAction(m_delete);
    m_clear = action(tr("C&lear All…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete),
                     &MainWindow::clearAll);
    m_clear->setIcon(style()->standardIcon(QStyle::SP_DialogResetButton));
    m_markRead = action(tr("Mark as &Read"), QKeySequence(Qt::CTRL | Qt::Key_R), nullptr);
    connect(m_markRead, &QAction::triggered, this, [this] { markSelected(true); });
    m_markUnread = action(tr("Mark as &Unread"), QKeySequence(Qt::CTRL | Qt::Key_U), nullptr);
    connect(m_markUnread, &QAction::triggered, this, [this] { markSelected(false); });
    m_tag = action(tr("&Tag..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T), nullptr);
    connect(m_tag, &QAction::triggered, this,
            [this] { m_mailboxes->tagMessages(m_messageView->selectedIds()); });
    m_find = action(tr("&Search Messages"), QKeySequence::Find, nullptr);
    connect(m_find, &QAction::triggered, this, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    m_findInSource =
        action(tr("Find in Raw Source"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), nullptr);
    connect(m_findInSource, &QAction::triggered, this, [this] {
        m_inspector->tabs()->setCurrentIndex(MessageInspector::RawTab);
        m_inspector->raw()->focusFindField();
    });
    m_goToSession = action(tr("Go to &Session of Message"), QKeySequence(Qt::CTRL | Qt::Key_J),
                           &MainWindow::goToSessionOfMessage);
    m_toggleHtml = action(tr("Toggle &HTML / Text"), QKeySequence(Qt::CTRL | Qt::Key_T), nullptr);
    connect(m_toggleHtml, &QAction::triggered, m_inspector->preview(), &MessagePreview::toggleMode);
    m_showMessages = action(tr("&Messages"), QKeySequence(Qt::CTRL | Qt::Key_1), nullptr);
    connect(m_showMessages, &QAction::triggered, this, [this] {
        m_listTabs->setCurrentIndex(0);
        m_messageView->setFocus();
    });
    m_showSessions = action(tr("S&essions"), QKeySequence(Qt::CTRL | Qt::Key_2), nullptr);
    connect(m_showSessions, &QAction::triggered, this, [this] {
        m_listTabs->setCurrentIndex(1);
        m_sessionsPane->table()->setFocus();
    });
    m_quit = action(tr("&Quit"), QKeySequence::Quit, nullptr);
    connect(m_quit, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Server"));
    bar->setObjectName(QStringLiteral("serverToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_server->addToToolBar(bar);
    bar->addSeparator();
    bar->addAction(m_delete);
    bar->addAction(m_clear);
    bar->addAction(m_releases->release);
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_search->setPlaceholderText(tr("Search from, to, subject (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(260);
    bar->addWidget(m_search);
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_open);
    file->addAction(m_exports->saveEml);
    file->addAction(m_exports->saveAttachments);
    file->addSeparator();
    file->addAction(m_exports->exportSelectedEml);
    file->addAction(m_exports->exportSelectedMbox);
    file->addAction(m_exports->exportAllEml);
    file->addAction(m_exports->exportAllMbox);
    file->addSeparator();
    file->addAction(m_server->settingsAction());
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_exports->copyRaw);
    edit->addAction(m_releases->release);
    edit->addSeparator();
    edit->addAction(m_markRead);
    edit->addAction(m_markUnread);
    edit->addAction(m_tag);
    edit->addSeparator();
    edit->addAction(m_delete);
    edit->addAction(m_clear);
    edit->addSeparator();
    edit->addAction(m_find);
    edit->addAction(m_findInSource);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_showMessages);
    view->addAction(m_showSessions);
    view->addAction(m_goToSession);
    view->addSeparator();
    view->addAction(m_toggleHtml);

    m_serverMenu = menuBar()->addMenu(tr("&Server"));
    m_serverMenu->addAction(m_server->startStopAction());

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About smtpeek"), this, [this] { showAboutDialog(this); });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    // The list's context menu offers what applies to the selection.
    m_messageView->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    auto *separator2 = new QAction(this);
    separator2->setSeparator(true);
    m_messageView->addActions({m_exports->saveEml, m_exports->copyRaw, m_releases->release,
                               m_goToSession, separator, m_markRead, m_markUnread, m_tag,
                               separator2, m_exports->exportSelectedEml,
                               m_exports->exportSelectedMbox});
}

void MainWindow::connectStore()
{
    // The store signals from its own thread.
    connect(m_store, &MessageStore::messageStored, this, &MainWindow::onMessageStored,
            Qt::QueuedConnection);
    connect(m_store, &MessageStore::messagesRemoved, this, &MainWindow::onMessagesRemoved,
            Qt::QueuedConnection);
    connect(m_store, &MessageStore::readChanged, m_messages, &MessageListModel::setRead,
            Qt::QueuedConnection);
    connect(
        m_store, &MessageStore::tagsChanged, m_messages,
        [this](const QList<qint64> &ids) { m_messages->setTags(m_store->tagsOf(ids)); },
        Qt::QueuedConnection);
    connect(
        m_store, &MessageStore::deliverySaved, m_messages,
        [this](const DeliveryRecord &d) { m_messages->setRelay(d.messageId, relayMarkOf(d.status)); },
        Qt::QueuedConnection);
    connect(
        m_store, &MessageStore::cleared, this,
        [this] {
            m_messages->clear();
            m_sessions->removeEnded();
            m_inspector->clear();
        },
        Qt::QueuedConnection);
}

void MainWindow::connectServer()
{
    connect(m_service, &SmtpService::sessionStarted, m_sessions, &SessionListModel::sessionStarted);
    connect(m_service, &SmtpService::transcriptAppended, m_sessions,
            &SessionListModel::appendTranscript);
    connect(m_service, &SmtpService::sessionEnded, m_sessions, &SessionListModel::sessionEnded);
}

void MainWindow::loadStoredMail()
{
    const MessageStore *store = m_store;
    m_work->run<StoredMail>(
        [store] {
            StoredMail mail;
            mail.messages =
                store->messages(0, store->messageCount() + 1000, MessageStore::Order::OldestFirst);
            mail.sessions =
                store->sessions(0, store->sessionCount() + 1000, MessageStore::Order::OldestFirst);
            return mail;
        },
        [this](const StoredMail &mail) {
            m_messages->insertNow(mail.messages);
            m_sessions->insertNow(mail.sessions);
            // Selecting restores the tab of the selection; the restored tab wins.
            const int listTab = m_listTabs->currentIndex();
            if (m_restoreMessage > 0)
                showMessage(std::exchange(m_restoreMessage, 0));
            if (m_restoreSession > 0)
                m_sessionsPane->selectSession(std::exchange(m_restoreSession, 0));
            m_listTabs->setCurrentIndex(listTab);
            Q_EMIT storedMailLoaded();
        });
}

bool MainWindow::startServer()
{
    return m_server->start();
}

void MainWindow::stopServer()
{
    m_server->stop();
}

QAction *MainWindow::startStopAction() const
{
    return m_server->startStopAction();
}

QLineEdit *MainWindow::addressField() const
{
    return m_server->addressField();
}

QSpinBox *MainWindow::portField() const
{
    return m_server->portField();
}

void MainWindow::updateCounts()
{
    m_status->setCounts(m_messages->rowCount(), m_sessions->rowCount());
    updateActions();
}

void MainWindow::setRelay(DeliveryQueue *relay)
{
    m_releases->setRelay(relay);
}

void MainWindow::updateActions()
{
    const bool selected = m_messageView->selectionModel()->hasSelection();
    const bool shown = m_inspector->current() != nullptr;
    const bool any = m_messages->rowCount() > 0;
    m_exports->updateEnabled(shown, selected);
    m_releases->updateEnabled(selected);
    m_goToSession->setEnabled(shown && m_inspector->currentId() > 0);
    m_delete->setEnabled(selected);
    m_markRead->setEnabled(selected);
    m_markUnread->setEnabled(selected);
    m_tag->setEnabled(selected);
    m_clear->setEnabled(any || m_sessions->rowCount() > 0);
}

void MainWindow::onCurrentMessageChanged()
{
    const qint64 id = m_messageView->currentId();
    if (id == 0)
        return; // keep what the inspector shows (an opened file, for instance)
    m_inspector->showStored(id);
    const int row = m_messages->rowOfId(id);
    if (row >= 0 && !m_messages->isRead(row))
        m_store->setRead({id}, true);
}

void MainWindow::onMessageStored(const MessageSummary &summary)
{
    m_messages->enqueue(summary);
    m_sessions->messageStored(summary.sessionId);
    m_sessionsPane->noteMessage(summary);
    m_rate->add(1);
}

void MainWindow::onMessagesRemoved(const QList<qint64> &ids)
{
    const int currentRow = m_messageView->currentIndex().row();
    const bool currentGone = ids.contains(m_inspector->currentId());
    m_messages->removeIds(ids);
    if (currentGone) {
        m_inspector->clear();
        // Keep the user's place: the row that took the deleted one's position.
        const int rows = m_messageProxy->rowCount();
        if (rows > 0 && currentRow >= 0) {
            const QModelIndex next = m_messageProxy->index(qMin(currentRow, rows - 1), 0);
            m_messageView->selectionModel()->setCurrentIndex(
                next, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    }
}

void MainWindow::deleteSelected()
{
    const QList<qint64> ids = m_messageView->selectedIds();
    if (!ids.isEmpty())
        m_store->removeMessages(ids);
}

void MainWindow::clearAll()
{
    const int count = m_messages->rowCount();
    const auto answer = QMessageBox::question(
        this, tr("Clear all"),
        tr("Delete %1 and every session that has ended? This cannot be undone.")
            .arg(count == 1 ? tr("the only message")
                            : tr("all %1").arg(countText(count, "message", "messages"))),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        m_store->clear();
}

void MainWindow::markSelected(bool read)
{
    const QList<qint64> ids = m_messageView->selectedIds();
    if (!ids.isEmpty())
        m_store->setRead(ids, read);
}

void MainWindow::openFileDialog()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Open message"), QDir::homePath(),
                                     tr("Mail messages (*.eml *.msg *.txt);;All files (*)"));
    if (!path.isEmpty())
        openFile(path);
}

void MainWindow::openFile(const QString &path)
{
    m_messageView->selectionModel()->clearCurrentIndex();
    m_messageView->clearSelection();
    m_inspector->showFile(path);
}

void MainWindow::showMessage(qint64 id)
{
    const int row = m_messages->rowOfId(id);
    if (row < 0) {
        m_inspector->showStored(id); // not listed (yet): show it anyway
        return;
    }
    if (!m_messageProxy->mapFromSource(m_messages->index(row, 0)).isValid())
        m_search->clear(); // hidden by the search
    const QModelIndex index = m_messageProxy->mapFromSource(m_messages->index(row, 0));
    m_listTabs->setCurrentIndex(0);
    m_messageView->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                                QItemSelectionModel::Rows);
    m_messageView->scrollTo(index);
}

void MainWindow::showSession(qint64 id)
{
    m_listTabs->setCurrentIndex(1);
    m_sessionsPane->selectSession(id);
}

void MainWindow::goToSessionOfMessage()
{
    if (const LoadedMessage *message = m_inspector->current(); message && !message->isFromFile())
        showSession(message->record.sessionId);
}

void MainWindow::showError(const QString &text)
{
    m_notice->removeActions();
    m_notice->showMessage(NoticeBar::Kind::Error, text);
    m_startProblemShown = false;
}

void MainWindow::showWarning(const QString &text)
{
    m_notice->removeActions();
    m_notice->showMessage(NoticeBar::Kind::Warning, text);
    m_startProblemShown = false;
}

void MainWindow::showStartProblem(const QString &text)
{
    showError(text);
    m_startProblemShown = true;
}

void MainWindow::restoreState()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("window"));
    if (!restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray()))
        resize(1280, 800);
    QMainWindow::restoreState(settings.value(QStringLiteral("state")).toByteArray());
    if (!m_splitter->restoreState(settings.value(QStringLiteral("splitter")).toByteArray()))
        m_splitter->setSizes({660, 620});
    m_sessionsPane->splitter()->restoreState(
        settings.value(QStringLiteral("sessionsSplitter")).toByteArray());
    m_messageView->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("messageColumns")).toByteArray());
    m_sessionsPane->table()->horizontalHeader()->restoreState(
        settings.value(QStringLiteral("sessionColumns")).toByteArray());
    m_listTabs->setCurrentIndex(settings.value(QStringLiteral("listTab"), 0).toInt());
    m_inspector->tabs()->setCurrentIndex(settings.value(QStringLiteral("inspectorTab"), 0).toInt());
    m_restoreMessage = settings.value(QStringLiteral("selectedMessage"), 0).toLongLong();
    m_restoreSession = settings.value(QStringLiteral("selectedSession"), 0).toLongLong();
    settings.endGroup();
}

void MainWindow::saveState()
{
    QSettings settings;
    settings.beginGroup(QStringLiteral("window"));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), QMainWindow::saveState());
    settings.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("sessionsSplitter"), m_sessionsPane->splitter()->saveState());
    settings.setValue(QStringLiteral("messageColumns"),
                      m_messageView->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("sessionColumns"),
                      m_sessionsPane->table()->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("listTab"), m_listTabs->currentIndex());
    settings.setValue(QStringLiteral("inspectorTab"), m_inspector->tabs()->currentIndex());
    settings.setValue(QStringLiteral("selectedMessage"), m_inspector->currentId());
    settings.setValue(QStringLiteral("selectedSession"), m_sessionsPane->currentSessionId());
    settings.endGroup();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveState();
    // Sessions get their 421 while the event loop still runs.
    m_service->stop();
    if (m_tray)
        m_tray->hide();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->source() == nullptr && event->mimeData()->hasUrls()) {
        for (const QUrl &url : event->mimeData()->urls()) {
            if (url.isLocalFile()) {
                event->acceptProposedAction();
                return;
            }
        }
    }
}

void MainWindow::dropEvent(QDropEvent *event)
{
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            openFile(url.toLocalFile());
            event->acceptProposedAction();
            return;
        }
    }
}
