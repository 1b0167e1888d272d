// The Checks tab offscreen: compatibility, lint and DKIM run off the GUI thread and land in one
// line each; activating a finding shows its place (lint in Raw, compatibility in the HTML
// source); links and spam only on demand; results cached per message. And the preview's device
// widths and Save as PDF / PNG.

#include "ChecksPane.h"
#include "MessageInspector.h"
#include "MessagePreview.h"
#include "PreviewDeviceBar.h"
#include "RawSourceView.h"
#include "mime/MimeRuntime.h"

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

namespace {

// No Date (a lint error at the blank line), flexbox in the HTML, a link to a closed port.
const QByteArray kMessage = "From: Alice <alice@example.com>\r\n"
                            "To: bob@example.net\r\n"
                            "Subject: Checks\r\n"
                            "Message-ID: <c1@example.com>\r\n"
                            "MIME-Version: 1.0\r\n"
                            "Content-Type: text/html; charset=utf-8\r\n"
                            "\r\n"
                            "<html><body>\r\n"
                            "<div style=\"display:flex\"><a href=\"http://127.0.0.1:1/x\">x</a>"
                            "</div>\r\n"
                            "</body></html>\r\n";

LoadedMessage loaded(const QByteArray &raw, qint64 id = 1)
{
    LoadedMessage message;
    message.record.id = id;
    message.record.raw = raw;
    message.decoded = std::make_shared<const DecodedMessage>(decodeMessage(raw));
    message.rawText = rawSourceText(raw);
    return message;
}

QTreeWidgetItem *topLine(QTreeWidget *tree, const QString &prefix)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0).startsWith(prefix))
            return tree->topLevelItem(i);
    return nullptr;
}

QTreeWidgetItem *childLine(QTreeWidgetItem *parent, const QString &part)
{
    for (int i = 0; i < parent->childCount(); ++i)
        if (parent->child(i)->text(0).contains(part))
            return parent->child(i);
    return nullptr;
}

} // namespace

