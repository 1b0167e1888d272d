// Decoding of hand-made messages: headers (RFC 2047, RFC 2231), bodies, charsets and the
// malformed shapes real senders produce.
#include "mime/DecodedMessage.h"
#include "mime/Headline.h"
#include "mime/MimeRuntime.h"

#include <QtTest>

namespace {

// Test messages are written with "\n"; SMTP delivers CRLF.
QByteArray crlf(QByteArray text)
{
    return text.replace("\n", "\r\n");
}

QByteArray withSubject(const QByteArray &subject)
{
    return crlf("From: a@example.com\nSubject: ") + subject + crlf("\n\nbody\n");
}

QByteArray withBody(const QByteArray &headers, const QByteArray &body)
{
    return crlf("From: a@example.com\nSubject: body test\nMIME-Version: 1.0\n" + headers + "\n\n") +
           body;
}

bool hasWarningContaining(const DecodedMessage &message, const QString &needle)
{
    return std::any_of(message.warnings.begin(), message.warnings.end(),
                       [&](const MimeWarning &warning) {
                           return warning.text.contains(needle, Qt::CaseInsensitive);
                       });
}

// multipart/mixed nested `depth` times around one text/plain part.
QByteArray nestedMultiparts(int depth)
{
    QByteArray message = crlf("From: a@example.com\nSubject: deep\nMIME-Version: 1.0\n");
    QByteArray closing;
    for (int level = 0; level < depth; ++level) {
        const QByteArray boundary = "b" + QByteArray::number(level);
        message += "Content-Type: multipart/mixed; boundary=\"" + boundary + "\"\r\n\r\n--" +
                   boundary + "\r\n";
        closing.prepend("\r\n--" + boundary + "--\r\n");
    }
    return message + crlf("Content-Type: text/plain\n\ninnermost") + closing;
}

} // namespace

class TestMimeDecode : public QObject
{
    Q_OBJECT

    MimeRuntime m_mime;

private Q_SLOTS:

    void encodedWords_data();
    void encodedWords();
    void addresses();
    void headerOrderAndRawValues();
    void fileNames_data();
    void fileNames();
    void bodies_data();
    void bodies();
    void brokenBase64();
    void nestedThirtyDeep();
    void hostileNesting();
    void missingBoundary();
    void neverClosedBoundary();
    void noHeader();
    void bareLineFeeds();
    void attachedMessage();
    void partContentByPath();
    void bareLineFeedBeforeBoundary();
    void headline();
};

void TestMimeDecode::encodedWords_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QString>("expected");

    QTest::newRow("utf-8 B") << QByteArray("=?UTF-8?B?w6lsw6h2ZQ==?=") << QStringLiteral("élève");
    QTest::newRow("utf-8 Q") << QByteArray("=?utf-8?q?caf=C3=A9_cr=C3=A8me?=")
                             << QStringLiteral("café crème");
    QTest::newRow("iso-8859-1 Q") << QByteArray("=?ISO-8859-1?Q?Andr=E9?= Pirard")
                                  << QStringLiteral("André Pirard");
    QTest::newRow("iso-2022-jp B")
        << QByteArray("=?ISO-2022-JP?B?GyRCRnxLXDhsGyhC?=") << QStringLiteral("日本語");
    QTest::newRow("windows-1252 Q")
        << QByteArray("=?windows-1252?Q?=93quoted=94_=80?=") << QStringLiteral("“quoted” €");
    QTest::newRow("adjacent words drop the space between them")
        << QByteArray("=?UTF-8?Q?a?= =?UTF-8?Q?b?=") << QStringLiteral("ab");
    QTest::newRow("word next to plain text")
        << QByteArray("Hello =?UTF-8?Q?W=C3=B6rld?=!") << QStringLiteral("Hello Wörld!");
    QTest::newRow("folded across lines")
        << QByteArray("=?UTF-8?Q?long?=\r\n =?UTF-8?Q?_line?=") << QStringLiteral("long line");
    QTest::newRow("character split over two Q words")
        << QByteArray("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=") << QStringLiteral("café");
    QTest::newRow("character split over two B words")
        << QByteArray("=?UTF-8?B?Y2Fmww==?= =?UTF-8?B?qQ==?=") << QStringLiteral("café");
    // GMime 3.2 alone decodes these two to "café" and "caf?": see withBWordsAsQWords().
    QTest::newRow("two padded B words")
        << QByteArray("=?UTF-8?B?Y2Fmw6k=?= =?UTF-8?B?w6k=?=") << QStringLiteral("caféé");
    QTest::newRow("unencoded utf-8") << QByteArray("Gr\xc3\xbc\xc3\x9f"
                                                   "e")
                                     << QStringLiteral("Grüße");
    QTest::newRow("unencoded latin-1") << QByteArray("Gr\xfc\xdf"
                                                     "e")
                                       << QStringLiteral("Grüße");
    QTest::newRow("word without spaces around (loose)")
        << QByteArray("abc=?UTF-8?Q?=C3=A9?=def") << QStringLiteral("abcédef");
    QTest::newRow("encoded line breaks and escapes stay on one line")
        << QByteArray("=?utf-8?q?hello=0D=0Asession_7=09ended=1B[31m?=")
        << QStringLiteral("hello  session 7 ended\uFFFD[31m");
    QTest::newRow("unknown charset left readable")
        << QByteArray("=?x-unknown?Q?plain?=") << QStringLiteral("plain");
}

