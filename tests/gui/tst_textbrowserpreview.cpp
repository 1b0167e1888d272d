// The preview without Chromium: cid: images from the message, remote images counted and never
// fetched, links not followed inside the pane.

#include "MessagePreview.h"
#include "NoticeBar.h"
#include "TextBrowserHtmlPreview.h"
#include "mime/MimeRuntime.h"

#include <QPlainTextEdit>
#include <QTest>
#include <QTextBrowser>

namespace {
const QByteArray kRedPng = QByteArray::fromBase64(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

PreviewMessage preview(const QByteArray &raw)
{
    PreviewMessage message;
    message.key = QStringLiteral("m1");
    message.raw = raw;
    message.decoded = std::make_shared<const DecodedMessage>(decodeMessage(raw));
    return message;
}

const QByteArray kMessage =
    "From: a@example.com\r\nSubject: html\r\nMIME-Version: 1.0\r\n"
    "Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n"
    "--rel\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n"
    "--alt\r\nContent-Type: text/plain\r\n\r\nPlain version\r\n"
    "--alt\r\nContent-Type: text/html\r\n\r\n"
    "<p>Rich <b>version</b></p><img src='cid:red@test'>"
    "<img src='http://tracker.example/a.gif'><img src='https://tracker.example/b.gif'>\r\n"
    "--alt--\r\n"
    "--rel\r\nContent-Type: image/png\r\nContent-ID: <red@test>\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\n" +
    kRedPng.toBase64() + "\r\n--rel--\r\n";
} // namespace

class tst_TextBrowserPreview : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsCidImagesAndCountsRemoteOnes();
    void togglesBetweenHtmlAndText();

private:
    MimeRuntime m_mime;
};

void tst_TextBrowserPreview::showsCidImagesAndCountsRemoteOnes()
{
    TextBrowserHtmlPreview pane;
    pane.resize(300, 200);
    pane.show();
    pane.setMessage(preview(kMessage), false);
    QVERIFY(pane.browser()->toPlainText().contains(QStringLiteral("Rich version")));
    QCOMPARE(pane.blockedRequests(), 2);
    const QVariant image = pane.browser()->document()->resource(
        QTextDocument::ImageResource, QUrl(QStringLiteral("cid:red@test")));
    QVERIFY(image.isValid());
    QCOMPARE(image.value<QImage>().pixelColor(0, 0), QColor(Qt::red));
    QVERIFY(!pane.browser()->openLinks());
}

void tst_TextBrowserPreview::togglesBetweenHtmlAndText()
{
    MessagePreview preview_(true);
    preview_.resize(300, 200);
    preview_.show();
    preview_.setMessage(preview(kMessage));
    QCOMPARE(preview_.mode(), MessagePreview::Mode::Html);
    QVERIFY(preview_.htmlPreview() != nullptr);
    QVERIFY(preview_.remoteNotice()->isVisible());
    QVERIFY(preview_.remoteNotice()->text().contains(QStringLiteral("2 remote resources")));
    preview_.toggleMode();
    QCOMPARE(preview_.mode(), MessagePreview::Mode::Text);
    QVERIFY(preview_.textView()->isVisible());
    QVERIFY(preview_.textView()->toPlainText().contains(QStringLiteral("Plain version")));
    QVERIFY(!preview_.remoteNotice()->isVisible());
}

QTEST_MAIN(tst_TextBrowserPreview)
#include "tst_textbrowserpreview.moc"
