// The desktop window end to end: a real SMTP service on a loopback port, mail sent over a real
// socket, the store in memory, the window on the offscreen platform.

#include "EnvelopePane.h"
#include "HeaderTableModel.h"
#include "MainWindow.h"
#include "MessageFilterModel.h"
#include "MessageInspector.h"
#include "MessageListModel.h"
#include "MessagePreview.h"
#include "MessageTableView.h"
#include "NoticeBar.h"
#include "PartsPane.h"
#include "RawSourceView.h"
#include "ServerStatusBar.h"
#include "SessionListModel.h"
#include "SessionsPane.h"
#include "SmtpTestClient.h"
#include "TranscriptView.h"
#include "mime/MimeRuntime.h"
#include "server/SmtpService.h"
#include "store/MessageExport.h"
#include "store/StoreOpener.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDir>
#include <QFile>
#include <QHeaderView>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

namespace {
const QByteArray kMessage = "From: Alice Example <alice@example.com>\r\n"
                            "To: Bob <bob@example.org>\r\n"
                            "Subject: =?UTF-8?Q?Quarterly_r=C3=A9port?=\r\n"
                            "Date: Tue, 14 Nov 2023 10:00:00 +0000\r\n"
                            "Message-ID: <gui-test-1@example.com>\r\n"
                            "MIME-Version: 1.0\r\n"
                            "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
                            "\r\n"
                            "--b1\r\n"
                            "Content-Type: text/plain; charset=utf-8\r\n"
                            "\r\n"
                            "Hello Bob,\r\n"
                            ".a line that starts with a dot\r\n"
                            "--b1\r\n"
                            "Content-Type: application/pdf; name=\"report.pdf\"\r\n"
                            "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
                            "Content-Transfer-Encoding: base64\r\n"
                            "\r\n"
                            "JVBERi0xLjQKJcfsj6IK\r\n"
                            "--b1--\r\n";

QList<QAbstractItemModelTester *> testModels(MainWindow &window)
{
    QList<QAbstractItemModelTester *> testers;
    const auto mode = QAbstractItemModelTester::FailureReportingMode::QtTest;
    for (QAbstractItemModel *model :
         {static_cast<QAbstractItemModel *>(window.messageModel()),
          static_cast<QAbstractItemModel *>(window.messageProxy()),
          static_cast<QAbstractItemModel *>(window.sessionModel()),
          static_cast<QAbstractItemModel *>(window.sessionsPane()->proxy()),
          static_cast<QAbstractItemModel *>(window.inspector()->headers())})
        testers.append(new QAbstractItemModelTester(model, mode, &window));
    return testers;
}
} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void mailArrivesAndIsInspected();
    void transcriptFollowsAnActiveSession();
    void exportWritesExactBytes();
    void opensEmlFromDisk();
    void bindFailureIsShownAndAppStaysUsable();
    void stopClosesTheListener();
    void securitySettingsApply();
    void deleteAndMarkUnread();
    void undecodableMessageShowsRawAndWarnings();
    void sortChoiceIsKeptAcrossLaunches();
    void editedListenAddressIsAnnounced();
    void startingKeepsOtherNotices();

private:
    void startAndSend(const QByteArray &raw);
    std::unique_ptr<MainWindow> newWindow(); // over m_store and m_service

    MimeRuntime m_mime;
    std::unique_ptr<MessageStore> m_store;
    std::unique_ptr<SmtpService> m_service;
    std::unique_ptr<MainWindow> m_window;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("smtpeek-tests"));
}

std::unique_ptr<MainWindow> tst_MainWindow::newWindow()
{
    DesktopSettings settings;
    settings.safePreview = true; // Chromium has its own test
    settings.listenPort = 0;
    settings.notifyNewMail = false;
    return std::make_unique<MainWindow>(m_store.get(), m_service.get(), settings, SmtpLimits());
}

void tst_MainWindow::init()
{
    QString error;
    StoreOptions options;
    options.memory = true;
    m_store = openStore(options, &error);
    QVERIFY2(m_store, qPrintable(error));
    m_service = std::make_unique<SmtpService>(m_store.get());
    QSettings().remove(QStringLiteral("window")); // every test starts from the default layout
    m_window = newWindow();
    testModels(*m_window);
    m_window->show();
    m_window->loadStoredMail();
}

