#include "checks/HeaderSyntax.h"
#include "checks/MessageLint.h"

#include "mime/MimeRuntime.h"

#include <QSet>
#include <QTest>

namespace {

// A message with no findings at all; each row of the rule table breaks it in one place.
const QByteArray kHeader =
    "From: Alice <alice@example.com>\r\n"                                   // line 1
    "To: bob@example.net\r\n"                                               // 2
    "Subject: Hello\r\n"                                                    // 3
    "Date: Tue, 03 Nov 2026 10:00:00 +0100\r\n"                             // 4
    "Message-ID: <m1@example.com>\r\n"                                      // 5
    "List-Unsubscribe: <https://example.com/u>, <mailto:u@example.com>\r\n" // 6
    "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";                // 7
const QByteArray kBody = "Hello.\r\n";
const QByteArray kClean = kHeader + "\r\n" + kBody; // blank line 8, body from line 9

// The clean header plus `extra` fields (from line 8), then `body` after the blank line.
QByteArray message(const QByteArray &extra, const QByteArray &body = kBody)
{
    return kHeader + extra + "\r\n" + body;
}

QByteArray mime(const QByteArray &extra, const QByteArray &body)
{
    return message("MIME-Version: 1.0\r\n" + extra, body); // extra from line 9
}

QByteArray replaced(QByteArray text, const QByteArray &from, const QByteArray &to)
{
    return text.replace(from, to);
}

struct RuleCase
{
    const char *name;
    const char *id;
    QByteArray failing;
    QByteArray at; // the finding is where this first occurs; empty: no place (offset -1)
    int line;
    QByteArray passing;
    bool smtpUtf8 = false;
};

QList<RuleCase> ruleCases()
{
    const QByteArray html = "<html><body><p>Hi</p><img src=\"logo.png\"></body></html>\r\n";
    const QByteArray alternative =
        "--alt\r\nContent-Type: text/plain\r\n\r\nHi\r\n"
        "--alt\r\nContent-Type: text/html\r\n\r\n<p>Hi</p><img alt=\"\" src=\"logo.png\">\r\n"
        "--alt--\r\n";
    const QByteArray multipart = "Content-Type: multipart/mixed; boundary=\"b1\"\r\n";
    const QByteArray part = "--b1\r\nContent-Type: text/plain\r\n\r\nHi\r\n";
    return {
        {"From missing", "rfc5322.from-missing",
         replaced(kClean, "From: Alice <alice@example.com>\r\n", ""), "\r\nHello.", 7, kClean},
        {"Date missing", "rfc5322.date-missing",
         replaced(kClean, "Date: Tue, 03 Nov 2026 10:00:00 +0100\r\n", ""), "\r\nHello.", 7,
         kClean},
        {"Message-ID missing", "rfc5322.message-id-missing",
         replaced(kClean, "Message-ID: <m1@example.com>\r\n", ""), "\r\nHello.", 7, kClean},
        {"Subject twice", "rfc5322.field-repeated", message("Subject: Again\r\n"), "Subject: Again",
         8, message("Comments: two Comments are fine\r\nComments: see\r\n")},
        {"From without Sender", "rfc5322.sender-missing",
         replaced(kClean, "From: Alice <alice@example.com>", "From: a@example.com, b@example.com"),
         "From:", 1,
         replaced(kClean, "From: Alice <alice@example.com>",
                  "From: a@example.com, b@example.com\r\nSender: a@example.com")},
        {"line over 998", "rfc5322.line-too-long", message({}, QByteArray(999, 'x') + "\r\n"),
         "xxxxx", 9, message({}, QByteArray(78, 'x') + "\r\n")},
        {"line over 78", "rfc5322.line-long", message({}, "ok\r\n" + QByteArray(79, 'y') + "\r\n"),
         "yyyyy", 10, message({}, QByteArray(78, 'y') + "\r\n")},
        {"field name", "rfc5322.field-name", message("Bad Name: x\r\n"), " Name: x", 8,
         message("Good-Name: x\r\n")},
        {"no colon", "rfc5322.field-colon", message("NoColonHere\r\n"), "NoColonHere", 8,
         message("Colon: here\r\n")},
        {"blank before colon", "rfc5322.obsolete-syntax",
         replaced(kClean, "Subject: Hello", "Subject : Hello"), " : Hello", 3, kClean},
        {"address", "rfc5322.address-syntax",
         replaced(kClean, "To: bob@example.net", "To: bob example.net"), "bob example.net", 2,
         replaced(kClean, "To: bob@example.net",
                  "To: \"Bob B.\" <bob@example.net>, undisclosed:;, (c) carol@[192.0.2.1]")},
        {"message id", "rfc5322.message-id-form",
         replaced(kClean, "<m1@example.com>", "m1@example.com"), "m1@example.com\r\n", 5,
         replaced(kClean, "Message-ID: <m1@example.com>",
                  "Message-ID: <m1.x@[192.0.2.1]>\r\nReferences: <a@b> <c@d>")},
        {"date", "rfc5322.date-syntax", replaced(kClean, "03 Nov", "31 Nov"), " Tue, 31 Nov", 4,
         replaced(kClean, "Tue, 03 Nov 2026 10:00:00 +0100",
                  "3 Nov 2026 10:00 -0000 (no weekday)")},
        {"MIME-Version", "rfc2045.mime-version-missing",
         message("Content-Type: text/plain; charset=utf-8\r\n"), "Content-Type", 8,
         mime("Content-Type: text/plain; charset=utf-8\r\n", kBody)},
        {"unknown encoding", "rfc2045.transfer-encoding-unknown",
         mime("Content-Transfer-Encoding: uuencode\r\n", kBody), "Content-Transfer-Encoding", 9,
         mime("Content-Transfer-Encoding: x-custom\r\n", kBody)},
        {"8-bit undeclared", "rfc2045.8bit-undeclared", mime({}, "Caf\xc3\xa9\r\n"), "\xc3\xa9", 10,
         mime("Content-Transfer-Encoding: 8bit\r\n", "Caf\xc3\xa9\r\n")},
        {"NUL byte", "rfc2045.binary-content",
         mime("Content-Transfer-Encoding: 8bit\r\n", QByteArray("a\0b\r\n", 5)),
         QByteArray("\0b", 2), 11, mime("Content-Transfer-Encoding: base64\r\n", "YQBi\r\n")},
        {"binary", "rfc2045.binary-transfer-encoding",
         mime("Content-Transfer-Encoding: binary\r\n", kBody), "Content-Transfer-Encoding", 9,
         mime("Content-Transfer-Encoding: 7bit\r\n", kBody)},
        {"encoded multipart", "rfc2045.multipart-encoding",
         mime(multipart + "Content-Transfer-Encoding: base64\r\n", part + "--b1--\r\n"),
         "Content-Transfer-Encoding", 10,
         mime(multipart + "Content-Transfer-Encoding: 7bit\r\n", part + "--b1--\r\n")},
        {"QP line", "rfc2045.qp-line-length",
         mime("Content-Transfer-Encoding: quoted-printable\r\n",
              "ok\r\n" + QByteArray(77, 'q') + "\r\n"),
         "qqqqq", 12,
         mime("Content-Transfer-Encoding: quoted-printable\r\n",
              QByteArray(75, 'q') + "=\r\n" + QByteArray(76, 'q') + "\r\n")},
        {"QP escape", "rfc2045.qp-bad-escape",
         mime("Content-Transfer-Encoding: quoted-printable\r\n", "a=ZZb\r\n"), "=ZZ", 11,
         mime("Content-Transfer-Encoding: quoted-printable\r\n", "a=3Db=c3=a9 soft=  \r\nend\r\n")},
        {"base64 alphabet", "rfc2045.base64-alphabet",
         mime("Content-Transfer-Encoding: base64\r\n", "SGVs*bG8=\r\n"), "*", 11,
         mime("Content-Transfer-Encoding: base64\r\n", "SGVs\r\nbG8=\r\n")},
        {"base64 padding", "rfc2045.base64-padding",
         mime("Content-Transfer-Encoding: base64\r\n", "SGVsbG8\r\n"), "8\r\n", 11,
         mime("Content-Transfer-Encoding: base64\r\n", "SGVsbG8=\r\n")},
        {"base64 line", "rfc2045.base64-line-length",
         mime("Content-Transfer-Encoding: base64\r\n", QByteArray(80, 'A') + "\r\n"), "AAAA", 11,
         mime("Content-Transfer-Encoding: base64\r\n",
              QByteArray(76, 'A') + "\r\n" + QByteArray(4, 'A') + "\r\n")},
        {"no boundary", "rfc2046.boundary-missing",
         mime("Content-Type: multipart/mixed\r\n", part + "--b1--\r\n"), "Content-Type", 9,
         mime(multipart, part + "--b1--\r\n")},
        {"boundary chars", "rfc2046.boundary-syntax",
         mime("Content-Type: multipart/mixed; boundary=\"b1 \"\r\n",
              "--b1 \r\n\r\nx\r\n--b1 --\r\n"),
         "boundary=", 9,
         mime("Content-Type: multipart/mixed; boundary=\"" + QByteArray(70, 'b') + "\"\r\n",
              "--" + QByteArray(70, 'b') + "\r\n\r\nx\r\n--" + QByteArray(70, 'b') + "--\r\n")},
        {"boundary absent", "rfc2046.boundary-not-found", mime(multipart, "just text\r\n"),
         "just text", 11, mime(multipart, "preamble\r\n" + part + "--b1--\r\n")},
        {"no closing", "rfc2046.closing-delimiter-missing", mime(multipart, part), "--b1", 11,
         mime(multipart, part + "--b1--\r\nepilogue\r\n")},
        {"encoded-word length", "rfc2047.encoded-word-length",
         replaced(kClean, "Subject: Hello", "Subject: =?utf-8?q?" + QByteArray(70, 'a') + "?="),
         "=?utf-8", 3,
         replaced(kClean, "Subject: Hello",
                  "Subject: =?utf-8?q?" + QByteArray(56, 'a') + "?= =?utf-8?B?w6k=?=")},
        {"encoded-word syntax", "rfc2047.encoded-word-syntax",
         replaced(kClean, "Subject: Hello", "Subject: =?utf-8?X?abc?="), "=?utf-8", 3,
         replaced(kClean, "Subject: Hello", "Subject: =?utf-8?Q?a=C3=A9_b?=")},
        {"encoded-word quoted", "rfc2047.encoded-word-quoted",
         replaced(kClean, "Alice <", "\"=?utf-8?q?Alice?=\" <"), "=?utf-8", 1,
         replaced(kClean, "Alice <", "=?utf-8?q?Alice?= (=?utf-8?q?x?=) <")},
        {"encoded-word in address", "rfc2047.encoded-word-placement",
         replaced(kClean, "To: bob@", "To: =?utf-8?q?bob?=@"), "=?utf-8", 2,
         replaced(kClean, "To: bob@example.net", "To: =?utf-8?q?Bob?= <bob@example.net>")},
        {"continuation gap", "rfc2231.continuation-gap",
         mime("Content-Disposition: inline; filename*0=\"a\"; filename*2=\"c\"\r\n", kBody),
         "filename*0", 9,
         mime("Content-Disposition: inline; filename*0=\"a\"; filename*1*=utf-8''%C3%A9\r\n",
              kBody)},
        {"UTF-8 without SMTPUTF8", "rfc6532.utf8-without-smtputf8",
         replaced(kClean, "Subject: Hello", "Subject: Caf\xc3\xa9"), "\xc3\xa9", 3,
         replaced(kClean, "Subject: Hello", "Subject: Caf\xc3\xa9"), true},
        {"invalid UTF-8", "rfc6532.invalid-utf8",
         replaced(kClean, "Subject: Hello", "Subject: Caf\xe9"), "\xe9", 3,
         replaced(kClean, "Subject: Hello", "Subject: =?iso-8859-1?q?Caf=E9?=")},
        {"no List-Unsubscribe", "bulk.list-unsubscribe-missing",
         replaced(replaced(kClean,
                           "List-Unsubscribe: <https://example.com/u>, <mailto:u@example.com>\r\n",
                           ""),
                  "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", ""),
         "\r\nHello.", 6, kClean},
        {"List-Unsubscribe URI", "rfc2369.list-unsubscribe-uri",
         replaced(kClean, "<https://example.com/u>, <mailto:u@example.com>",
                  "https://example.com/u"),
         "List-Unsubscribe:", 6,
         replaced(kClean, "<https://example.com/u>, <mailto:u@example.com>",
                  "<https://example.com/u>")},
        {"Post value", "rfc8058.post-value", replaced(kClean, "=One-Click", "=Yes"),
         " List-Unsubscribe=Yes", 7, kClean},
        {"Post without https", "rfc8058.post-without-https",
         replaced(kClean, "<https://example.com/u>, ", ""), "List-Unsubscribe-Post", 7, kClean},
        {"no one-click", "bulk.one-click-missing",
         replaced(kClean, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", ""),
         "List-Unsubscribe:", 6,
         replaced(replaced(kClean, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", ""),
                  "<https://example.com/u>, ", "")},
        {"HTML only", "html.text-alternative-missing", mime("Content-Type: text/html\r\n", html),
         "From:", 1, mime("Content-Type: multipart/alternative; boundary=alt\r\n", alternative)},
        {"img without alt", "html.img-alt-missing", mime("Content-Type: text/html\r\n", html),
         "<html>", 11, mime("Content-Type: multipart/alternative; boundary=alt\r\n", alternative)},
    };
}

const QStringList kTestedElsewhere = {QStringLiteral("smtp.compliance"),
                                      QStringLiteral("mime.parser")};

QList<LintFinding> findingsOf(const QList<LintFinding> &findings, const QString &id)
{
    QList<LintFinding> matching;
    for (const LintFinding &finding : findings) {
        if (finding.id == id)
            matching.append(finding);
    }
    return matching;
}

QString describe(const QList<LintFinding> &findings)
{
    QStringList lines;
    for (const LintFinding &f : findings)
        lines.append(QStringLiteral("%1 @%2 line %3: %4")
                         .arg(f.id)
                         .arg(f.offset)
                         .arg(f.line)
                         .arg(f.message));
    return lines.join(u'\n');
}

} // namespace

class tst_Lint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void cleanMessage();
    void rules_data();
    void rules();
    void everyRuleHasACase();
    void findingsCarryTheRule();
    void recordedWarnings();
    void findingsPerRuleAreCapped();
    void addresses_data();
    void addresses();
    void dates_data();
    void dates();
    void messageIds_data();
    void messageIds();
    void headerlessInput();
    void hostileInput();

private:
    static QList<LintFinding> lint(const QByteArray &raw, const LintOptions &options = {})
    {
        return lintMessage(raw, decodeMessage(raw), options);
    }

    MimeRuntime m_mime;
};

void tst_Lint::cleanMessage()
{
    const QList<LintFinding> findings = lint(kClean);
    QVERIFY2(findings.isEmpty(), qPrintable(describe(findings)));
}

void tst_Lint::rules_data()
{
    QTest::addColumn<QString>("id");
    QTest::addColumn<QByteArray>("failing");
    QTest::addColumn<QByteArray>("at");
    QTest::addColumn<int>("line");
    QTest::addColumn<QByteArray>("passing");
    QTest::addColumn<bool>("smtpUtf8");
    for (const RuleCase &rule : ruleCases())
        QTest::newRow(rule.name) << QString::fromLatin1(rule.id) << rule.failing << rule.at
                                 << rule.line << rule.passing << rule.smtpUtf8;
}

void tst_Lint::rules()
{
    QFETCH(QString, id);
    QFETCH(QByteArray, failing);
    QFETCH(QByteArray, at);
    QFETCH(int, line);
    QFETCH(QByteArray, passing);
    QFETCH(bool, smtpUtf8);
    const QList<LintFinding> failed = findingsOf(lint(failing), id);
    QVERIFY2(!failed.isEmpty(), qPrintable(describe(lint(failing))));
    QVERIFY(failing.contains(at));
    QCOMPARE(failed.first().offset, failing.indexOf(at));
    QCOMPARE(failed.first().line, line);
    LintOptions options;
    options.smtpUtf8 = smtpUtf8;
    const QList<LintFinding> passed = lint(passing, options);
    QVERIFY2(findingsOf(passed, id).isEmpty(), qPrintable(describe(passed)));
}

void tst_Lint::everyRuleHasACase()
{
    QSet<QString> tested(kTestedElsewhere.cbegin(), kTestedElsewhere.cend());
    for (const RuleCase &rule : ruleCases())
        tested.insert(QString::fromLatin1(rule.id));
    for (const LintRule &rule : lintRules())
        QVERIFY2(tested.contains(QLatin1String(rule.id)), rule.id);
    QCOMPARE(tested.size(), lintRules().size());
}

void tst_Lint::findingsCarryTheRule()
{
    const QList<LintFinding> findings =
        lint(replaced(kClean, "From: Alice <alice@example.com>\r\n", ""));
    QCOMPARE(findings.size(), 1);
    const LintFinding &finding = findings.first();
    QCOMPARE(finding.id, QStringLiteral("rfc5322.from-missing"));
    QCOMPARE(finding.severity, LintSeverity::Error);
    QCOMPARE(finding.reference, QStringLiteral("RFC 5322 3.6"));
    QCOMPARE(finding.message, QStringLiteral("the message has no From: field"));
    QCOMPARE(finding.fix, QStringLiteral("Add a From: field with the author's address."));
    QCOMPARE(lintSeverityName(finding.severity), QStringLiteral("error"));
    for (const LintRule &rule : lintRules()) {
        QVERIFY(QByteArrayView(rule.id).contains('.'));
        QVERIFY(QByteArrayView(rule.reference).size() > 3);
        QVERIFY(QByteArrayView(rule.fix).endsWith('.'));
    }
}

void tst_Lint::recordedWarnings()
{
    DecodedMessage decoded = decodeMessage(kClean);
    decoded.warnings.append({34, QStringLiteral("decoder trouble")});
    LintOptions options;
    options.smtpWarnings = {
        QStringLiteral("Bare LF in message data (RFC 5321 2.3.8 requires CRLF)"),
        QStringLiteral("NUL byte in message data")};
    const QList<LintFinding> findings = lintMessage(kClean, decoded, options);
    QCOMPARE(findings.size(), 3);
    QCOMPARE(findings[0].id, QStringLiteral("smtp.compliance"));
    QCOMPARE(findings[0].reference, QStringLiteral("RFC 5321 2.3.8"));
    QCOMPARE(findings[0].offset, -1);
    QCOMPARE(findings[0].line, 0);
    QCOMPARE(findings[1].reference, QStringLiteral("RFC 5321"));
    QCOMPARE(findings[1].message, QStringLiteral("NUL byte in message data"));
    QCOMPARE(findings[2].id, QStringLiteral("mime.parser"));
    QCOMPARE(findings[2].offset, 34);
    QCOMPARE(findings[2].line, 2);
    const LintCounts counts = countFindings(findings);
    QCOMPARE(counts.warnings, 3);
    QCOMPARE(counts.errors, 0);
}

void tst_Lint::findingsPerRuleAreCapped()
{
    const QList<LintFinding> findings =
        lint(message({}, (QByteArray(90, 'z') + "\r\n").repeated(100)));
    const QList<LintFinding> long_ = findingsOf(findings, QStringLiteral("rfc5322.line-long"));
    QCOMPARE(long_.size(), kMaxFindingsPerRule + 1);
    QCOMPARE(long_.first().offset, -1); // the summary has no place and sorts first
    QCOMPARE(long_.first().message, QStringLiteral("80 more findings of this rule not listed"));
}

void tst_Lint::addresses_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("form");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<bool>("obsolete");
    QTest::addColumn<int>("offset");
    const int mailbox = int(AddressForm::Mailbox);
    const int mailboxes = int(AddressForm::MailboxList);
    const int list = int(AddressForm::AddressList);
    const auto ok = [](const char *name, const QByteArray &value, int form) {
        QTest::newRow(name) << value << form << QString() << false << -1;
    };
    const auto bad = [](const char *name, const QByteArray &value, int form, const char *problem,
                        int offset, bool obsolete = false) {
        QTest::newRow(name) << value << form << QString::fromUtf8(problem) << obsolete << offset;
    };
    ok("addr-spec", " a@example.com", mailbox);
    ok("name-addr", " \"A, B\" <a@example.com>", mailbox);
    ok("comments", " (x) a@example.com (y (nested))", mailbox);
    ok("list", " a@x.example, B <b@y.example>", mailboxes);
    ok("group", " team: a@x.example, b@y.example;, c@z.example", list);
    ok("empty group", " undisclosed-recipients:;", list);
    ok("quoted local", " \"john doe\"@example.com", mailbox);
    ok("domain literal", " a@[192.0.2.1]", mailbox);
    ok("folded", " A\r\n <a@example.com>", mailbox);
    ok("utf-8", " J\xc3\xb6rg <j\xc3\xb6rg@example.com>", mailbox);
    bad("no at", " alice", mailbox, "'alice' is not an address: no '@'", 1);
    bad("two at", " a@b@c", mailbox, "expected ',' between addresses, found '@'", 4);
    bad("empty angle", " <>", mailbox, "empty address '<>'", 1);
    bad("unclosed angle", " A <a@example.com", mailbox, "expected '>' after the address", 17);
    bad("double dot", " a..b@example.com", mailbox, "misplaced '.' in the local part", 3);
    bad("space in local", " a b@example.com", mailbox, "white space in the local part", 3);
    bad("no domain", " a@", mailbox, "expected a domain", 3);
    bad("two senders", " a@x.example, b@y.example", mailbox,
        "more than one mailbox where one is allowed", 14);
    bad("group in From", " team: a@x.example;", mailboxes, "a group is not allowed in this field",
        5);
    bad("unterminated quote", " \"A <a@example.com>", mailbox, "unterminated quoted string", 1);
    bad("unterminated comment", " a@example.com (x", mailbox, "unterminated comment", 15);
    bad("empty", " ", list, "no address", 0);
    bad("unclosed group", " team: a@x.example", list, "the group has no closing ';'", 18);
    bad("obsolete empty element", " a@x.example,, b@y.example", list,
        "empty list element (RFC 5322 4.4)", 13, true);
    bad("obsolete route", " <@relay.example:a@example.com>", mailbox, "source route (RFC 5322 4.4)",
        2, true);
    bad("obsolete dot in name", " A. Person <a@example.com>", mailbox,
        "unquoted '.' in a display name (RFC 5322 4.1)", 1, true);
}

