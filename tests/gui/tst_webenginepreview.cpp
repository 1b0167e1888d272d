// The Chromium preview: it paints, it blocks and counts every remote request (a local HTTP
// listener proves no request leaves), it runs no script, and it serves cid: parts.

#include "WebEngineHtmlPreview.h"
#include "mime/MimeRuntime.h"

#include <QApplication>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QWebEngineView>

namespace {
// A 1x1 red PNG.
const QByteArray kRedPng = QByteArray::fromBase64(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

QByteArray htmlMessage(const QByteArray &html, const QByteArray &extraParts = QByteArray())
{
    return "From: a@example.com\r\nTo: b@example.com\r\nSubject: html\r\nMIME-Version: 1.0\r\n"
           "Content-Type: multipart/related; boundary=\"rel\"\r\n\r\n"
           "--rel\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
           html + "\r\n" + extraParts + "--rel--\r\n";
}

PreviewMessage preview(const QByteArray &raw, const QString &key)
{
    PreviewMessage message;
    message.key = key;
    message.raw = raw;
    message.decoded = std::make_shared<const DecodedMessage>(decodeMessage(raw));
    return message;
}

// True once the view shows at least `minimum` pixels close to `color`.
bool paints(QWidget *view, const QColor &color, int minimum = 100)
{
    const QImage image = view->grab().toImage();
    int matches = 0;
    for (int y = 0; y < image.height(); y += 2) {
        for (int x = 0; x < image.width(); x += 2) {
            const QColor c = image.pixelColor(x, y);
            if (qAbs(c.red() - color.red()) < 20 && qAbs(c.green() - color.green()) < 20 &&
                qAbs(c.blue() - color.blue()) < 20 && ++matches >= minimum)
                return true;
        }
    }
    return false;
}
} // namespace

class tst_WebEnginePreview : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rendersPixelsAndCidImages();
    void blocksAndCountsRemoteRequests();
    void runsNoScript();
    void servesBodiesAboveTwoMegabytes();

private:
    MimeRuntime m_mime;
};

void tst_WebEnginePreview::rendersPixelsAndCidImages()
{
    WebEngineHtmlPreview pane;
    pane.resize(400, 300);
    pane.show();
    const QByteArray raw =
        htmlMessage("<html><body style='margin:0;background:#ffffff'>"
                    "<div style='width:200px;height:100px;background:rgb(30,90,200)'></div>"
                    "<img src='cid:red@test' width='120' height='60'></body></html>",
                    "--rel\r\nContent-Type: image/png\r\nContent-ID: <red@test>\r\n"
                    "Content-Transfer-Encoding: base64\r\n\r\n" +
                        kRedPng.toBase64() + "\r\n");
    QSignalSpy finished(&pane, &WebEngineHtmlPreview::loadFinished);
    pane.setMessage(preview(raw, QStringLiteral("m1")), false);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 20000);
    QVERIFY(finished.first().first().toBool());
    // loadFinished is not "painted": wait for the pixels.
    QTRY_VERIFY_WITH_TIMEOUT(paints(pane.view(), QColor(30, 90, 200)), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(paints(pane.view(), QColor(255, 0, 0)), 20000);
    QCOMPARE(pane.blockedRequests(), 0);

    // Save as PDF: Chromium prints the page to a file.
    QTemporaryDir dir;
    const QString pdf = dir.filePath(QStringLiteral("m.pdf"));
    std::optional<bool> written;
    pane.saveAsPdf(pdf, [&](bool ok) { written = ok; });
    QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), 30000);
    QVERIFY(*written);
    QFile file(pdf);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.read(5), QByteArray("%PDF-"));
}

void tst_WebEnginePreview::blocksAndCountsRemoteRequests()
{
    // Anything that reaches this listener is a leak.
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    int connections = 0;
    connect(&listener, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = listener.nextPendingConnection()) {
            ++connections;
            socket->deleteLater();
        }
    });
    const QByteArray base = "http://127.0.0.1:" + QByteArray::number(listener.serverPort());
    const QByteArray html = "<html><head><link rel='stylesheet' href='" + base +
                            "/style.css'>"
                            "<style>body{background-image:url(" +
                            base +
                            "/bg.png)}</style></head><body>"
                            "<img src='" +
                            base +
                            "/pixel.gif'><img src='https://tracker.example/open.gif'>"
                            "<iframe src='" +
                            base +
                            "/frame.html'></iframe>"
                            "<video poster='" +
                            base +
                            "/poster.jpg'></video>"
                            "<p style=\"background:url('" +
                            base + "/inline.png')\">text</p></body></html>";
    WebEngineHtmlPreview pane;
    pane.resize(400, 300);
    pane.show();
    QSignalSpy finished(&pane, &WebEngineHtmlPreview::loadFinished);
    pane.setMessage(preview(htmlMessage(html), QStringLiteral("m2")), false);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(pane.blockedRequests() >= 3, 10000);
    QTest::qWait(500); // late requests would still show up
    QCOMPARE(connections, 0);

    // Allowed for this message: the requests go out.
    finished.clear();
    pane.setMessage(preview(htmlMessage(html), QStringLiteral("m2")), true);
    QTRY_VERIFY_WITH_TIMEOUT(connections > 0, 20000);
    QCOMPARE(pane.blockedRequests(), 0);
}

void tst_WebEnginePreview::runsNoScript()
{
    const QByteArray html =
        "<html><head><title>untouched</title>"
        "<script>document.title='script ran';</script></head>"
        "<body style='margin:0;background:rgb(0,160,0)' "
        "onload=\"document.body.style.background='rgb(200,0,200)'\">"
        "<script>document.write('<div id=w style=\"height:300px;background:rgb(200,0,200)\">"
        "</div>')</script><p>static</p></body></html>";
    WebEngineHtmlPreview pane;
    pane.resize(400, 300);
    pane.show();
    QSignalSpy finished(&pane, &WebEngineHtmlPreview::loadFinished);
    pane.setMessage(preview(htmlMessage(html), QStringLiteral("m3")), false);
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() > 0, 20000);
    QTRY_VERIFY_WITH_TIMEOUT(paints(pane.view(), QColor(0, 160, 0)), 20000);
    QTest::qWait(300);
    QCOMPARE(pane.view()->title(), QStringLiteral("untouched"));
    QVERIFY(!paints(pane.view(), QColor(200, 0, 200), 10));
}

void tst_WebEnginePreview::servesBodiesAboveTwoMegabytes()
{
    // setHtml() silently shows nothing above 2 MB; the scheme handler has no such limit.
    QByteArray html = "<html><body style='margin:0;background:rgb(240,200,0)'>";
    const QByteArray filler = "<p>" + QByteArray(1000, 'x') + "</p>\r\n";
    while (html.size() < 3 * 1024 * 1024)
        html += filler;
    html += "</body></html>";
    WebEngineHtmlPreview pane;
    pane.resize(400, 300);
    pane.show();
    pane.setMessage(preview(htmlMessage(html), QStringLiteral("m4")), false);
    QTRY_VERIFY_WITH_TIMEOUT(paints(pane.view(), QColor(240, 200, 0)), 30000);
}

int main(int argc, char *argv[])
{
    WebEngineHtmlPreview::prepareProcess(); // before QApplication, as in the app
    QApplication app(argc, argv);
    tst_WebEnginePreview test;
    return QTest::qExec(&test, argc, argv);
}
#include "tst_webenginepreview.moc"