void tst_MainWindow::cleanup()
{
    m_window.reset();
    m_service.reset();
    m_store.reset();
}

void tst_MainWindow::startAndSend(const QByteArray &raw)
{
    m_window->portField()->setValue(0);
    m_window->startStopAction()->trigger();
    QVERIFY(m_service->isListening());
    QCOMPARE(m_window->startStopAction()->text(), QStringLiteral("Stop"));
    QVERIFY(!m_window->portField()->isEnabled());
    QVERIFY(m_window->serverStatus()->listeningText().contains(
        QStringLiteral("127.0.0.1:%1").arg(m_service->port())));
    auto client = sendMail(m_service->port(), "alice@example.com",
                           {"bob@example.org", "carol@example.net"}, raw);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->messageModel()->rowCount(), 1, 10000);
    QTRY_COMPARE(m_window->sessionModel()->rowCount(), 1);
    const SmtpTestResult result = client.get();
    QVERIFY2(result.ok, result.log.constData());
}

void tst_MainWindow::mailArrivesAndIsInspected()
{
    startAndSend(kMessage);
    MessageListModel *messages = m_window->messageModel();
    QCOMPARE(messages->index(0, MessageListModel::Subject).data().toString(),
             QString::fromUtf8("Quarterly réport"));
    QVERIFY(messages->index(0, MessageListModel::Attachment).data(Qt::DecorationRole).isValid());
    QVERIFY(!messages->isRead(0));
    QTRY_VERIFY(m_window->serverStatus()->countsText().contains(QStringLiteral("1 messages")));

    // The session's transcript, once the client has said QUIT.
    m_window->listTabs()->setCurrentIndex(1);
    QTableView *sessions = m_window->sessionsPane()->table();
    sessions->setCurrentIndex(sessions->model()->index(0, 0));
    // An ended session's transcript comes from the store, in the background.
    TranscriptView *pane = m_window->sessionsPane()->transcript();
    QTRY_VERIFY(pane->toPlainText().contains(QStringLiteral("S: 221")));
    const QString transcript = pane->toPlainText();
    QVERIFY2(transcript.contains(QStringLiteral("C: EHLO gui-test.example")),
             qPrintable(transcript));
    QVERIFY(transcript.contains(QStringLiteral("S: 220 ")));
    QVERIFY(transcript.contains(QStringLiteral("[DATA: ")));

    // Select the message: the inspector loads it in the background.
    m_window->listTabs()->setCurrentIndex(0);
    MessageTableView *view = m_window->messageView();
    view->setCurrentIndex(view->model()->index(0, MessageListModel::Subject));
    MessageInspector *inspector = m_window->inspector();
    QTRY_VERIFY(inspector->current() != nullptr);
    QTRY_VERIFY(messages->isRead(0)); // through the store's readChanged

    HeaderTableModel *headers = inspector->headers();
    QStringList names;
    for (int row = 0; row < headers->rowCount(); ++row)
        names.append(headers->index(row, HeaderTableModel::Name).data().toString());
    const int subjectRow = int(names.indexOf(QStringLiteral("Subject")));
    QVERIFY(subjectRow >= 0);
    QCOMPARE(headers->index(subjectRow, HeaderTableModel::Value).data().toString(),
             QString::fromUtf8("Quarterly réport"));
    headers->setShowRaw(true);
    QCOMPARE(headers->index(subjectRow, HeaderTableModel::Value).data().toString().trimmed(),
             QStringLiteral("=?UTF-8?Q?Quarterly_r=C3=A9port?="));

    QTreeWidget *parts = inspector->parts()->tree();
    QCOMPARE(parts->topLevelItemCount(), 1);
    QCOMPARE(parts->topLevelItem(0)->childCount(), 2);
    QCOMPARE(parts->topLevelItem(0)->child(1)->text(2), QStringLiteral("report.pdf"));

    // A text view shows lines, not line endings; the bytes themselves are checked on export.
    QCOMPARE(inspector->raw()->text(),
             QString::fromLatin1(kMessage).replace(QStringLiteral("\r\n"), QStringLiteral("\n")));
    QVERIFY(inspector->raw()->find(QStringLiteral("starts with a dot")));

    const QString envelope = inspector->envelope()->text();
    QVERIFY2(envelope.contains(QStringLiteral("<alice@example.com>")), qPrintable(envelope));
    QVERIFY(envelope.contains(QStringLiteral("<bob@example.org>")));
    QVERIFY(envelope.contains(QStringLiteral("<carol@example.net>")));
    QVERIFY(envelope.contains(QStringLiteral("gui-test.example")));

    // The message's transcript with its own lines highlighted.
    QVERIFY(inspector->transcript()->toPlainText().contains(QStringLiteral("RCPT TO:")));
    QVERIFY(!inspector->transcript()->extraSelections().isEmpty());

    // Text preview (safe mode: QTextBrowser for HTML; this one is plain text).
    QVERIFY(inspector->preview()->textView()->toPlainText().contains(QStringLiteral("Hello Bob")));
    QCOMPARE(inspector->warnings()->count(), 0);

    // One click to the session and back.
    m_window->showSession(messages->sessionIdAt(0));
    QCOMPARE(m_window->listTabs()->currentIndex(), 1);
    QCOMPARE(m_window->sessionsPane()->currentSessionId(), messages->sessionIdAt(0));
    m_window->showMessage(messages->idAt(0));
    QCOMPARE(m_window->listTabs()->currentIndex(), 0);
    QCOMPARE(view->currentId(), messages->idAt(0));
}

