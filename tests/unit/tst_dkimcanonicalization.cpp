#include "checks/DkimCanonicalization.h"
#include "checks/RawHeaders.h"

#include <QTest>

using Canon = DkimCanonicalization;
Q_DECLARE_METATYPE(DkimCanonicalization)

// RFC 6376 3.4.5, written out: "<SP>" is a space, "<HTAB>" a tab, "<CRLF>" a line break.
static const QByteArray kExampleHeader = "A: X\r\n"
                                         "B : Y\t\r\n"
                                         "\tZ  \r\n";
static const QByteArray kExampleBody = " C \r\n"
                                       "D \t E\r\n"
                                       "\r\n"
                                       "\r\n";

class tst_DkimCanonicalization : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rfcExampleHeaders_data();
    void rfcExampleHeaders();
    void rfcExampleBody_data();
    void rfcExampleBody();
    void headerField_data();
    void headerField();
    void body_data();
    void body();
};

void tst_DkimCanonicalization::rfcExampleHeaders_data()
{
    QTest::addColumn<Canon>("canonicalization");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("relaxed") << Canon::Relaxed << QByteArray("a:X\r\nb:Y Z\r\n");
    QTest::newRow("simple") << Canon::Simple << kExampleHeader;
}

void tst_DkimCanonicalization::rfcExampleHeaders()
{
    QFETCH(Canon, canonicalization);
    QFETCH(QByteArray, expected);
    const QByteArray message = kExampleHeader + "\r\n" + kExampleBody;
    const RawHeaderBlock block = scanHeaderBlock(message);
    QCOMPARE(block.fields.size(), 2);
    QByteArray canonical;
    for (const RawHeaderField &field : block.fields)
        canonical += canonicalHeaderField(
            canonicalization, QByteArrayView(message).sliced(field.offset, field.length));
    QCOMPARE(canonical, expected);
    QCOMPARE(message.mid(block.bodyOffset), kExampleBody);
}

void tst_DkimCanonicalization::rfcExampleBody_data()
{
    QTest::addColumn<Canon>("canonicalization");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("relaxed") << Canon::Relaxed << QByteArray(" C\r\nD E\r\n");
    QTest::newRow("simple") << Canon::Simple << QByteArray(" C \r\nD \t E\r\n");
}

void tst_DkimCanonicalization::rfcExampleBody()
{
    QFETCH(Canon, canonicalization);
    QFETCH(QByteArray, expected);
    QCOMPARE(canonicalBody(canonicalization, kExampleBody), expected);
}

void tst_DkimCanonicalization::headerField_data()
{
    QTest::addColumn<Canon>("canonicalization");
    QTest::addColumn<QByteArray>("field");
    QTest::addColumn<QByteArray>("expected");
    const auto relaxed = [](const char *name, const QByteArray &field, const QByteArray &expected) {
        QTest::newRow(name) << Canon::Relaxed << field << expected;
    };
    relaxed("name lower-cased", "SUBJECT: Hi\r\n", "subject:Hi\r\n");
    relaxed("blanks before colon", "Subject \t: Hi\r\n", "subject:Hi\r\n");
    relaxed("inner runs", "Subject: a \t  b\r\n", "subject:a b\r\n");
    relaxed("trailing blanks", "Subject: a  \t\r\n", "subject:a\r\n");
    relaxed("folded", "Subject: a\r\n  b\r\n\tc\r\n", "subject:a b c\r\n");
    relaxed("empty value", "Subject:\r\n", "subject:\r\n");
    relaxed("only blanks", "Subject:  \t \r\n", "subject:\r\n");
    relaxed("no final line break", "Subject: a", "subject:a\r\n");
    relaxed("bare LF folding", "Subject: a\n b\n", "subject:a b\r\n");
    relaxed("colon in value", "X-Time: 10:00 : 1\r\n", "x-time:10:00 : 1\r\n");
    QTest::newRow("simple keeps bytes") << Canon::Simple << QByteArray("SubJect : a \r\n b\r\n")
                                        << QByteArray("SubJect : a \r\n b\r\n");
}

void tst_DkimCanonicalization::headerField()
{
    QFETCH(Canon, canonicalization);
    QFETCH(QByteArray, field);
    QFETCH(QByteArray, expected);
    QCOMPARE(canonicalHeaderField(canonicalization, field), expected);
}

void tst_DkimCanonicalization::body_data()
{
    QTest::addColumn<Canon>("canonicalization");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("expected");
    const auto row = [](const char *name, Canon c, const QByteArray &body,
                        const QByteArray &expected) {
        QTest::newRow(name) << c << body << expected;
    };
    // RFC 6376 3.4.3: an empty body is one CRLF (simple); 3.4.4 and erratum 3133: empty (relaxed).
    row("simple empty", Canon::Simple, "", "\r\n");
    row("relaxed empty", Canon::Relaxed, "", "");
    row("simple only empty lines", Canon::Simple, "\r\n\r\n\r\n", "\r\n");
    row("relaxed only empty lines", Canon::Relaxed, "\r\n\r\n\r\n", "");
    row("relaxed blank lines are empty", Canon::Relaxed, "a\r\n \t\r\n  \r\n", "a\r\n");
    row("simple keeps blank lines", Canon::Simple, "a\r\n \r\n", "a\r\n \r\n");
    row("simple no final CRLF", Canon::Simple, "a", "a\r\n");
    row("relaxed no final CRLF", Canon::Relaxed, "a  b ", "a b\r\n");
    row("relaxed leading blanks kept as one", Canon::Relaxed, "\t\tx\r\n", " x\r\n");
    row("inner empty lines kept", Canon::Relaxed, "a\r\n\r\nb\r\n\r\n", "a\r\n\r\nb\r\n");
}

void tst_DkimCanonicalization::body()
{
    QFETCH(Canon, canonicalization);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, expected);
    QCOMPARE(canonicalBody(canonicalization, body), expected);
}

QTEST_GUILESS_MAIN(tst_DkimCanonicalization)
#include "tst_dkimcanonicalization.moc"
