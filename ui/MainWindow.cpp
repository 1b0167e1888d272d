#include "MainWindow.h"

#include "AboutDialog.h"
#include "BackgroundWork.h"
#include "CountText.h"
#include "Icons.h"
#include "MessageExport.h"
#include "MessageFilterModel.h"
#include "MessageInspector.h"
#include "MessageListModel.h"
#include "MessagePreview.h"
#include "MessageRateMeter.h"
#include "MessageTableView.h"
#include "NoticeBar.h"
#include "Options.h"
#include "PartsPane.h"
#include "RawSourceView.h"
#include "ServerStatusBar.h"
#include "SessionListModel.h"
#include "SessionsPane.h"
#include "SettingsDialog.h"
#include "TrayIcon.h"
#include "server/SecurityOptions.h"
#include "server/SmtpService.h"
#include "store/MessageStore.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QSysInfo>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace {
struct StoredMail
{
    QList<MessageSummary> messages;
    QList<SessionRecord> sessions;
};

struct ExportResult
{
    int written = -1;
    QString error;
    QString target;
};

} // namespace

MainWindow::MainWindow(MessageStore *store, SmtpService *service, const DesktopSettings &settings,
                       const SmtpLimits &limits, QWidget *parent)
    : QMainWindow(parent), m_store(store), m_service(service), m_settings(settings),
      m_limits(limits), m_messages(new MessageListModel(this)),
      m_messageProxy(new MessageFilterModel(m_messages, this)),
      m_sessions(new SessionListModel(this)), m_rate(new MessageRateMeter(this)),
      m_work(new BackgroundWork(1, this)), m_listTabs(new QTabWidget(this)),
      m_messageView(new MessageTableView(store, this)),
      m_sessionsPane(new SessionsPane(m_sessions, store, this)),
      m_inspector(new MessageInspector(store, settings.safePreview, this)),
      m_splitter(new QSplitter(Qt::Horizontal, this)), m_notice(new NoticeBar(this)),
      m_status(new ServerStatusBar(this)), m_address(new QLineEdit(this)),
      m_port(new QSpinBox(this)), m_serverState(new QLabel(this)), m_search(new QLineEdit(this))
{
    setWindowTitle(QStringLiteral("smtpeek"));
    setWindowIcon(Icons::app());
    setAcceptDrops(true);

    m_messageView->setModel(m_messageProxy);
    m_messageView->sortByColumn(MessageListModel::Received, Qt::DescendingOrder);
    QHeaderView *header = m_messageView->horizontalHeader();
    header->setSectionResizeMode(MessageListModel::Attachment, QHeaderView::Fixed);
    header->setSectionResizeMode(MessageListModel::Warnings, QHeaderView::Fixed);
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
        m_tray = new TrayIcon(m_startStop, m_quit, this);
        m_tray->setNotificationsEnabled(settings.notifyNewMail);
        connect(m_tray, &TrayIcon::showWindowRequested, this, [this] {
            showNormal();
            raise();
            activateWindow();
        });
        connect(m_messages, &MessageListModel::messagesArrived, m_tray, &TrayIcon::messagesArrived);
        m_tray->show();
    }

    restoreState();
    updateServerState();
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
    m_startStop =
        action(tr("Start"), QKeySequence(Qt::CTRL | Qt::Key_L), &MainWindow::toggleServer);
    m_open = action(tr("&Open .eml File…"), QKeySequence::Open, &MainWindow::openFileDialog);
    m_saveEml =
        action(tr("&Save Message as .eml…"), QKeySequence::Save, &MainWindow::saveCurrentAsEml);
    m_exportSelectedEml =
        action(tr("Export Selected to Folder…"), QKeySequence(Qt::CTRL | Qt::Key_E), nullptr);
    connect(m_exportSelectedEml, &QAction::triggered, this,
            [this] { exportMessages(m_messageView->selectedIds(), false); });
    m_exportSelectedMbox = action(tr("Export Selected as mbox…"),
                                  QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), nullptr);
    connect(m_exportSelectedMbox, &QAction::triggered, this,
            [this] { exportMessages(m_messageView->selectedIds(), true); });
    const auto allIds = [this] {
        QList<qint64> ids;
        ids.reserve(m_messages->rowCount());
        for (int row = 0; row < m_messages->rowCount(); ++row)
            ids.append(m_messages->idAt(row));
        return ids;
    };
    m_exportAllEml = action(tr("Export All to Folder…"), QKeySequence(), nullptr);
    connect(m_exportAllEml, &QAction::triggered, this,
            [this, allIds] { exportMessages(allIds(), false); });
    m_exportAllMbox = action(tr("Export All as mbox…"), QKeySequence(), nullptr);
    connect(m_exportAllMbox, &QAction::triggered, this,
            [this, allIds] { exportMessages(allIds(), true); });
    m_saveAttachments =
        action(tr("Save &Attachments…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S), nullptr);
    connect(m_saveAttachments, &QAction::triggered, m_inspector->parts(),
            &PartsPane::saveAllAttachments);
    m_copyRaw = action(tr("Copy Raw Source"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
                       &MainWindow::copyRawSource);
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
    m_settingsAction =
        action(tr("Se&ttings…"), QKeySequence::Preferences, &MainWindow::editSettings);
    if (m_settingsAction->shortcut().isEmpty())
        m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_quit = action(tr("&Quit"), QKeySequence::Quit, nullptr);
    connect(m_quit, &QAction::triggered, this, &QWidget::close);
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Server"));
    bar->setObjectName(QStringLiteral("serverToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_startStop);
    bar->addWidget(m_serverState);
    bar->addSeparator();
    auto *listen = new QLabel(tr(" Listen on "), bar);
    bar->addWidget(listen);
    m_address->setMaximumWidth(150);
    m_address->setToolTip(tr("Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 "
                             "for every interface"));
    bar->addWidget(m_address);
    bar->addWidget(new QLabel(QStringLiteral(" : "), bar));
    m_port->setRange(0, 65535);
    m_port->setToolTip(tr("SMTP port (0 picks a free one)"));
    bar->addWidget(m_port);
    bar->addSeparator();
    bar->addAction(m_delete);
    bar->addAction(m_clear);
    auto *spacer = new QWidget(bar);
    spacer->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    bar->addWidget(spacer);
    m_search->setPlaceholderText(tr("Search from, to, subject (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(260);
    bar->addWidget(m_search);

    m_address->setText(m_settings.listenAddress);
    m_port->setValue(m_settings.listenPort);
    connect(m_address, &QLineEdit::textEdited, this, [this] { m_listenEdited = true; });
    connect(m_address, &QLineEdit::returnPressed, this, &MainWindow::startServer);
    connect(m_port, &QSpinBox::valueChanged, this, [this] { m_listenEdited = true; });
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_open);
    file->addAction(m_saveEml);
    file->addAction(m_saveAttachments);
    file->addSeparator();
    file->addAction(m_exportSelectedEml);
    file->addAction(m_exportSelectedMbox);
    file->addAction(m_exportAllEml);
    file->addAction(m_exportAllMbox);
    file->addSeparator();
    file->addAction(m_settingsAction);
    file->addSeparator();
    file->addAction(m_quit);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_copyRaw);
    edit->addSeparator();
    edit->addAction(m_markRead);
    edit->addAction(m_markUnread);
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

    QMenu *server = menuBar()->addMenu(tr("&Server"));
    server->addAction(m_startStop);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About smtpeek"), this, [this] { showAboutDialog(this); });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);

    // The list's context menu offers what applies to the selection.
    m_messageView->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto *separator = new QAction(this);
    separator->setSeparator(true);
    auto *separator2 = new QAction(this);
    separator2->setSeparator(true);
    m_messageView->addActions({m_saveEml, m_copyRaw, m_goToSession, separator, m_markRead,
                               m_markUnread, separator2, m_exportSelectedEml,
                               m_exportSelectedMbox});
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
    connect(m_service, &SmtpService::listeningChanged, this, &MainWindow::updateServerState);
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
    if (m_service->isListening())
        return true;
    QHostAddress address;
    const QString addressText = m_address->text().trimmed();
    if (addressText.compare(u"localhost", Qt::CaseInsensitive) == 0)
        address = QHostAddress::LocalHost;
    else if (!address.setAddress(addressText)) {
        showStartProblem(
            tr("“%1” is not an IP address. Use 127.0.0.1 for this machine or 0.0.0.0 for "
               "every interface.")
                .arg(addressText));
        return false;
    }
    const QString hostname =
        m_settings.hostname.isEmpty() ? QSysInfo::machineHostName() : m_settings.hostname;
    SessionConfig config;
    config.hostname = hostname.toUtf8();
    config.limits = m_limits;
    config.limits.maxMessageSize = m_settings.maxMessageSize;
    QString error;
    QString fingerprint;
    if (!applySecurityOptions(m_settings.security, hostname, &config, &error, &fingerprint)) {
        showStartProblem(tr("TLS or AUTH settings cannot be used: %1").arg(error));
        return false;
    }
    const std::optional<quint16> smtpsPort =
        m_settings.smtpsPort ? std::optional<quint16>(m_settings.smtpsPort) : std::nullopt;
    if (!m_service->start(address, quint16(m_port->value()), config, &error, smtpsPort)) {
        showStartProblem(tr("Could not listen on %1: %2. Choose another address or port and press "
                            "Start.")
                             .arg(formatListenAddress(address, quint16(m_port->value())), error));
        updateServerState();
        return false;
    }
    if (m_startProblemShown) // other notices, such as skipped settings, stay
        m_notice->hide();
    m_startProblemShown = false;
    if (m_listenEdited) {
        const DesktopSettings previous = m_settings;
        m_settings.listenAddress = addressText;
        m_settings.listenPort = quint16(m_port->value());
        m_listenEdited = false;
        Q_EMIT settingsEdited(previous, m_settings);
    }
    updateServerState();
    return true;
}

void MainWindow::stopServer()
{
    m_service->stop();
    updateServerState();
}

void MainWindow::toggleServer()
{
    if (m_service->isListening())
        stopServer();
    else
        startServer();
}

void MainWindow::updateServerState()
{
    const bool listening = m_service->isListening();
    m_startStop->setText(listening ? tr("Stop") : tr("Start"));
    m_startStop->setIcon(listening ? Icons::stop() : Icons::start());
    m_startStop->setToolTip(listening ? tr("Stop listening (Ctrl+L)")
                                      : tr("Start listening for SMTP (Ctrl+L)"));
    const QString address = formatListenAddress(m_service->address(), m_service->port());
    m_serverState->setText(listening ? tr("<b style='color:#2e7d32'>● Listening</b>")
                                     : tr("<b style='color:#8a8a8a'>● Stopped</b>"));
    m_address->setEnabled(!listening);
    m_port->setEnabled(!listening);
    if (listening && m_port->value() != m_service->port()) {
        const QSignalBlocker blocker(m_port); // port 0 became a real port: not a user edit
        m_port->setValue(m_service->port());
    }
    m_status->setListening(listening, address);
}

void MainWindow::updateCounts()
{
    m_status->setCounts(m_messages->rowCount(), m_sessions->rowCount());
    updateActions();
}

void MainWindow::updateActions()
{
    const bool selected = m_messageView->selectionModel()->hasSelection();
    const bool shown = m_inspector->current() != nullptr;
    const bool any = m_messages->rowCount() > 0;
    m_saveEml->setEnabled(shown);
    m_copyRaw->setEnabled(shown);
    m_saveAttachments->setEnabled(shown);
    m_goToSession->setEnabled(shown && m_inspector->currentId() > 0);
    m_delete->setEnabled(selected);
    m_markRead->setEnabled(selected);
    m_markUnread->setEnabled(selected);
    m_exportSelectedEml->setEnabled(selected);
    m_exportSelectedMbox->setEnabled(selected);
    m_exportAllEml->setEnabled(any);
    m_exportAllMbox->setEnabled(any);
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

void MainWindow::saveCurrentAsEml()
{
    const LoadedMessage *message = m_inspector->current();
    if (!message)
        return;
    const QString name = emlFileName(message->record.headline.subject, message->record.id);
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save message"), QDir::home().filePath(name), tr("Mail messages (*.eml)"));
    if (path.isEmpty())
        return;
    QString error;
    if (saveBytes(path, message->record.raw, &error))
        m_status->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(path)), 5000);
    else
        showError(error);
}

void MainWindow::exportMessages(const QList<qint64> &ids, bool mbox)
{
    if (ids.isEmpty())
        return;
    QString target =
        mbox ? QFileDialog::getSaveFileName(this, tr("Export as mbox"),
                                            QDir::home().filePath(QStringLiteral("smtpeek.mbox")),
                                            tr("mbox files (*.mbox);;All files (*)"))
             : QFileDialog::getExistingDirectory(this, tr("Export to folder"), QDir::homePath());
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
                showError(tr("Export failed, nothing was written. %1").arg(result.error));
                return;
            }
            m_status->showMessage(tr("Exported %1 to %2")
                                      .arg(countText(result.written, "message", "messages"),
                                           QDir::toNativeSeparators(result.target)),
                                  8000);
        });
}

void MainWindow::copyRawSource()
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

void MainWindow::editSettings()
{
    SettingsDialog dialog(m_settings, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const DesktopSettings previous = m_settings;
    m_settings = dialog.settings();
    Q_EMIT settingsEdited(previous, m_settings);
    m_store->setRetention({m_settings.retainMessages, m_settings.retainSessions});
    if (m_tray)
        m_tray->setNotificationsEnabled(m_settings.notifyNewMail);
    if (!m_service->isListening()) {
        m_address->setText(m_settings.listenAddress);
        m_port->setValue(m_settings.listenPort);
        m_listenEdited = false;
    }
    if (m_settings.memoryStore != previous.memoryStore ||
        m_settings.databasePath != previous.databasePath ||
        m_settings.safePreview != previous.safePreview) {
        m_status->showMessage(tr("Storage and safe-mode changes apply at the next launch."), 8000);
    }
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