void tst_Lint::addresses()
{
    QFETCH(QByteArray, value);
    QFETCH(int, form);
    QFETCH(QString, problem);
    QFETCH(bool, obsolete);
    QFETCH(int, offset);
    const SyntaxProblem result = checkAddresses(value, AddressForm(form));
    QCOMPARE(result.text, problem);
    QCOMPARE(result.obsolete, obsolete);
    QCOMPARE(result.offset, offset);
}

void tst_Lint::dates_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<bool>("obsolete");
    const auto row = [](const char *name, const QByteArray &value, const char *problem,
                        bool obsolete = false) {
        QTest::newRow(name) << value << QString::fromUtf8(problem) << obsolete;
    };
    row("full", " Tue, 03 Nov 2026 10:00:00 +0100", "");
    row("no weekday, no seconds", " 3 Nov 2026 10:00 -0000", "");
    row("comment", " Tue, 3 Nov 2026 10:00:00 -0800 (PST)", "");
    row("leap second", " Wed, 31 Dec 2025 23:59:60 +0000", "");
    row("wrong weekday", " Mon, 03 Nov 2026 10:00:00 +0100", "3 Nov 2026 is a Tue, not a Mon");
    row("no such day", " 30 Feb 2026 10:00:00 +0100", "30 Feb 2026 is not a date");
    row("bad month", " 3 Nowember 2026 10:00:00 +0100", "unknown month 'Nowember'");
    row("bad hour", " 3 Nov 2026 25:00:00 +0100", "25:00:00 is not a time of day");
    row("bad zone", " 3 Nov 2026 10:00:00 +01", "the zone must be +hhmm or -hhmm");
    row("unknown zone", " 3 Nov 2026 10:00:00 CEST", "unknown zone 'CEST'");
    row("no zone", " 3 Nov 2026 10:00:00", "missing zone");
    row("ISO 8601", " 2026-11-03T10:00:00Z", "unknown day name '2026-11-03T10'");
    row("trailing text", " 3 Nov 2026 10:00:00 +0100 x", "unexpected text after the date");
    row("old year", " 3 Nov 1899 10:00:00 +0100", "year 1899 is before 1900");
    row("two-digit year", " 3 Nov 26 10:00:00 +0100", "two- or three-digit year (RFC 5322 4.3)",
        true);
    row("zone name", " 3 Nov 2026 10:00:00 GMT",
        "zone name 'GMT' instead of an offset (RFC 5322 4.3)", true);
}

