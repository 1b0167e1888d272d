#include "checks/CssFeatures.h"
#include "checks/CssTokenizer.h"

#include <QTest>

namespace {

// Tokens as a compact string: "ident(a) { ident(color) : ident(red) }".
QByteArray render(const QList<CssToken> &tokens)
{
    QByteArrayList parts;
    for (const CssToken &t : tokens) {
        const QByteArray bang = t.unterminated ? "!" : "";
        switch (t.type) {
        case CssTokenType::Ident:
            parts << "ident(" + t.value + ")";
            break;
        case CssTokenType::Function:
            parts << "fn(" + t.value + ")";
            break;
        case CssTokenType::AtKeyword:
            parts << "@(" + t.value + ")";
            break;
        case CssTokenType::Hash:
            parts << (t.hashIsId ? "id#(" : "hash(") + t.value + ")";
            break;
        case CssTokenType::String:
            parts << "str(" + t.value + ")" + bang;
            break;
        case CssTokenType::BadString:
            parts << "bad-str";
            break;
        case CssTokenType::Url:
            parts << "url(" + t.value + ")" + bang;
            break;
        case CssTokenType::BadUrl:
            parts << "bad-url";
            break;
        case CssTokenType::Delim:
            parts << "delim(" + t.value + ")";
            break;
        case CssTokenType::Number:
            parts << "num(" + t.value + ")";
            break;
        case CssTokenType::Percentage:
            parts << "pct(" + t.value + ")";
            break;
        case CssTokenType::Dimension:
            parts << "dim(" + t.value + "," + t.unit + ")";
            break;
        case CssTokenType::Whitespace:
            parts << "ws";
            break;
        case CssTokenType::Cdo:
            parts << "<!--";
            break;
        case CssTokenType::Cdc:
            parts << "-->";
            break;
        case CssTokenType::Colon:
            parts << ":";
            break;
        case CssTokenType::Semicolon:
            parts << ";";
            break;
        case CssTokenType::Comma:
            parts << ",";
            break;
        case CssTokenType::LeftBracket:
            parts << "[";
            break;
        case CssTokenType::RightBracket:
            parts << "]";
            break;
        case CssTokenType::LeftParen:
            parts << "(";
            break;
        case CssTokenType::RightParen:
            parts << ")";
            break;
        case CssTokenType::LeftBrace:
            parts << "{";
            break;
        case CssTokenType::RightBrace:
            parts << "}";
            break;
        case CssTokenType::Comment:
            parts << "comment" + bang;
            break;
        }
    }
    return parts.join(' ');
}

QByteArray renderUses(const CssFeatures &features)
{
    static const char *const kinds[] = {"property",  "at",      "media",   "selector",
                                        "pseudo",    "element", "fn",      "unit",
                                        "important", "custom",  "comment", "nesting"};
    QByteArrayList parts;
    for (const CssFeatureUse &use : features.uses) {
        QByteArray part = QByteArray(kinds[static_cast<int>(use.kind)]) + ":" + use.name;
        if (!use.value.isEmpty())
            part += "=" + use.value;
        parts << part + "@" + QByteArray::number(use.offset);
    }
    return parts.join(' ');
}

} // namespace