void tst_MainWindow::transcriptFollowsAnActiveSession()
{
    m_window->portField()->setValue(0);
    QVERIFY(m_window->startServer());
    QTcpSocket client; // in this thread: the conversation advances as the test waits
    client.connectToHost(QHostAddress::LocalHost, m_service->port());
    QTRY_COMPARE(m_window->sessionModel()->rowCount(), 1);
    m_window->listTabs()->setCurrentIndex(1);
    QTableView *sessions = m_window->sessionsPane()->table();
    sessions->setCurrentIndex(sessions->model()->index(0, 0));
    TranscriptView *pane = m_window->sessionsPane()->transcript();
    QTRY_VERIFY(pane->toPlainText().contains(QStringLiteral("S: 220 ")));
    client.write("EHLO live.example\r\n");
    QTRY_VERIFY(pane->toPlainText().contains(QStringLiteral("C: EHLO live.example")));
    QTRY_VERIFY(pane->toPlainText().contains(QStringLiteral("S: 250 ")));
    QCOMPARE(sessions->model()->index(0, SessionListModel::State).data().toString(),
             QStringLiteral("active"));
    client.write("QUIT\r\n");
    QTRY_VERIFY(pane->toPlainText().contains(QStringLiteral("S: 221")));
    QTRY_COMPARE(sessions->model()->index(0, SessionListModel::State).data().toString(),
                 sessionEndName(SessionEnd::Quit));
}

void tst_MainWindow::exportWritesExactBytes()
{
    startAndSend(kMessage);
    const qint64 id = m_window->messageModel()->idAt(0);
    m_window->messageView()->setCurrentIndex(m_window->messageView()->model()->index(0, 0));
    QTRY_VERIFY(m_window->inspector()->current() != nullptr);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("one.eml"));
    QString error;
    QVERIFY(saveBytes(path, m_window->inspector()->current()->record.raw, &error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), kMessage);

    QCOMPARE(exportToFolder(m_store.get(), {id}, dir.path(), &error), 1);
    QFile named(dir.filePath(QString::fromUtf8("Quarterly réport.eml")));
    QVERIFY2(named.open(QIODevice::ReadOnly), qPrintable(named.fileName()));
    QCOMPARE(named.readAll(), kMessage);

    const QString mbox = dir.filePath(QStringLiteral("all.mbox"));
    QVERIFY(exportToMbox(m_store.get(), {id, id}, mbox, &error));
    QFile mboxFile(mbox);
    QVERIFY(mboxFile.open(QIODevice::ReadOnly));
    const QByteArray content = mboxFile.readAll();
    QVERIFY(content.startsWith("From alice@example.com "));
    QCOMPARE(content.count("\nFrom alice@example.com "), 1); // the second entry's From_ line
    QVERIFY(content.contains(kMessage));

    // A folder that cannot be written: a clear error, nothing written.
    QCOMPARE(exportToFolder(m_store.get(), {id}, QStringLiteral("/proc/1"), &error), -1);
    QVERIFY(error.contains(QStringLiteral("/proc/1")));
    QCOMPARE(exportToFolder(m_store.get(), {id}, dir.filePath(QStringLiteral("missing")), &error),
             -1);
    QVERIFY(error.contains(QStringLiteral("does not exist")));
}