void tst_Lint::dates()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, problem);
    QFETCH(bool, obsolete);
    const SyntaxProblem result = checkDate(value);
    QCOMPARE(result.text, problem);
    QCOMPARE(result.obsolete, obsolete);
}

void tst_Lint::messageIds_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("single");
    QTest::addColumn<QString>("problem");
    QTest::newRow("plain") << QByteArray(" <a.b@c.example>") << true << QString();
    QTest::newRow("literal") << QByteArray(" <a@[192.0.2.1]>") << true << QString();
    QTest::newRow("several") << QByteArray(" <a@b>\r\n <c@d>") << false << QString();
    QTest::newRow("two for Message-ID")
        << QByteArray(" <a@b> <c@d>") << true << "more than one message identifier";
    QTest::newRow("no brackets") << QByteArray(" a@b") << true
                                 << "expected '<' to start a message identifier";
    QTest::newRow("no at") << QByteArray(" <ab>") << true << "no '@' in the message identifier";
    QTest::newRow("space") << QByteArray(" <a b@c>") << true
                           << "the part before '@' is not a dot-atom";
    QTest::newRow("bad right") << QByteArray(" <a@b..c>") << true
                               << "the part after '@' is not a domain";
    QTest::newRow("unclosed") << QByteArray(" <a@b") << true << "no closing '>'";
    QTest::newRow("empty") << QByteArray(" ") << true << "no message identifier";
}