void TestMimeDecode::encodedWords()
{
    QFETCH(QByteArray, raw);
    QFETCH(QString, expected);
    const DecodedMessage message = decodeMessage(withSubject(raw));
    QCOMPARE(message.subject, expected);
}

void TestMimeDecode::addresses()
{
    const DecodedMessage message = decodeMessage(
        crlf("From: =?UTF-8?Q?J=C3=B6rg?= <jorg@example.com>\n"
             "To: \"Doe, Jane\" <jane@example.com>, bob@example.com\n"
             "Cc: Team: ann@example.com, Ben <ben@example.com>;, undisclosed-recipients:;\n"
             "Bcc: hidden@example.com\n"
             "Reply-To: replies@example.com\n"
             "Subject: x\n\nbody\n"));
    QCOMPARE(message.from.size(), 1);
    QCOMPARE(message.from.first().name, QStringLiteral("Jörg"));
    QCOMPARE(message.from.first().address, QStringLiteral("jorg@example.com"));
    QCOMPARE(message.to.size(), 2);
    QCOMPARE(message.to.at(0).name, QStringLiteral("Doe, Jane"));
    QCOMPARE(message.to.at(1).address, QStringLiteral("bob@example.com"));
    QCOMPARE(message.cc.size(), 3);
    QCOMPARE(message.cc.at(0).group, QStringLiteral("Team"));
    QCOMPARE(message.cc.at(1).name, QStringLiteral("Ben"));
    QCOMPARE(message.cc.at(2).group, QStringLiteral("undisclosed-recipients"));
    QVERIFY(message.cc.at(2).address.isEmpty());
    QCOMPARE(message.bcc.first().address, QStringLiteral("hidden@example.com"));
    QCOMPARE(message.replyTo.first().address, QStringLiteral("replies@example.com"));

    const DecodedMessage padded =
        decodeMessage(crlf("From: =?UTF-8?B?SGVsbG8g?= =?UTF-8?B?V29ybGQ=?= <a@example.com>\n"
                           "To: =?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?= <b@example.com>, c@example.com\n"
                           "Subject: x\n\nbody\n"));
    QCOMPARE(padded.from.first().name, QStringLiteral("Hello World"));

    const DecodedMessage folded =
        decodeMessage(crlf("From: \"John\n Doe\" <john@example.com>\nSubject: x\n\nbody\n"));
    QCOMPARE(folded.from.first().name, QStringLiteral("John Doe"));
    QCOMPARE(padded.to.size(), 2);
    QCOMPARE(padded.to.first().name, QStringLiteral("éé"));
    QCOMPARE(padded.to.first().address, QStringLiteral("b@example.com"));
    QCOMPARE(
        readHeadline(crlf("From: a@example.com\nTo: =?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?= "
                          "<b@example.com>\nSubject: =?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?=\n\nx\n"))
            .subject,
        QStringLiteral("éé"));
}

