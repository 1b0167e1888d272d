// What the HTML preview needs: remote resources found (so they can be counted and blocked) and
// cid:/Content-Location references resolved to the message's own parts.
#include "mime/HtmlResources.h"
#include "mime/MimeRuntime.h"

#include <QtTest>

namespace {

QByteArray testMessage(const char *name)
{
    QFile file(QFINDTESTDATA(QStringLiteral("../data/mime/") + QLatin1String(name)));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QStringList urls(const QList<RemoteResource> &resources)
{
    QStringList list;
    for (const RemoteResource &resource : resources)
        list.append(remoteResourceKindName(resource.kind) + QLatin1Char(' ') + resource.url);
    return list;
}

} // namespace

class TestMimeHtml : public QObject
{
    Q_OBJECT

    MimeRuntime m_mime;

private Q_SLOTS:

    void remoteResources_data();
    void remoteResources();
    void remoteResourcesOfMessage();
    void relatedParts_data();
    void relatedParts();
    void relatedResourceBytes();
    void hostileHtmlStaysLinear();
};

void TestMimeHtml::remoteResources_data()
{
    QTest::addColumn<QString>("html");
    QTest::addColumn<QStringList>("expected");

    QTest::newRow("img http") << QStringLiteral("<img src=\"http://a.example/x.png\">")
                              << QStringList{"image http://a.example/x.png"};
    QTest::newRow("unquoted, upper case") << QStringLiteral("<IMG SRC=HTTPS://a.example/x.png>")
                                          << QStringList{"image HTTPS://a.example/x.png"};
    QTest::newRow("protocol-relative") << QStringLiteral("<img src='//a.example/x.png'>")
                                       << QStringList{"image //a.example/x.png"};
    QTest::newRow("stylesheet link")
        << QStringLiteral("<link href=\"https://a.example/s.css\" rel=\"stylesheet\">")
        << QStringList{"stylesheet https://a.example/s.css"};
    QTest::newRow("css url and import")
        << QStringLiteral("<style>@import \"https://a.example/i.css\"; p{background:url( "
                          "'https://a.example/b.png' )}"
                          "</style>")
        << QStringList{"stylesheet https://a.example/i.css", "image https://a.example/b.png"};
    QTest::newRow("font face")
        << QStringLiteral("<style>@font-face{font-family:F;src:url(https://a.example/f.woff2)}"
                          "h1{background:url(https://a.example/h.png)}</style>")
        << QStringList{"font https://a.example/f.woff2", "image https://a.example/h.png"};
    QTest::newRow("srcset") << QStringLiteral("<picture><source srcset=\"https://a.example/a.webp "
                                              "1x, https://a.example/b.webp 2x\">"
                                              "</picture>")
                            << QStringList{"image https://a.example/a.webp",
                                           "image https://a.example/b.webp"};
    QTest::newRow("style attribute")
        << QStringLiteral(
               "<td style=\"background-image:url(&quot;https://a.example/t.png&quot;)\">")
        << QStringList{"image https://a.example/t.png"};
    QTest::newRow("background attribute")
        << QStringLiteral("<table background=\"https://a.example/t.gif\">")
        << QStringList{"image https://a.example/t.gif"};
    QTest::newRow("script, iframe, video poster")
        << QStringLiteral(
               "<script src=https://a.example/s.js></script><iframe src=//a.example/f></iframe>"
               "<video poster=https://a.example/p.jpg src=https://a.example/v.mp4>")
        << QStringList{"script https://a.example/s.js", "frame //a.example/f",
                       "image https://a.example/p.jpg", "media https://a.example/v.mp4"};
    QTest::newRow("character references hide the scheme")
        << QStringLiteral("<img src=\"&#104;ttps&#x3A;//a.example/e.png\">")
        << QStringList{"image https://a.example/e.png"};
    QTest::newRow("tab inside the scheme")
        << QStringLiteral("<img src=\"ht\ttps://a.example/t.png\">")
        << QStringList{"image https://a.example/t.png"};
    QTest::newRow("css escapes")
        << QStringLiteral("<style>p{background:url(\\68ttps://a.example/c.png)}</style>")
        << QStringList{"image https://a.example/c.png"};
    QTest::newRow("remote base makes relative remote")
        << QStringLiteral(
               "<base href=\"https://a.example/\"><img src=\"rel.png\"><img src=\"cid:x\">")
        << QStringList{"image rel.png"};
    QTest::newRow("not resources")
        << QStringLiteral("<a href=\"https://a.example/\">link</a><img src=\"cid:x@y\"><img "
                          "src=\"data:image/png;base64,AA==\">"
                          "<!-- <img src=\"https://a.example/commented.png\"> "
                          "--><p>https://a.example/text</p>")
        << QStringList{};
    QTest::newRow("duplicates counted once")
        << QStringLiteral("<img src=https://a.example/x.png><img src=https://a.example/x.png>")
        << QStringList{"image https://a.example/x.png"};
    QTest::newRow("unterminated tag and quote")
        << QStringLiteral("<img src=\"https://a.example/x.png")
        << QStringList{"image https://a.example/x.png"};
}

void TestMimeHtml::remoteResources()
{
    QFETCH(QString, html);
    QFETCH(QStringList, expected);
    QCOMPARE(urls(findRemoteResources(html)), expected);
}

void TestMimeHtml::remoteResourcesOfMessage()
{
    const DecodedMessage message = decodeMessage(testMessage("related.eml"));
    QCOMPARE(message.htmlBodyPath, QStringLiteral("1.1.1"));
    QVERIFY(message.htmlBody.contains(QStringLiteral("Café")));
    QCOMPARE(
        urls(findRemoteResources(message.htmlBody)),
        QStringList(
            {"stylesheet https://cdn.example.com/style.css",
             "stylesheet //fonts.example.net/css?family=Sans",
             "stylesheet https://cdn.example.com/print.css",
             "font https://fonts.example.net/x.woff2", "image https://img.example.com/bg.png",
             "image http://img.example.com/body.gif", "image https://img.example.com/a-1x.png",
             "image https://img.example.com/a-2x.png", "image https://img.example.com/encoded.png",
             "image https://img.example.com/inline.png",
             "image https://track.example.com/open.gif?id=1&u=2"}));
}

void TestMimeHtml::relatedParts_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("path");