void tst_Lint::messageIds()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, single);
    QFETCH(QString, problem);
    QCOMPARE(checkMessageIds(value, single).text, problem);
}

void tst_Lint::headerlessInput()
{
    const QByteArray raw = "just some text\r\nwithout a header\r\n";
    const QList<LintFinding> findings = lint(raw);
    QCOMPARE(findingsOf(findings, QStringLiteral("rfc5322.field-colon")).value(0).offset, 0);
    QCOMPARE(findingsOf(findings, QStringLiteral("rfc5322.from-missing")).size(), 1);
    QVERIFY(lint(QByteArray()).size() > 0);
}

// Bounded time and memory, no crash: the findings themselves matter less here.
void tst_Lint::hostileInput()
{
    QByteArray manyHeaders;
    for (int i = 0; i < 10000; ++i)
        manyHeaders += "Subject: =?utf-8?q?x" + QByteArray::number(i) + "?=\r\n";
    const QList<LintFinding> repeated = lint(manyHeaders + "\r\n" + kBody);
    QCOMPARE(findingsOf(repeated, QStringLiteral("rfc5322.field-repeated")).size(),
             kMaxFindingsPerRule + 1);

    const QByteArray big = mime("Content-Transfer-Encoding: base64\r\n",
                                (QByteArray(76, 'Q') + "\r\n").repeated(20 * 1024 * 1024 / 78));
    QVERIFY(findingsOf(lint(big), QStringLiteral("rfc2045.base64-padding")).isEmpty());

    QByteArray nested = "MIME-Version: 1.0\r\n";
    for (int i = 0; i < 2000; ++i)
        nested += "Content-Type: multipart/mixed; boundary=b" + QByteArray::number(i) +
                  "\r\n\r\n--b" + QByteArray::number(i) + "\r\n";
    lint(nested);

    QByteArray binary(1024 * 1024, '\0');
    for (qsizetype i = 0; i < binary.size(); ++i)
        binary[i] = char(i * 7919 % 251);
    lint(binary);
    lint("From: " + QByteArray(100000, '(') + "\r\nDate: " + QByteArray(100000, '"') + "\r\n\r\n");
}

QTEST_GUILESS_MAIN(tst_Lint)
#include "tst_lint.moc"