class TestCssTokenizer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tokens_data()
    {
        QTest::addColumn<QByteArray>("css");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("rule") << QByteArray("a{color:red}")
                              << QByteArray("ident(a) { ident(color) : ident(red) }");
        QTest::newRow("numbers") << QByteArray("10px 50% 1e3 -2.5em +.5")
                                 << QByteArray("dim(10,px) ws pct(50) ws num(1e3) ws "
                                               "dim(-2.5,em) ws num(+.5)");
        QTest::newRow("escape") << QByteArray("\\41 bc \\\"x")
                                << QByteArray("ident(Abc) ws ident(\"x)");
        QTest::newRow("hash") << QByteArray("#fff #1a") << QByteArray("id#(fff) ws hash(1a)");
        QTest::newRow("at-keyword") << QByteArray("@media(") << QByteArray("@(media) (");
        QTest::newRow("url") << QByteArray("url( a.png )") << QByteArray("url(a.png)");
        QTest::newRow("url function")
            << QByteArray("url( \"a\")") << QByteArray("fn(url) ws str(a) )");
        QTest::newRow("bad url") << QByteArray("url(a b) x") << QByteArray("bad-url ws ident(x)");
        QTest::newRow("function") << QByteArray("rgba(0,0,0,.5)")
                                  << QByteArray("fn(rgba) num(0) , num(0) , num(0) , num(.5) )");
        QTest::newRow("cdo cdc") << QByteArray("<!-- a -->")
                                 << QByteArray("<!-- ws ident(a) ws -->");
        QTest::newRow("custom property")
            << QByteArray("--x:1") << QByteArray("ident(--x) : num(1)");
        QTest::newRow("comment") << QByteArray("a/* b */c")
                                 << QByteArray("ident(a) comment ident(c)");
        QTest::newRow("unterminated comment")
            << QByteArray("a{/* b") << QByteArray("ident(a) { comment!");
        QTest::newRow("unterminated string")
            << QByteArray("content:'ab") << QByteArray("ident(content) : str(ab)!");
        QTest::newRow("newline in string")
            << QByteArray("'ab\ncd'") << QByteArray("bad-str ws ident(cd) str()!");
        QTest::newRow("unterminated url") << QByteArray("url(a") << QByteArray("url(a)!");
        QTest::newRow("lone backslash") << QByteArray("\\\n") << QByteArray("delim(\\) ws");
        QTest::newRow("non-ascii ident")
            << QByteArray("caf\xc3\xa9") << QByteArray("ident(caf\xc3\xa9)");
    }
    void tokens()
    {
        QFETCH(QByteArray, css);
        QFETCH(QByteArray, expected);
        QCOMPARE(render(tokenizeCss(css)), expected);
    }

    void offsets()
    {
        const QList<CssToken> tokens = tokenizeCss("a { b: 1px }");
        QCOMPARE(tokens.size(), 10);
        QCOMPARE(tokens[4].offset, 4); // b
        QCOMPARE(tokens[7].offset, 7); // 1px
        QCOMPARE(tokens[7].length, 3);
    }

    void features_data()
    {
        QTest::addColumn<QByteArray>("css");
        QTest::addColumn<bool>("sheet");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("declarations")
            << QByteArray("display:flex; width: 10px !important") << false
            << QByteArray("property:display=flex@0 unit:px@21 important:@26 property:width@14");
        QTest::newRow("media hover")
            << QByteArray("@media (max-width:600px){a:hover{color:red}}") << true
            << QByteArray("at:media@0 media:max-width@8 selector:type@25 pseudo:hover@26 "
                          "property:color=red@33");
        QTest::newRow("selectors")
            << QByteArray("div > p.x, #a ~ b + c d *[y]::before{}") << true
            << QByteArray("selector:type@0 selector:child@4 selector:type@6 selector:class@7 "
                          "selector:chaining@7 selector:grouping@9 selector:id@11 "
                          "selector:general-sibling@14 selector:type@16 "
                          "selector:adjacent-sibling@18 selector:type@20 "
                          "selector:descendant@22 selector:type@22 selector:descendant@24 "
                          "selector:universal@24 "
                          "selector:attribute@25 selector:chaining@25 element:before@28");
        QTest::newRow("functional pseudo-class")
            << QByteArray("li:nth-child(2n+1) a{}") << true
            << QByteArray("selector:type@0 pseudo:nth-child@2 selector:descendant@19 "
                          "selector:type@19");
        QTest::newRow("legacy pseudo-element")
            << QByteArray("a:after{}") << true << QByteArray("selector:type@0 element:after@1");
        QTest::newRow("keyframes")
            << QByteArray("@keyframes k{from{opacity:0}to{opacity:1}}") << true
            << QByteArray("at:keyframes@0 property:opacity@18 property:opacity@31");
        QTest::newRow("font-face")
            << QByteArray("@font-face{font-family:x;src:url(a.woff)}") << true
            << QByteArray("at:font-face@0 property:font-family=x@11 fn:url@29 property:src@25");
        QTest::newRow("variables") << QByteArray("--c:red;color:var(--c)") << false
                                   << QByteArray("custom:--c@0 property:--c=red@0 fn:var@14 "
                                                 "custom:var@14 property:color=--c@8");
        QTest::newRow("nesting") << QByteArray(".a{color:red;&:hover{color:blue}}") << true
                                 << QByteArray("selector:class@0 property:color=red@3 "
                                               "nesting:@13 pseudo:hover@14 "
                                               "property:color=blue@21");
        QTest::newRow("comment and import")
            << QByteArray("/* x */@import url(a.css);p{}") << true
            << QByteArray("comment:@0 at:import@7 selector:type@26");
        // "{" at the top starts a rule with an empty prelude; the next "{" nests in it.
        QTest::newRow("garbage") << QByteArray("}}{{;;:: ((( [[") << true
                                 << QByteArray("nesting:@3");
    }
    void features()
    {
        QFETCH(QByteArray, css);
        QFETCH(bool, sheet);
        QFETCH(QByteArray, expected);
        QCOMPARE(renderUses(sheet ? findStyleSheetFeatures(css) : findDeclarationFeatures(css)),
                 expected);
    }

    void unterminated()
    {
        QVERIFY(findStyleSheetFeatures("a{color:red /* no end").unterminated);
        QVERIFY(findDeclarationFeatures("content:'no end").unterminated);
        QVERIFY(!findDeclarationFeatures("content:'end'").unterminated);
    }
};

QTEST_GUILESS_MAIN(TestCssTokenizer)
#include "tst_csstokenizer.moc"
