#include "RelaySettingsSection.h"
#include "ReleaseDialog.h"
#include "mime/MimeRuntime.h"
#include "relay/DeliveryQueue.h"
#include "server/SmtpService.h"
#include "store/MemoryStore.h"

#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

namespace {
const MimeRuntime mimeRuntime;

// An in-process smtpeek server, the upstream that releases go to.
struct Upstream
{
    Upstream() { service.start(QHostAddress::LocalHost, 0, SessionConfig{}, &error); }
    quint16 port() const { return service.port(); }
    void stop() { service.stop(); }
    MemoryStore store;
    SmtpService service{&store};
    QString error;
};
} // namespace

// The Release dialog offscreen, releasing through a real DeliveryQueue to an in-process smtpeek
// server as the upstream.
class tst_ReleaseDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void checksAsTypedAndReleases();
    void settingsTestConnectionShowsEhlo();
    void settingsApplyWhenSaved();
};

void tst_ReleaseDialog::checksAsTypedAndReleases()
{
    Upstream upstream;
    QVERIFY2(upstream.error.isEmpty(), qPrintable(upstream.error));

    MemoryStore store;
    MessageRecord message;
    message.id = store.allocateMessageId();
    message.envelope.mailFrom = "app@example.org";
    message.envelope.rcptTo = {"dev@example.org"};
    message.raw = "From: app@example.org\r\nBcc: secret@example.org\r\nSubject: hi\r\n\r\nbody\r\n";
    store.saveMessage(message, nullptr, {});

    RelaySettings settings;
    settings.target.host = QStringLiteral("127.0.0.1");
    settings.target.port = upstream.port();
    settings.target.tls = RelayTarget::Tls::Off;
    settings.allowedRecipients = QStringLiteral("@example\\.org$");
    settings.blockedRecipients = QStringLiteral("^ceo@");
    DeliveryQueue queue(&store, settings);
    queue.start();

    ReleaseDialog dialog(&queue, {message.id}, message.envelope.rcptTo);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QCOMPARE(dialog.recipientsField()->text(), QStringLiteral("dev@example.org"));
    QVERIFY(dialog.releaseButton()->isEnabled());

    // Checked as typed: a blocked address, one not allowed, a malformed one.
    QTest::keyClicks(dialog.recipientsField(), QStringLiteral(", ceo@example.org"));
    QVERIFY(!dialog.releaseButton()->isEnabled());
    QVERIFY2(dialog.statusLabel()->text().contains(u"blocked"),
             qPrintable(dialog.statusLabel()->text()));
    dialog.recipientsField()->setText(QStringLiteral("dev@example.org x@other.test"));
    QVERIFY(!dialog.releaseButton()->isEnabled());
    QVERIFY(dialog.statusLabel()->text().contains(u"not an allowed recipient"));
    dialog.recipientsField()->setText(QStringLiteral("dev@"));
    QVERIFY(dialog.statusLabel()->text().contains(u"not an email address"));
    dialog.recipientsField()->clear();
    QVERIFY(!dialog.releaseButton()->isEnabled());

    dialog.recipientsField()->setText(QStringLiteral("dev@example.org; qa@example.org"));
    QVERIFY(dialog.releaseButton()->isEnabled());
    QSignalSpy finished(&dialog, &ReleaseDialog::finished);
    QTest::mouseClick(dialog.releaseButton(), Qt::LeftButton);
    QVERIFY(finished.wait(20000));
    QCOMPARE(finished.first().value(0).toInt(), 1);
    QVERIFY2(dialog.statusLabel()->text().contains(u"Delivered"),
             qPrintable(dialog.statusLabel()->text()));

    QTRY_COMPARE(upstream.store.messageCount(), 1);
    const MessageSummary arrived =
        upstream.store.messages(0, 1, MessageStore::Order::NewestFirst)[0];
    QCOMPARE(arrived.envelopeTo, (QList<QByteArray>{"dev@example.org", "qa@example.org"}));
    QVERIFY(!upstream.store.raw(arrived.id)->contains("Bcc:"));
    QTRY_COMPARE(store.message(message.id)->relay, RelayMark::Delivered);
    upstream.stop();
}

// The Settings' Relay section greets what is typed and shows the upstream's EHLO; a typed
// password is kept out of the settings unless "Remember" is ticked.
void tst_ReleaseDialog::settingsTestConnectionShowsEhlo()
{
    Upstream upstream;
    QVERIFY2(upstream.error.isEmpty(), qPrintable(upstream.error));

    RelaySettingsSection section;
    section.load(DesktopSettings{});
    QVERIFY(!section.testButton()->isEnabled());
    section.serverField()->setText(QStringLiteral("127.0.0.1:%1").arg(upstream.port()));
    QVERIFY(section.testButton()->isEnabled());
    QSignalSpy tested(&section, &RelaySettingsSection::tested);
    QTest::mouseClick(section.testButton(), Qt::LeftButton);
    QVERIFY(tested.wait(20000));
    QCOMPARE(tested.first().value(0).toBool(), true);
    const QString shown = section.testResult()->toPlainText();
    QVERIFY2(shown.contains(u"PIPELINING") && shown.contains(u"EHLO"), qPrintable(shown));

    DesktopSettings applied;
    section.apply(applied);
    QCOMPARE(applied.relay.target.port, upstream.port());
    QVERIFY(applied.relay.target.password.isEmpty());
    upstream.stop();
}

// What Settings > Relay saves reaches the running queue: auto-relay starts with the next message
// (not the ones captured before), and releases go to the new upstream.
void tst_ReleaseDialog::settingsApplyWhenSaved()
{
    Upstream upstream;
    QVERIFY2(upstream.error.isEmpty(), qPrintable(upstream.error));
    MemoryStore store;
    const auto capture = [&store](const QByteArray &subject) {
        MessageRecord message;
        message.id = store.allocateMessageId();
        message.envelope.mailFrom = "app@example.org";
        message.envelope.rcptTo = {"dev@example.org"};
        message.raw = "From: app@example.org\r\nSubject: " + subject + "\r\n\r\nbody\r\n";
        store.saveMessage(message, nullptr, {});
        return message.id;
    };
    DeliveryQueue queue(&store, RelaySettings{}); // as the desktop starts without --relay
    queue.start();
    const qint64 before = capture("before");
    QVERIFY(store.deliveries(before).isEmpty());

    RelaySettings settings;
    settings.target.host = QStringLiteral("127.0.0.1");
    settings.target.port = upstream.port();
    settings.target.tls = RelayTarget::Tls::Off;
    settings.relayAll = true;
    QSignalSpy reconfigured(&queue, &DeliveryQueue::reconfigured);
    queue.reconfigure(settings);
    QCOMPARE(reconfigured.size(), 1);
    QCOMPARE(queue.settings().target.port, upstream.port());
    const qint64 after = capture("after");
    QTRY_COMPARE_WITH_TIMEOUT(upstream.store.messageCount(), 1, 20000);
    QTRY_COMPARE(store.message(after)->relay, RelayMark::Delivered);
    QVERIFY(store.deliveries(before).isEmpty());
    QVERIFY(upstream.store
                .raw(upstream.store.messages(0, 1, MessageStore::Order::NewestFirst).first().id)
                ->contains("Subject: after"));
}

QTEST_MAIN(tst_ReleaseDialog)
#include "tst_releasedialog.moc"