class tst_ChecksPane : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaryLinesAndJumps()
    {
        ChecksPane pane;
        pane.resize(800, 600);
        pane.show();
        QSignalSpy finished(&pane, &ChecksPane::finished);
        pane.setMessage(QStringLiteral("m1"), loaded(kMessage));
        QVERIFY(!pane.checks());
        pane.run();
        QVERIFY(pane.isRunning()); // in the worker: the window goes on
        QVERIFY(finished.wait(30000));
        QTreeWidget *tree = pane.tree();
        QCOMPARE(tree->topLevelItemCount(), 5);
        QTreeWidgetItem *html = topLine(tree, QStringLiteral("Compatibility: "));
        QVERIFY(html);
        QVERIFY(html->text(0).contains(u"% supported"));
        QVERIFY(topLine(tree, QStringLiteral("Links: 1 link, not checked yet")));
        QVERIFY(topLine(tree, QStringLiteral("Spam: not checked yet")));
        QVERIFY(topLine(tree, QStringLiteral("DKIM: no signature")));
        QTreeWidgetItem *lint = topLine(tree, QStringLiteral("Lint: "));
        QVERIFY(lint);
        QVERIFY2(!lint->text(0).startsWith(u"Lint: 0 errors"), qPrintable(lint->text(0)));

        // A compatibility finding selects its place in the HTML source.
        QTreeWidgetItem *flex = childLine(html, QStringLiteral("display:flex"));
        QVERIFY(flex);
        QVERIFY(flex->childCount() > 0);
        tree->setCurrentItem(flex->child(0));
        Q_EMIT tree->itemActivated(flex->child(0), 0);
        QCOMPARE(pane.htmlSource()->textCursor().selectedText(), u"display"_qs);

        // A lint finding asks for its byte offset in Raw.
        QTreeWidgetItem *dateMissing = childLine(lint, QStringLiteral("rfc5322.date-missing"));
        QVERIFY(dateMissing);
        QSignalSpy raw(&pane, &ChecksPane::rawOffsetRequested);
        Q_EMIT tree->itemActivated(dateMissing, 0);
        QCOMPARE(raw.size(), 1);
        QCOMPARE(raw.first().first().toLongLong(), qint64(kMessage.indexOf("\r\n\r\n") + 2));

        // Cached: back to this message, the checks are there without running again.
        pane.setMessage(QStringLiteral("m2"), loaded(kMessage, 2));
        QVERIFY(!pane.checks());
        pane.setMessage(QStringLiteral("m1"), loaded(kMessage));
        QVERIFY(pane.checks());
        QCOMPARE(pane.tree()->topLevelItemCount(), 5);
    }

    void linksAndSpamOnDemand()
    {
        ChecksPane pane;
        QSignalSpy finished(&pane, &ChecksPane::finished);
        pane.setLinkTimeout(2000);
        pane.setMessage(QStringLiteral("m1"), loaded(kMessage));
        pane.run();
        QVERIFY(finished.wait(30000));
        QVERIFY(pane.linksButton()->isEnabled());
        pane.linksButton()->click();
        QVERIFY(finished.wait(30000));
        QTreeWidgetItem *links = topLine(pane.tree(), QStringLiteral("Links: 1 broken of 1"));
        QVERIFY(links);
        QVERIFY(childLine(links, QStringLiteral("http://127.0.0.1:1/x")));

        pane.spamButton()->click(); // no spamd configured: says how to get one, at once
        QTreeWidgetItem *spam = topLine(pane.tree(), QStringLiteral("Spam: could not check"));
        QVERIFY(spam);
        QVERIFY(childLine(spam, QStringLiteral("--spamassassin auto")));

        pane.setSpamAssassin(QStringLiteral("127.0.0.1:1")); // nobody there: an error, no hang
        pane.spamButton()->click();
        QTRY_VERIFY_WITH_TIMEOUT(
            (spam = topLine(pane.tree(), QStringLiteral("Spam: could not check"))) &&
                childLine(spam, QStringLiteral("no spamd at 127.0.0.1:1")),
            15000);
    }

    // DKIM from the keys file: a signed message passes, a changed body fails the body hash.
    void dkimLine()
    {
        QFile signedFile(QFINDTESTDATA("../data/dkim/rsa-relaxed.eml"));
        QVERIFY(signedFile.open(QIODevice::ReadOnly));
        const QByteArray signedMessage = signedFile.readAll();
        ChecksPane pane;
        pane.setDkimKeysFile(QFINDTESTDATA("../data/dkim/keys.txt"));
        QSignalSpy finished(&pane, &ChecksPane::finished);
        pane.setMessage(QStringLiteral("s1"), loaded(signedMessage));
        pane.run();
        QVERIFY(finished.wait(30000));
        QTreeWidgetItem *dkim = topLine(pane.tree(), QStringLiteral("DKIM: "));
        QVERIFY(dkim);
        QCOMPARE(dkim->text(0), u"DKIM: pass (example.com) · DMARC alignment: aligned"_qs);

        QByteArray changed = signedMessage;
        changed.chop(3); // the body's end
        changed += "!\r\n";
        pane.setMessage(QStringLiteral("s2"), loaded(changed, 2));
        pane.run();
        QVERIFY(finished.wait(30000));
        dkim = topLine(pane.tree(), QStringLiteral("DKIM: "));
        QVERIFY(dkim);
        QVERIFY2(dkim->text(0).startsWith(u"DKIM: fail"), qPrintable(dkim->text(0)));
        QVERIFY(childLine(dkim, QStringLiteral("body hash fail")));
    }

    // In the inspector: the tab runs the checks when shown; a lint finding opens Raw there.
    void inInspector()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("checks.eml"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(kMessage);
        file.close();
        MessageInspector inspector(nullptr, true);
        inspector.resize(900, 700);
        inspector.QWidget::show();
        QSignalSpy loadedSpy(&inspector, &MessageInspector::loaded);
        inspector.showFile(path);
        QVERIFY(loadedSpy.wait(30000));
        QSignalSpy finished(inspector.checks(), &ChecksPane::finished);
        inspector.tabs()->setCurrentIndex(MessageInspector::ChecksTab);
        QVERIFY(finished.wait(30000));
        QTreeWidgetItem *lint = topLine(inspector.checks()->tree(), QStringLiteral("Lint: "));
        QVERIFY(lint);
        Q_EMIT inspector.checks()->tree()->itemActivated(
            childLine(lint, QStringLiteral("rfc5322.date-missing")), 0);
        QCOMPARE(inspector.tabs()->currentIndex(), int(MessageInspector::RawTab));
    }

    void deviceWidthsAndSaving()
    {
        MessagePreview preview(true); // the QTextBrowser renderer: no Chromium needed
        preview.resize(1200, 800);
        preview.show();
        PreviewMessage message;
        message.key = QStringLiteral("m1");
        message.raw = kMessage;
        message.decoded = std::make_shared<const DecodedMessage>(decodeMessage(kMessage));
        preview.setMessage(message);
        QVERIFY(preview.htmlPreview());
        preview.setDeviceWidth(PreviewDeviceBar::kPhoneWidth);
        QTRY_COMPARE(preview.htmlPreview()->width(), PreviewDeviceBar::kPhoneWidth);
        preview.deviceBar()->setDeviceWidth(PreviewDeviceBar::kTabletWidth); // the menu
        QTRY_COMPARE(preview.htmlPreview()->width(), PreviewDeviceBar::kTabletWidth);
        preview.setDeviceWidth(0);
        QTRY_VERIFY(preview.htmlPreview()->width() > PreviewDeviceBar::kTabletWidth);

        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("m.png"));
        QVERIFY(preview.savePng(png));
        QVERIFY(!QImage(png).isNull());
        const QString pdf = dir.filePath(QStringLiteral("m.pdf"));
        std::optional<bool> written;
        preview.savePdf(pdf, [&](bool ok) { written = ok; });
        QTRY_VERIFY(written.has_value());
        QVERIFY(*written);
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.read(5) == "%PDF-");
    }

private:
    MimeRuntime m_mime;
};

QTEST_MAIN(tst_ChecksPane)
#include "tst_checkspane.moc"
