#include "checks/CaniemailData.h"
#include "checks/HtmlCompatibility.h"
#include "checks/HtmlSource.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {

// caniemail's own numbers for a slug, read from the JSON file by this test rather than through
// the code under test: the share of tested versions marked y, a and n ("u" not counted).
struct Expected
{
    double supported = 0;
    double partial = 0;
    double unsupported = 0;
};

Expected caniemailSays(const QString &slug)
{
    QFile file(QStringLiteral(SMTPEEK_CANIEMAIL_JSON));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", SMTPEEK_CANIEMAIL_JSON);
    const QJsonArray data = QJsonDocument::fromJson(file.readAll()).object()[u"data"].toArray();
    for (const QJsonValue &entry : data) {
        if (entry[u"slug"].toString() != slug)
            continue;
        double y = 0, a = 0, n = 0;
        const QJsonObject stats = entry[u"stats"].toObject();
        for (const QJsonValue &platforms : stats)
            for (const QJsonValue &versions : platforms.toObject())
                for (const QJsonValue &support : versions.toObject()) {
                    const QChar c = support.toString().front();
                    y += c == u'y';
                    a += c == u'a';
                    n += c == u'n';
                }
        const double total = y + a + n;
        return {100 * y / total, 100 * a / total, 100 * n / total};
    }
    qFatal("no slug %s", qPrintable(slug));
}

const CompatibilityWarning *warning(const HtmlCompatibilityReport &report, const QString &slug)
{
    for (const CompatibilityWarning &w : report.warnings)
        if (w.slug == slug)
            return &w;
    return nullptr;
}

} // namespace