void tst_MainWindow::opensEmlFromDisk()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("saved.eml"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("From: disk@example.com\r\nSubject: From the disk\r\n\r\nBody on disk\r\n");
    file.close();
    m_window->openFile(path);
    MessageInspector *inspector = m_window->inspector();
    QTRY_VERIFY(inspector->current() != nullptr);
    QVERIFY(inspector->current()->isFromFile());
    QCOMPARE(inspector->currentId(), 0);
    QVERIFY(inspector->raw()->text().contains(QStringLiteral("Body on disk")));
    QVERIFY(
        inspector->preview()->textView()->toPlainText().contains(QStringLiteral("Body on disk")));
    QVERIFY(inspector->envelope()->text().contains(path));
    QCOMPARE(inspector->headers()->rowCount(), 2);

    inspector->showFile(dir.filePath(QStringLiteral("absent.eml")));
    QTRY_VERIFY(!inspector->isLoading());
    QVERIFY(inspector->current() == nullptr);
}

void tst_MainWindow::bindFailureIsShownAndAppStaysUsable()
{
    QTcpServer occupier;
    QVERIFY(occupier.listen(QHostAddress::LocalHost, 0));
    m_window->portField()->setValue(occupier.serverPort());
    QVERIFY(!m_window->startServer());
    QVERIFY(!m_service->isListening());
    QVERIFY(m_window->notice()->isVisible());
    QVERIFY2(m_window->notice()->text().contains(
                 QStringLiteral("127.0.0.1:%1").arg(occupier.serverPort())),
             qPrintable(m_window->notice()->text()));
    QCOMPARE(m_window->startStopAction()->text(), QStringLiteral("Start"));
    QVERIFY(m_window->portField()->isEnabled());

    m_window->addressField()->setText(QStringLiteral("not-an-address"));
    QVERIFY(!m_window->startServer());
    QVERIFY(m_window->notice()->text().contains(QStringLiteral("not-an-address")));

    // Fix the address and port: Start works and the message goes away.
    m_window->addressField()->setText(QStringLiteral("127.0.0.1"));
    m_window->portField()->setValue(0);
    QVERIFY(m_window->startServer());
    QVERIFY(!m_window->notice()->isVisible());
}

void tst_MainWindow::stopClosesTheListener()
{
    startAndSend(kMessage);
    const quint16 port = m_service->port();
    m_window->startStopAction()->trigger();
    QVERIFY(!m_service->isListening());
    QCOMPARE(m_window->startStopAction()->text(), QStringLiteral("Start"));
    QVERIFY(m_window->serverStatus()->listeningText().contains(QStringLiteral("Stopped")));
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    QVERIFY(!socket.waitForConnected(2000));
    QCOMPARE(socket.error(), QAbstractSocket::ConnectionRefusedError);
    // The mail stays listed after Stop.
    QCOMPARE(m_window->messageModel()->rowCount(), 1);
}

// The TLS and AUTH settings reach the sessions the window's server runs.
void tst_MainWindow::securitySettingsApply()
{
    m_window.reset();
    DesktopSettings settings;
    settings.safePreview = true;
    settings.notifyNewMail = false;
    settings.security.requireAuth = true;
    m_window = std::make_unique<MainWindow>(m_store.get(), m_service.get(), settings, SmtpLimits());
    m_window->portField()->setValue(0);
    QVERIFY(m_window->startServer());
    QTcpSocket client;
    client.connectToHost(QHostAddress::LocalHost, m_service->port());
    client.write("EHLO x\r\nMAIL FROM:<a@example.com>\r\n");
    QByteArray received;
    QTRY_VERIFY((received += client.readAll()).contains("530 5.7.0"));
    QVERIFY(received.contains("AUTH PLAIN LOGIN CRAM-MD5"));
}

