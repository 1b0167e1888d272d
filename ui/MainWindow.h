#pragma once

#include "DesktopSettings.h"
#include "server/SmtpSession.h"

#include <QMainWindow>
#include <optional>

class BackgroundWork;
class DeliveryQueue;
class ExportActions;
class MessageFilterModel;
class MessageInspector;
class MessageListModel;
class MessageRateMeter;
class MessageStore;
class MessageTableView;
class NoticeBar;
class QAction;
class ReleaseActions;
class MailboxPane;
class QMenu;
class QLineEdit;
class QSpinBox;
class QSplitter;
class QTabWidget;
class ServerControl;
class ServerStatusBar;
class SessionListModel;
class SessionsPane;
class SmtpService;
class TrayIcon;
struct MessageSummary;

// The desktop window. It only wires: the toolbar and menus drive the SMTP service and the
// store; the store's and the server's signals feed the list models; the selection feeds the
// inspector. Window layout and selections are restored from QSettings on the next launch;
// settings edits are announced for the config file.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    MainWindow(MessageStore *store, SmtpService *service, const DesktopSettings &settings,
               const SmtpLimits &limits, QWidget *parent = nullptr);
    ~MainWindow() override;

    // A problem the user should see, in the bar above the lists.
    void showError(const QString &text);
    void showWarning(const QString &text);

    // Listens on the toolbar's address and port; on failure shows why in the window.
    bool startServer();
    void stopServer();
    // Fills the lists with the mail already in the store (in a worker thread).
    void loadStoredMail();
    void openFile(const QString &path);
    void showMessage(qint64 id);
    void showSession(qint64 id);
    // Enables "Release…" through this relay (none: disabled).
    void setRelay(DeliveryQueue *relay);
    ReleaseActions *releases() const { return m_releases; }

    MessageListModel *messageModel() const { return m_messages; }
    MessageFilterModel *messageProxy() const { return m_messageProxy; }
    MessageTableView *messageView() const { return m_messageView; }
    SessionListModel *sessionModel() const { return m_sessions; }
    SessionsPane *sessionsPane() const { return m_sessionsPane; }
    MessageInspector *inspector() const { return m_inspector; }
    ServerStatusBar *serverStatus() const { return m_status; }
    NoticeBar *notice() const { return m_notice; }
    // Where the app adds the server's other windows (Rules).
    QMenu *serverMenu() const { return m_serverMenu; }
    QAction *startStopAction() const;
    QLineEdit *addressField() const;
    QSpinBox *portField() const;
    QLineEdit *searchField() const { return m_search; }
    MailboxPane *mailboxes() const { return m_mailboxes; }
    QTabWidget *listTabs() const { return m_listTabs; }

Q_SIGNALS:
    void storedMailLoaded();
    // The user changed settings, in the dialog or by starting on an edited address or port.
    void settingsEdited(const DesktopSettings &before, const DesktopSettings &after);

protected:
    void closeEvent(QCloseEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void createActions();
    void createToolBar();
    void createMenus();
    void connectStore();
    void connectServer();
    void restoreState();
    void saveState();

    void updateCounts();
    void updateActions();
    void onCurrentMessageChanged();
    void onMessageStored(const MessageSummary &summary);
    void onMessagesRemoved(const QList<qint64> &ids);
    void deleteSelected();
    void clearAll();
    void markSelected(bool read);
    void openFileDialog();
    void goToSessionOfMessage();
    void showStartProblem(const QString &text); // hidden again once the server starts

    MessageStore *m_store;
    SmtpService *m_service;
    bool m_startProblemShown = false;
    qint64 m_restoreMessage = 0;
    qint64 m_restoreSession = 0;

    MessageListModel *m_messages;
    MessageFilterModel *m_messageProxy;
    SessionListModel *m_sessions;
    MessageRateMeter *m_rate;
    BackgroundWork *m_work;

    QTabWidget *m_listTabs;
    MessageTableView *m_messageView;
    SessionsPane *m_sessionsPane;
    MessageInspector *m_inspector;
    QSplitter *m_splitter;
    NoticeBar *m_notice;
    ServerStatusBar *m_status;
    TrayIcon *m_tray = nullptr;
    ServerControl *m_server;
    ExportActions *m_exports;
    ReleaseActions *m_releases;

    QLineEdit *m_search;

    QMenu *m_serverMenu = nullptr;
    QAction *m_open;
    QAction *m_delete;
    QAction *m_clear;
    QAction *m_markRead;
    QAction *m_markUnread;
    QAction *m_tag = nullptr;
    MailboxPane *m_mailboxes = nullptr; // the sidebar (a dock on the left)
    QAction *m_find;
    QAction *m_findInSource;
    QAction *m_goToSession;
    QAction *m_toggleHtml;
    QAction *m_showMessages;
    QAction *m_showSessions;
    QAction *m_quit;
};