void TestMimeDecode::headerOrderAndRawValues()
{
    const DecodedMessage message = decodeMessage(
        crlf("Received: from a\n by b\nFrom: a@example.com\nContent-Type: text/plain; "
             "charset=utf-8\nSubject: =?UTF-8?Q?=C3=A9t=C3=A9?=\nX-Custom: one\nDate: Sat, 2 Jan "
             "2016 17:42:00 -0400\nMessage-ID: <id@example.com>\n\nbody\n"));
    QStringList names;
    for (const MimeHeader &header : message.headers)
        names.append(header.name);
    QCOMPARE(names, QStringList({"Received", "From", "Content-Type", "Subject", "X-Custom", "Date",
                                 "Message-ID"}));
    QCOMPARE(message.headers.at(0).value, QStringLiteral("from a by b"));
    QCOMPARE(message.headers.at(0).rawValue, QByteArray(" from a\r\n by b"));
    QCOMPARE(message.headers.at(3).value, QStringLiteral("été"));
    QCOMPARE(message.headers.at(3).rawValue, QByteArray(" =?UTF-8?Q?=C3=A9t=C3=A9?="));
    QCOMPARE(message.messageId, QStringLiteral("id@example.com"));
    QCOMPARE(message.date, QDateTime(QDate(2016, 1, 2), QTime(21, 42), Qt::UTC));
    QCOMPARE(message.date.offsetFromUtc(), -4 * 3600);
}

void TestMimeDecode::fileNames_data()
{
    QTest::addColumn<QByteArray>("disposition");
    QTest::addColumn<QString>("expected");

    QTest::newRow("plain") << QByteArray("attachment; filename=\"report.pdf\"")
                           << QStringLiteral("report.pdf");
    QTest::newRow("rfc 2231 with charset")
        << QByteArray("attachment; filename*=iso-8859-1'en'%A3%20rates.txt")
        << QStringLiteral("£ rates.txt");
    QTest::newRow("rfc 2231 continuations")
        << QByteArray("attachment;\r\n filename*0*=UTF-8''%E2%82%AC%20very%20long%20;\r\n"
                      " filename*1*=na%C3%AFve;\r\n filename*2=\"-name.pdf\"")
        << QStringLiteral("€ very long naïve-name.pdf");
    QTest::newRow("rfc 2047 inside quotes (not standard, common)")
        << QByteArray("attachment; filename=\"=?UTF-8?B?w6lsw6h2ZS5wZGY=?=\"")
        << QStringLiteral("élève.pdf");
    QTest::newRow("filename* wins over filename")
        << QByteArray("attachment; filename=\"fallback.pdf\"; filename*=UTF-8''r%C3%A9el.pdf")
        << QStringLiteral("réel.pdf");
}

void TestMimeDecode::fileNames()
{
    QFETCH(QByteArray, disposition);
    QFETCH(QString, expected);
    const QByteArray raw = withBody("Content-Type: multipart/mixed; boundary=x",
                                    crlf("--x\nContent-Type: text/plain\n\nhello\n--x\n"
                                         "Content-Type: application/octet-stream\n"
                                         "Content-Transfer-Encoding: base64\n"
                                         "Content-Disposition: ") +
                                        disposition + crlf("\n\nAAEC\n--x--\n"));
    const DecodedMessage message = decodeMessage(raw);
    const MimePart *attachment = message.part(QStringLiteral("1.2"));
    QVERIFY(attachment);
    QCOMPARE(attachment->fileName, expected);
    QVERIFY(attachment->isAttachment);
    QCOMPARE(attachment->decodedSize, 3);
}