    QTest::newRow("cid") << QStringLiteral("cid:logo@example.com") << QStringLiteral("1.1.2");
    QTest::newRow("cid, other case")
        << QStringLiteral("CID:LOGO@example.com") << QStringLiteral("1.1.2");
    QTest::newRow("cid, percent-encoded with brackets")
        << QStringLiteral("cid:%3Cchart%40example.com%3E") << QStringLiteral("1.1.3");
    QTest::newRow("relative content-location")
        << QStringLiteral("images/photo.jpg") << QStringLiteral("1.1.4");
    QTest::newRow("absolute form of the same location")
        << QStringLiteral("http://example.com/news/images/photo.jpg") << QStringLiteral("1.1.4");
    QTest::newRow("unknown cid") << QStringLiteral("cid:nothing@example.com") << QString();
    QTest::newRow("remote url") << QStringLiteral("https://img.example.com/bg.png") << QString();
    QTest::newRow("the html part itself")
        << QStringLiteral("http://example.com/news/index.html") << QString();
}

void TestMimeHtml::relatedParts()
{
    QFETCH(QString, url);
    QFETCH(QString, path);
    const DecodedMessage message = decodeMessage(testMessage("related.eml"));
    QCOMPARE(findRelatedPart(message, url), path);
}

void TestMimeHtml::relatedResourceBytes()
{
    const QByteArray raw = testMessage("related.eml");
    const DecodedMessage message = decodeMessage(raw);
    const std::optional<RelatedResource> logo =
        resolveRelatedResource(raw, message, QStringLiteral("cid:logo@example.com"));
    QVERIFY(logo);
    QCOMPARE(logo->partPath, QStringLiteral("1.1.2"));
    QCOMPARE(logo->mimeType, QStringLiteral("image/png"));
    QVERIFY(logo->content.startsWith("\x89PNG\r\n"));
    QCOMPARE(logo->content.size(), message.part(QStringLiteral("1.1.2"))->decodedSize);
    QVERIFY(!resolveRelatedResource(raw, message, QStringLiteral("cid:missing")));
}

// Pathological markup must not make the scanner quadratic or crash it.
void TestMimeHtml::hostileHtmlStaysLinear()
{
    const QString manyTags = QStringLiteral("<img src=https://a.example/x.png ").repeated(50000);
    QCOMPARE(findRemoteResources(manyTags).size(), 1);
    const QString openQuotes = QStringLiteral("<a b=\"").repeated(50000);
    QVERIFY(findRemoteResources(openQuotes).isEmpty());
    const QString css = QStringLiteral("<style>") + QStringLiteral("url(").repeated(50000);
    QVERIFY(findRemoteResources(css).isEmpty());
    const QString entities = QStringLiteral("<img src=\"") + QStringLiteral("&#").repeated(50000);
    QVERIFY(findRemoteResources(entities).isEmpty());
}

QTEST_GUILESS_MAIN(TestMimeHtml)
#include "tst_mimehtml.moc"