class TestHtmlCompat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void data()
    {
        const CaniemailData &data = caniemailData();
        QVERIFY(data.features.size() > 250);
        QVERIFY(!data.lastUpdate.isEmpty());
        QCOMPARE(data.familyNames.value(QStringLiteral("outlook")), QStringLiteral("Outlook"));
        QVERIFY(data.platforms().value(QStringLiteral("windows")).contains(u"Outlook"_qs));
    }

    void knownFeatures_data()
    {
        QTest::addColumn<QByteArray>("html");
        QTest::addColumn<QString>("slug");
        QTest::addColumn<QByteArray>("at"); // where the first finding points
        QTest::addColumn<int>("found");
        const QByteArray head = "<!DOCTYPE html><html><head>";
        QTest::newRow("flexbox") << QByteArray("<div style=\"display: flex\">a</div>")
                                 << "css-display-flex" << QByteArray("display: flex") << 1;
        QTest::newRow("style in head")
            << head + "<style>p{color:red}</style></head><body><p>x</p></body></html>"
            << "html-style" << QByteArray("<style>p") << 1;
        QTest::newRow("background-image")
            << QByteArray("<table><tr><td style=\"color:red;background-image:url(a.png)\">x"
                          "</td></tr></table>")
            << "css-background-image" << QByteArray("background-image") << 1;
        QTest::newRow("media query")
            << head + "<style>@media (max-width:600px){td{width:100%}}</style></head>"
            << "css-at-media" << QByteArray("@media") << 1;
        QTest::newRow("hover") << head +
                                      "<style>a:hover{color:red} b:hover{color:blue}</style></head>"
                               << "css-pseudo-class-hover" << QByteArray(":hover{color:red}") << 2;
        QTest::newRow("svg element") << QByteArray("<p>x</p><svg><circle r=\"1\"/></svg>")
                                     << "html-svg" << QByteArray("<svg>") << 1;
        QTest::newRow("webp image") << QByteArray("<img src=\"https://x.test/a.WEBP?v=1\">")
                                    << "image-webp" << QByteArray("src=") << 1;
        QTest::newRow("input checkbox") << QByteArray("<form><input type=checkbox></form>")
                                        << "html-input-checkbox" << QByteArray("<input") << 1;
    }
    void knownFeatures()
    {
        QFETCH(QByteArray, html);
        QFETCH(QString, slug);
        QFETCH(QByteArray, at);
        QFETCH(int, found);
        const HtmlCompatibilityReport report = checkHtmlCompatibility(html);
        const CompatibilityWarning *w = warning(report, slug);
        QVERIFY2(w, qPrintable(slug));
        const Expected expected = caniemailSays(slug);
        QCOMPARE(w->score.found, found);
        QVERIFY(qAbs(w->score.supported - expected.supported) < 1e-9);
        QVERIFY(qAbs(w->score.partial - expected.partial) < 1e-9);
        QVERIFY(qAbs(w->score.unsupported - expected.unsupported) < 1e-9);
        QVERIFY(!w->locations.isEmpty());
        QCOMPARE(w->locations.first().offset, html.indexOf(at));
        QCOMPARE(w->locations.first().line, 1);
        QVERIFY(!w->results.isEmpty());
        QCOMPARE(w->url, "https://www.caniemail.com/features/" + slug + "/");
    }

    // Mailpit's total: the worst feature, weighted by how much of the document uses it.
    void weightedTotal()
    {
        const QByteArray html = "<html><body><div style=\"display:flex\"><p>a</p><p>b</p>"
                                "<p>c</p></div></body></html>";
        const HtmlCompatibilityReport report = checkHtmlCompatibility(html);
        QCOMPARE(report.nodes, 5); // body, div and three p
        const Expected flex = caniemailSays(QStringLiteral("css-display-flex"));
        QVERIFY(report.unsupported >= flex.unsupported / 5 - 1e-9);
        QVERIFY(qAbs(report.supported + report.partial + report.unsupported - 100) < 1e-6);
        QVERIFY(!report.clients.isEmpty());
        // Outlook on Windows does not do flexbox at all: its score is the worst.
        bool outlookWindows = false;
        for (const ClientCompatibility &client : report.clients)
            if (client.family == u"outlook" && client.platform == u"windows") {
                outlookWindows = true;
                QCOMPARE(client.unsupported, 100.0 / 5);
            }
        QVERIFY(outlookWindows);
    }

    void plainHtmlHasNoWarnings()
    {
        const HtmlCompatibilityReport report = checkHtmlCompatibility("<b>x</b>");
        QVERIFY(report.hasHtml);
        QCOMPARE(report.nodes, 1);
        QCOMPARE(report.supported, 100.0);
        QVERIFY(report.tests > 250);
        QVERIFY(!checkHtmlCompatibility({}).hasHtml);
    }

    void lineAndColumn()
    {
        const QByteArray html = "<p>\n  \xc3\xa9<span style=\"position:absolute\">x</span></p>";
        const HtmlCompatibilityReport report = checkHtmlCompatibility(html);
        const CompatibilityWarning *w = warning(report, QStringLiteral("css-position"));
        QVERIFY(w);
        QCOMPARE(w->locations.first().line, 2);
        QCOMPARE(w->locations.first().column, 17); // 2 spaces, é, <span style=" is 13 more
        QCOMPARE(w->locations.first().offset, html.indexOf("position"));
    }

    void markdown()
    {
        QCOMPARE(
            caniemailMarkdownToHtml(QStringLiteral("Use `<b>` & [docs](https://x.test/?a=1&b)")),
            QStringLiteral("Use <code>&lt;b&gt;</code> &amp; "
                           "<a href=\"https://x.test/?a=1&amp;b\" target=\"_blank\">docs</a>"));
        QCOMPARE(caniemailMarkdownToHtml(QStringLiteral("**Not** `open")),
                 QStringLiteral("<strong>Not</strong> <code>open</code>"));
    }

    void gmailClipping()
    {
        const QByteArray small = "<p>" + QByteArray(1000, 'x') + "</p>";
        QVERIFY(!checkHtmlCompatibility(small).gmailClips);
        const QByteArray big = "<p>" + QByteArray(kGmailClipBytes, 'x') + "</p>";
        QVERIFY(checkHtmlCompatibility(big).gmailClips);
    }

    // Hostile input: bounded time, a report that says it stopped, no crash.
    void deepNesting()
    {
        QByteArray html;
        for (int i = 0; i < 100000; ++i)
            html += "<div>";
        QElapsedTimer timer;
        timer.start();
        const HtmlCompatibilityReport report = checkHtmlCompatibility(html);
        qInfo("100,000 nested divs: %lld ms", static_cast<long long>(timer.elapsed()));
        QVERIFY(report.partlyChecked);
        QCOMPARE(report.nodes, int(kMaxParsedTags));
    }

    void hugePart()
    {
        QByteArray html = "<html><head><style>p{color:red}</style></head><body>";
        const QByteArray row = "<p style=\"margin:0\">Lorem ipsum dolor sit amet</p>\n";
        while (html.size() < 20 * 1024 * 1024)
            html += row;
        QElapsedTimer timer;
        timer.start();
        const HtmlCompatibilityReport report = checkHtmlCompatibility(html);
        qInfo("20 MB HTML: %lld ms", static_cast<long long>(timer.elapsed()));
        QVERIFY(report.gmailClips);
        QVERIFY(report.partlyChecked);
        QVERIFY(report.nodes > 1000);
        const CompatibilityWarning *margin = warning(report, QStringLiteral("css-margin"));
        QVERIFY(margin);
        QCOMPARE(margin->locations.size(), kMaxLocationsPerFeature);
    }

    void unterminatedCss()
    {
        const QByteArray html = "<style>a{color:red} /* never closed</style>"
                                "<p style=\"content:'open\">x</p><style>b{x:url(open</style>";
        const HtmlCompatibilityReport report = checkHtmlCompatibility(html);
        QVERIFY(report.unterminatedCss);
        QVERIFY(warning(report, QStringLiteral("css-comments")));
    }

    void manyLinks()
    {
        QByteArray html;
        for (int i = 0; i < 10000; ++i)
            html += "<a href=\"#s" + QByteArray::number(i) + "\">x</a>";
        const HtmlCompatibilityReport report = checkHtmlCompatibility(html);
        const CompatibilityWarning *anchors = warning(report, QStringLiteral("html-anchor-links"));
        QVERIFY(anchors);
        QCOMPARE(anchors->score.found, 10000);
        QCOMPARE(anchors->locations.size(), kMaxLocationsPerFeature);
    }
};

QTEST_GUILESS_MAIN(TestHtmlCompat)
#include "tst_htmlcompat.moc"