void TestMimeDecode::bodies_data()
{
    QTest::addColumn<QByteArray>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("warning"); // a substring of one warning; empty: none expected

    QTest::newRow("quoted-printable soft breaks")
        << QByteArray("Content-Type: text/plain; charset=utf-8\n"
                      "Content-Transfer-Encoding: quoted-printable")
        << crlf("Soft=\nbreak, =3D sign, caf=C3=A9 and a trailing space=20\n")
        << QStringLiteral("Softbreak, = sign, café and a trailing space \r\n") << QString();
    QTest::newRow("8-bit utf-8 without transfer encoding")
        << QByteArray("Content-Type: text/plain; charset=utf-8") << QByteArray("na\xc3\xafve\r\n")
        << QStringLiteral("naïve\r\n") << QString();
    QTest::newRow("8-bit without charset or transfer encoding")
        << QByteArray("Content-Type: text/plain") << QByteArray("caf\xe9\r\n")
        << QStringLiteral("café\r\n") << QStringLiteral("without a declared charset");
    QTest::newRow("windows-1252") << QByteArray("Content-Type: text/plain; charset=windows-1252")
                                  << QByteArray("\x93quoted\x94 \x80\r\n")
                                  << QStringLiteral("“quoted” €\r\n") << QString();
    QTest::newRow("iso-2022-jp") << QByteArray("Content-Type: text/plain; charset=ISO-2022-JP")
                                 << QByteArray("\x1b$BF|K\\8l\x1b(B\r\n")
                                 << QStringLiteral("日本語\r\n") << QString();
    QTest::newRow("invalid utf-8 is replaced, not dropped")
        << QByteArray("Content-Type: text/plain; charset=utf-8") << QByteArray("a\xff\xfe z\r\n")
        << QStringLiteral("a\uFFFD\uFFFD z\r\n") << QStringLiteral("replaced by U+FFFD");
    QTest::newRow("unknown charset")
        << QByteArray("Content-Type: text/plain; charset=x-no-such") << QByteArray("caf\xe9\r\n")
        << QStringLiteral("café\r\n") << QStringLiteral("unknown charset");
    QTest::newRow("comment after the charset")
        << QByteArray("Content-Type: text/plain; charset=iso-8859-1 (Latin 1)")
        << QByteArray("caf\xe9\r\n") << QStringLiteral("café\r\n") << QString();
    QTest::newRow("NUL byte kept")
        << QByteArray("Content-Type: text/plain; charset=us-ascii") << QByteArray("a\0b\r\n", 5)
        << QString::fromUtf8("a\0b\r\n", 5) << QString();
    QTest::newRow("base64 utf-8") << QByteArray("Content-Type: text/plain; charset=utf-8\n"
                                                "Content-Transfer-Encoding: base64")
                                  << QByteArray("w6lsw6h2ZQ==\r\n") << QStringLiteral("élève")
                                  << QString();
}

void TestMimeDecode::bodies()
{
    QFETCH(QByteArray, headers);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QFETCH(QString, warning);
    const DecodedMessage message = decodeMessage(withBody(crlf(headers), body));
    QCOMPARE(message.textBodyPath, QStringLiteral("1"));
    QCOMPARE(message.textBody, expected);
    if (warning.isEmpty())
        QVERIFY2(message.warnings.isEmpty(), qPrintable(message.warnings.value(0).text));
    else
        QVERIFY(hasWarningContaining(message, warning));
}

void TestMimeDecode::brokenBase64()
{
    const DecodedMessage message =
        decodeMessage(withBody("Content-Type: text/plain; charset=utf-8\n"
                               "Content-Transfer-Encoding: base64",
                               "SGVsbG8g!V29y*bGQ\r\n"));
    QVERIFY(message.textBody.startsWith(QStringLiteral("Hello ")));
    QVERIFY(hasWarningContaining(message, QStringLiteral("malformed base64")));
}

void TestMimeDecode::nestedThirtyDeep()
{
    const DecodedMessage message = decodeMessage(nestedMultiparts(30));
    QCOMPARE(message.parts.size(), 31);
    QCOMPARE(message.parts.last().depth, 30);
    QCOMPARE(message.parts.last().contentType, QStringLiteral("text/plain"));
    QCOMPARE(message.textBody.trimmed(), QStringLiteral("innermost"));
    QCOMPARE(message.textBodyPath, QStringLiteral("1") + QStringLiteral(".1").repeated(30));
}