void tst_MainWindow::deleteAndMarkUnread()
{
    startAndSend(kMessage);
    auto second = sendMail(m_service->port(), "alice@example.com", {"bob@example.org"},
                           "Subject: second\r\n\r\nx\r\n");
    QTRY_COMPARE(m_window->messageModel()->rowCount(), 2);
    QVERIFY(second.get().ok);
    QTRY_COMPARE(m_window->messageModel()->unreadCount(), 2);
    m_window->messageView()->selectAll();
    for (QAction *action : m_window->actions()) {
        if (action->text() == QStringLiteral("Mark as &Read"))
            action->trigger();
    }
    QTRY_COMPARE(m_window->messageModel()->unreadCount(), 0);
    m_window->messageView()->clearSelection();
    m_window->messageView()->selectRow(0);
    const qint64 deleted = m_window->messageView()->currentId();
    for (QAction *action : m_window->messageView()->actions()) {
        if (action->text() == QStringLiteral("&Delete"))
            action->trigger();
    }
    QTRY_COMPARE(m_window->messageModel()->rowCount(), 1);
    QCOMPARE(m_window->messageModel()->rowOfId(deleted), -1);
    QCOMPARE(m_store->messageCount(), 1);
}

void tst_MainWindow::undecodableMessageShowsRawAndWarnings()
{
    // No header at all: still listed, raw source shown, a warning says why.
    const QByteArray garbage = "\x01\x02 this is not a mail message\r\n\xff\xfe\r\n";
    startAndSend(garbage);
    m_window->messageView()->setCurrentIndex(m_window->messageView()->model()->index(0, 0));
    MessageInspector *inspector = m_window->inspector();
    QTRY_VERIFY(inspector->current() != nullptr);
    QVERIFY(inspector->raw()->text().contains(QStringLiteral("this is not a mail message")));
    QVERIFY(inspector->warnings()->count() > 0);
}

void tst_MainWindow::sortChoiceIsKeptAcrossLaunches()
{
    QHeaderView *header = m_window->messageView()->horizontalHeader();
    QCOMPARE(header->sortIndicatorSection(), int(MessageListModel::Received));
    QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
    QCOMPARE(m_window->messageModel()->sortColumn(), int(MessageListModel::Received));
    QCOMPARE(m_window->messageModel()->sortOrder(), Qt::DescendingOrder);

    // A click on the header sorts the list model itself; the proxy only filters.
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {},
                      QPoint(header->sectionViewportPosition(MessageListModel::Subject) + 5,
                             header->height() / 2));
    QCOMPARE(header->sortIndicatorSection(), int(MessageListModel::Subject));
    QCOMPARE(m_window->messageModel()->sortColumn(), int(MessageListModel::Subject));
    QCOMPARE(m_window->messageProxy()->sortColumn(), -1);
    const Qt::SortOrder chosen = header->sortIndicatorOrder();
    QCOMPARE(m_window->messageModel()->sortOrder(), chosen);

    m_window->close(); // saves the window's state
    m_window = newWindow();
    header = m_window->messageView()->horizontalHeader();
    QCOMPARE(header->sortIndicatorSection(), int(MessageListModel::Subject));
    QCOMPARE(header->sortIndicatorOrder(), chosen);
    QCOMPARE(m_window->messageModel()->sortColumn(), int(MessageListModel::Subject));
    QCOMPARE(m_window->messageModel()->sortOrder(), chosen);
}

// Starting on an address typed into the toolbar announces it for the config file, once.
void tst_MainWindow::editedListenAddressIsAnnounced()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();
    QSignalSpy edited(m_window.get(), &MainWindow::settingsEdited);
    m_window->addressField()->setText(QStringLiteral("127.0.0.1"));
    m_window->portField()->setValue(port);
    QVERIFY(m_window->startServer());
    QCOMPARE(edited.count(), 1);
    QCOMPARE(edited.at(0).at(0).value<DesktopSettings>().listenPort, quint16(0));
    QCOMPARE(edited.at(0).at(1).value<DesktopSettings>().listenPort, port);
    m_window->stopServer();
    QVERIFY(m_window->startServer());
    QCOMPARE(edited.count(), 1);
}

// A successful Start clears its own earlier failure, not a notice such as skipped settings.
void tst_MainWindow::startingKeepsOtherNotices()
{
    m_window->showWarning(QStringLiteral("Settings skipped: colour"));
    QVERIFY(m_window->startServer());
    QVERIFY(m_window->notice()->isVisible());
    QCOMPARE(m_window->notice()->text(), QStringLiteral("Settings skipped: colour"));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