void TestMimeDecode::hostileNesting()
{
    const DecodedMessage message = decodeMessage(nestedMultiparts(5000));
    QVERIFY(!message.parts.isEmpty());
    QVERIFY(!message.warnings.isEmpty());
}

void TestMimeDecode::missingBoundary()
{
    const DecodedMessage message =
        decodeMessage(withBody("Content-Type: multipart/mixed", "--x\r\nnot a part\r\n--x--\r\n"));
    QVERIFY(!message.parts.isEmpty());
    QVERIFY(hasWarningContaining(message, QStringLiteral("boundary")));
}

void TestMimeDecode::neverClosedBoundary()
{
    const DecodedMessage message =
        decodeMessage(withBody("Content-Type: multipart/alternative; boundary=x",
                               crlf("--x\nContent-Type: text/plain\n\nfirst\n--x\n"
                                    "Content-Type: text/html\n\n<p>second</p>\n")));
    QCOMPARE(message.parts.size(), 3);
    QCOMPARE(message.textBody.trimmed(), QStringLiteral("first"));
    QCOMPARE(message.htmlBody.trimmed(), QStringLiteral("<p>second</p>"));
}

void TestMimeDecode::noHeader()
{
    const QByteArray raw("just some text\r\nand more\r\n");
    const DecodedMessage message = decodeMessage(raw);
    QVERIFY(!message.hasHeader);
    QCOMPARE(message.textBody, QString::fromLatin1(raw));
    QCOMPARE(message.parts.size(), 1);
    QCOMPARE(message.parts.first().contentType, QStringLiteral("text/plain"));
    QVERIFY(hasWarningContaining(message, QStringLiteral("does not start with a header")));
    QCOMPARE(decodePartContent(raw, QStringLiteral("1")), raw);
    QCOMPARE(decodeMessage(QByteArray()).hasHeader, false);
}

void TestMimeDecode::bareLineFeeds()
{
    const DecodedMessage message = decodeMessage(
        "From: a@example.com\nSubject: bare\nContent-Type: multipart/mixed; boundary=b\n\n"
        "--b\nContent-Type: text/plain\n\nline one\nline two\n--b\n"
        "Content-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--b--\n");
    QCOMPARE(message.subject, QStringLiteral("bare"));
    QCOMPARE(message.parts.size(), 3);
    QCOMPARE(message.textBody, QStringLiteral("line one\nline two"));
    QCOMPARE(message.parts.at(2).decodedSize, 8);
}

void TestMimeDecode::attachedMessage()
{
    const QByteArray inner = crlf("From: inner@example.com\nSubject: inner\n"
                                  "Content-Type: multipart/alternative; boundary=y\n\n"
                                  "--y\nContent-Type: text/plain\n\ninner text\n--y\n"
                                  "Content-Type: text/html\n\n<b>inner</b>\n--y--\n\nepilogue");
    const QByteArray raw =
        withBody("Content-Type: multipart/mixed; boundary=x",
                 crlf("--x\nContent-Type: text/plain\n\nouter text\n--x\n"
                      "Content-Type: message/rfc822\n"
                      "Content-Disposition: attachment; filename=\"forwarded.eml\"\n\n") +
                     inner + crlf("\n--x--\n"));
    const DecodedMessage message = decodeMessage(raw);
    QStringList paths;
    for (const MimePart &part : message.parts)
        paths.append(part.path + QLatin1Char(' ') + part.contentType);
    QCOMPARE(paths, QStringList({"1 multipart/mixed", "1.1 text/plain", "1.2 message/rfc822",
                                 "1.2.1 multipart/alternative", "1.2.1.1 text/plain",
                                 "1.2.1.2 text/html"}));
    const MimePart *attached = message.part(QStringLiteral("1.2"));
    QCOMPARE(attached->fileName, QStringLiteral("forwarded.eml"));
    QVERIFY(attached->isAttachment);
    QCOMPARE(message.part(QStringLiteral("1.2.1.1"))->enclosingMessage, QStringLiteral("1.2"));
    QCOMPARE(message.textBody.trimmed(), QStringLiteral("outer text"));
    // The outer message has no HTML of its own; the attached message's HTML is the best there is.
    QCOMPARE(message.htmlBodyPath, QStringLiteral("1.2.1.2"));
    // Byte for byte as sent, not as GMime would write it back.
    QCOMPARE(decodePartContent(raw, QStringLiteral("1.2")), inner);
    QCOMPARE(attached->decodedSize, inner.size());
}

void TestMimeDecode::partContentByPath()
{
    const QByteArray raw = withBody(
        "Content-Type: multipart/mixed; boundary=x",
        crlf("--x\nContent-Type: text/plain\n\nhello\n--x\n"
             "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
             "AAECAwQ=\n--x--\n"));
    QCOMPARE(decodePartContent(raw, QStringLiteral("1.2")), QByteArray("\0\1\2\3\4", 5));
    QCOMPARE(decodePartContent(raw, QStringLiteral("1.1")), QByteArray("hello"));
    QVERIFY(decodePartContent(raw, QStringLiteral("1")).isEmpty());
    for (const char *missing : {"", "2", "1.3", "1.0", "1.x", "1.1.1", "1..1"})
        QVERIFY2(decodePartContent(raw, QString::fromLatin1(missing)).isEmpty(), missing);
}

// A CRLF message with one bare LF before a boundary keeps every content byte (GMime 3.2 alone
// drops the last one), and a CRLF before a boundary still belongs to the boundary.
void TestMimeDecode::bareLineFeedBeforeBoundary()
{
    const QByteArray raw = withBody("Content-Type: multipart/mixed; boundary=b",
                                    "--b\r\nContent-Type: text/plain\r\n\r\n10 EUR\n"
                                    "--b\r\nContent-Type: text/plain\r\n\r\n20 USD\r\n"
                                    "--b\r\nContent-Type: application/octet-stream\r\n"
                                    "Content-Transfer-Encoding: base64\r\n\r\nAAECAwQ=\n--b--\r\n");
    QCOMPARE(decodePartContent(raw, QStringLiteral("1.1")), QByteArray("10 EUR"));
    QCOMPARE(decodePartContent(raw, QStringLiteral("1.2")), QByteArray("20 USD"));
    QCOMPARE(decodePartContent(raw, QStringLiteral("1.3")), QByteArray("\0\1\2\3\4", 5));
    QCOMPARE(decodeMessage(raw).textBody, QStringLiteral("10 EUR"));
}

void TestMimeDecode::headline()
{
    const QByteArray raw =
        withBody("To: Bob <bob@example.com>\nDate: Sat, 2 Jan 2016 17:42:00 -0400\n"
                 "Message-ID: <m@example.com>\nContent-Type: multipart/mixed; boundary=x",
                 crlf("--x\nContent-Type: text/plain\n\nhello\n--x\n"
                      "Content-Type: application/pdf; name=a.pdf\n\n%PDF\n--x--\n"));
    const MessageHeadline headline = readHeadline(raw);
    QCOMPARE(headline.from, QStringLiteral("a@example.com"));
    QCOMPARE(headline.to, QStringLiteral("Bob <bob@example.com>"));
    QCOMPARE(headline.subject, QStringLiteral("body test"));
    QCOMPARE(headline.messageId, QStringLiteral("m@example.com"));
    QCOMPARE(headline.dateMs,
             QDateTime(QDate(2016, 1, 2), QTime(21, 42), Qt::UTC).toMSecsSinceEpoch());
    QVERIFY(headline.hasAttachments);
    QVERIFY(!readHeadline(withSubject("no attachment")).hasAttachments);
    QCOMPARE(readHeadline("no header here").subject, QString());
    QCOMPARE(readHeadline(withSubject("=?utf-8?b?YQ0Kc2Vzc2lvbiA3IGVuZGVk?=")).subject,
             QStringLiteral("a  session 7 ended"));
}

QTEST_GUILESS_MAIN(TestMimeDecode)
#include "tst_mimedecode.moc"
