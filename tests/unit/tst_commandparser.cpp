#include "protocol/CommandParser.h"

#include <QTest>

class tst_CommandParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void verbs_data();
    void verbs();
    void mail_data();
    void mail();
    void rcpt_data();
    void rcpt();
    void bdat_data();
    void bdat();
    void mailbox_data();
    void mailbox();
    void clientName_data();
    void clientName();
};

void tst_CommandParser::verbs_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::addColumn<int>("verb");
    QTest::addColumn<QByteArray>("argument");

    QTest::newRow("helo") << QByteArray("HELO client.example") << int(Verb::Helo) << QByteArray("client.example");
    QTest::newRow("ehlo lower") << QByteArray("ehlo x") << int(Verb::Ehlo) << QByteArray("x");
    QTest::newRow("mixed case") << QByteArray("MaIl FROM:<a@b>") << int(Verb::Mail) << QByteArray("FROM:<a@b>");
    QTest::newRow("rcpt") << QByteArray("RCPT TO:<a@b>") << int(Verb::Rcpt) << QByteArray("TO:<a@b>");
    QTest::newRow("data") << QByteArray("DATA") << int(Verb::Data) << QByteArray();
    QTest::newRow("bdat") << QByteArray("BDAT 10 LAST") << int(Verb::Bdat) << QByteArray("10 LAST");
    QTest::newRow("rset") << QByteArray("RSET") << int(Verb::Rset) << QByteArray();
    QTest::newRow("noop arg") << QByteArray("NOOP hello") << int(Verb::Noop) << QByteArray("hello");
    QTest::newRow("quit") << QByteArray("QUIT") << int(Verb::Quit) << QByteArray();
    QTest::newRow("vrfy") << QByteArray("VRFY bob") << int(Verb::Vrfy) << QByteArray("bob");
    QTest::newRow("expn") << QByteArray("EXPN list") << int(Verb::Expn) << QByteArray("list");
    QTest::newRow("help") << QByteArray("HELP") << int(Verb::Help) << QByteArray();
    QTest::newRow("starttls") << QByteArray("STARTTLS") << int(Verb::Starttls) << QByteArray();
    QTest::newRow("auth") << QByteArray("AUTH PLAIN") << int(Verb::Auth) << QByteArray("PLAIN");
    QTest::newRow("trailing blanks") << QByteArray("NOOP x  \t") << int(Verb::Noop) << QByteArray("x");
    QTest::newRow("unknown") << QByteArray("FOO bar") << int(Verb::Unknown) << QByteArray("bar");
    QTest::newRow("empty") << QByteArray("") << int(Verb::Unknown) << QByteArray();
    QTest::newRow("nul in verb") << QByteArray("QU\0IT", 5) << int(Verb::Unknown) << QByteArray();
    QTest::newRow("verb prefix") << QByteArray("QUITX") << int(Verb::Unknown) << QByteArray();
    QTest::newRow("leading space") << QByteArray(" QUIT") << int(Verb::Unknown) << QByteArray("QUIT");
    QTest::newRow("8-bit verb") << QByteArray("H\xc3\x89LO x") << int(Verb::Unknown) << QByteArray("x");
    QTest::newRow("tab separator") << QByteArray("HELO\tx") << int(Verb::Unknown) << QByteArray();
}

void tst_CommandParser::verbs()
{
    QFETCH(QByteArray, line);
    QFETCH(int, verb);
    QFETCH(QByteArray, argument);
    const Command command = parseCommand(line);
    QCOMPARE(int(command.verb), verb);
    QCOMPARE(command.argument, argument);
}

// Expected outcome: "ok" or the reply's "code enhanced".
static QByteArray outcome(const std::optional<SmtpReply> &error)
{
    return error ? QByteArray::number(error->code) + ' ' + error->enhanced : QByteArray("ok");
}

void tst_CommandParser::mail_data()
{
    QTest::addColumn<QByteArray>("argument");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("sender");
    QTest::addColumn<bool>("lenient");

    auto ok = [](const char *name, const QByteArray &arg, const QByteArray &sender,
                 bool lenient = false) {
        QTest::newRow(name) << arg << QByteArray("ok") << sender << lenient;
    };
    auto bad = [](const char *name, const QByteArray &arg, const char *expected) {
        QTest::newRow(name) << arg << QByteArray(expected) << QByteArray() << false;
    };

    ok("simple", "FROM:<alice@example.com>", "alice@example.com");
    ok("lower keyword", "from:<alice@example.com>", "alice@example.com");
    ok("null sender", "FROM:<>", "");
    ok("null sender with size", "FROM:<> SIZE=100", "");
    ok("subdomain", "FROM:<a@mail.sub.example.co.uk>", "a@mail.sub.example.co.uk");
    ok("atext specials", "FROM:<a.b+c-d_e!#$%&'*/=?^`{|}~@x.org>", "a.b+c-d_e!#$%&'*/=?^`{|}~@x.org");
    ok("quoted local", "FROM:<\"john doe\"@example.com>", "\"john doe\"@example.com");
    ok("quoted with >", "FROM:<\"a>b\"@example.com>", "\"a>b\"@example.com");
    ok("quoted pair", "FROM:<\"a\\\"b\"@example.com>", "\"a\\\"b\"@example.com");
    ok("ipv4 literal", "FROM:<a@[192.0.2.1]>", "a@[192.0.2.1]");
    ok("ipv6 literal", "FROM:<a@[IPv6:2001:db8::1]>", "a@[IPv6:2001:db8::1]");
    ok("general literal", "FROM:<a@[x-tag:abc]>", "a@[x-tag:abc]");
    ok("source route", "FROM:<@relay.example,@r2.example:a@b.example>", "a@b.example");
    ok("digits domain", "FROM:<a@123.example>", "a@123.example");
    ok("hyphen domain", "FROM:<a@my-host.example>", "a@my-host.example");
    ok("single label", "FROM:<a@localhost>", "a@localhost");
    ok("size", "FROM:<a@b.c> SIZE=1000", "a@b.c");
    ok("size zero", "FROM:<a@b.c> SIZE=0", "a@b.c");
    ok("body 7bit", "FROM:<a@b.c> BODY=7BIT", "a@b.c");
    ok("body 8bitmime", "FROM:<a@b.c> BODY=8BITMIME", "a@b.c");
    ok("body binarymime", "FROM:<a@b.c> BODY=BINARYMIME", "a@b.c");
    ok("body lower", "FROM:<a@b.c> body=8bitmime", "a@b.c");
    ok("smtputf8", "FROM:<a@b.c> SMTPUTF8", "a@b.c");
    ok("auth param", "FROM:<a@b.c> AUTH=<>", "a@b.c");
    ok("all params", "FROM:<a@b.c> SIZE=5 BODY=8BITMIME SMTPUTF8 AUTH=a+40b", "a@b.c");
    ok("two spaces between params", "FROM:<a@b.c>  SIZE=5", "a@b.c");
    ok("utf8 local", "FROM:<j\xc3\xb6rg@example.com> SMTPUTF8", "j\xc3\xb6rg@example.com");
    ok("utf8 domain", "FROM:<a@b\xc3\xbc\x63her.example> SMTPUTF8", "a@b\xc3\xbc\x63her.example");
    ok("lenient space", "FROM: <a@b.c>", "a@b.c", true);
    ok("lenient no brackets", "FROM:a@b.c", "a@b.c", true);
    ok("lenient both", "FROM: a@b.c SIZE=10", "a@b.c", true);

    bad("missing keyword", "<a@b.c>", "501 5.5.4");
    bad("wrong keyword", "TO:<a@b.c>", "501 5.5.4");
    bad("missing path", "FROM:", "501 5.5.4");
    bad("unclosed bracket", "FROM:<a@b.c", "501 5.5.4");
    bad("junk after bracket", "FROM:<a@b.c>X", "501 5.5.4");
    bad("no at", "FROM:<alice>", "501 5.1.7");
    bad("empty local", "FROM:<@b.c>", "501 5.5.4");
    bad("empty domain", "FROM:<a@>", "501 5.1.7");
    bad("double dot local", "FROM:<a..b@c.d>", "501 5.1.7");
    bad("leading dot local", "FROM:<.a@c.d>", "501 5.1.7");
    bad("trailing dot local", "FROM:<a.@c.d>", "501 5.1.7");
    bad("space in local", "FROM:<a b@c.d>", "501 5.1.7");
    bad("comma in local", "FROM:<a,b@c.d>", "501 5.1.7");
    bad("domain underscore", "FROM:<a@b_c.d>", "501 5.1.7");
    bad("domain double dot", "FROM:<a@b..d>", "501 5.1.7");
    bad("domain trailing dot", "FROM:<a@b.d.>", "501 5.1.7");
    bad("domain leading hyphen", "FROM:<a@-b.d>", "501 5.1.7");
    bad("domain trailing hyphen", "FROM:<a@b-.d>", "501 5.1.7");
    bad("bad ipv4 literal", "FROM:<a@[300.1.1.1]>", "501 5.1.7");
    bad("short ipv4 literal", "FROM:<a@[1.2.3]>", "501 5.1.7");
    bad("bad ipv6 literal", "FROM:<a@[IPv6:zz::1]>", "501 5.1.7");
    bad("empty literal", "FROM:<a@[]>", "501 5.1.7");
    bad("unterminated quote", "FROM:<\"ab@c.d>", "501 5.5.4");
    bad("nul in address", QByteArray("FROM:<a\0b@c.d>", 14), "501 5.1.7");
    bad("local part too long", "FROM:<" + QByteArray(65, 'a') + "@b.c>", "501 5.1.7");
    bad("utf8 without smtputf8", "FROM:<j\xc3\xb6rg@example.com>", "553 5.6.7");
    bad("invalid utf8", "FROM:<j\xff\xfe@example.com> SMTPUTF8", "501 5.6.7");
    bad("unknown param", "FROM:<a@b.c> FOO=1", "555 5.5.4");
    bad("ret param unsupported", "FROM:<a@b.c> RET=FULL", "555 5.5.4");
    bad("size not a number", "FROM:<a@b.c> SIZE=abc", "501 5.5.4");
    bad("size negative", "FROM:<a@b.c> SIZE=-1", "501 5.5.4");
    bad("size without value", "FROM:<a@b.c> SIZE", "501 5.5.4");
    bad("size huge", "FROM:<a@b.c> SIZE=99999999999999999999", "501 5.5.4");
    bad("body unknown", "FROM:<a@b.c> BODY=9BIT", "501 5.5.4");
    bad("smtputf8 with value", "FROM:<a@b.c> SMTPUTF8=yes", "501 5.5.4");
    bad("auth without value", "FROM:<a@b.c> AUTH", "501 5.5.4");
    bad("duplicate param", "FROM:<a@b.c> SIZE=1 SIZE=2", "501 5.5.4");
    bad("empty value", "FROM:<a@b.c> SIZE=", "501 5.5.4");
    bad("bad keyword char", "FROM:<a@b.c> SI_ZE=1", "501 5.5.4");
    bad("source route without colon", "FROM:<@relay.example>", "501 5.5.4");
}

void tst_CommandParser::mail()
{
    QFETCH(QByteArray, argument);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, sender);
    QFETCH(bool, lenient);
    const Parsed<MailCommand> parsed = parseMail(argument);
    QCOMPARE(outcome(parsed.error), expected);
    if (parsed.ok()) {
        QCOMPARE(parsed.value.sender, sender);
        QCOMPARE(parsed.value.lenientSyntax, lenient);
    }
}

void tst_CommandParser::rcpt_data()
{
    QTest::addColumn<QByteArray>("argument");
    QTest::addColumn<bool>("smtpUtf8");
    QTest::addColumn<QByteArray>("expected");
    QTest::addColumn<QByteArray>("recipient");

    QTest::newRow("simple") << QByteArray("TO:<bob@example.com>") << false << QByteArray("ok") << QByteArray("bob@example.com");
    QTest::newRow("lower") << QByteArray("to:<bob@example.com>") << false << QByteArray("ok") << QByteArray("bob@example.com");
    QTest::newRow("postmaster") << QByteArray("TO:<Postmaster>") << false << QByteArray("ok") << QByteArray("Postmaster");
    QTest::newRow("postmaster lower") << QByteArray("TO:<postmaster>") << false << QByteArray("ok") << QByteArray("postmaster");
    QTest::newRow("source route") << QByteArray("TO:<@a.example:bob@b.example>") << false << QByteArray("ok") << QByteArray("bob@b.example");
    QTest::newRow("lenient") << QByteArray("TO: bob@example.com") << false << QByteArray("ok") << QByteArray("bob@example.com");
    QTest::newRow("utf8 allowed") << QByteArray("TO:<\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\xb9\xbf\xe5\x91\x8a>") << true << QByteArray("ok") << QByteArray("\xe7\x94\xa8\xe6\x88\xb7@\xe4\xbe\x8b\xe5\xad\x90.\xe5\xb9\xbf\xe5\x91\x8a");
    QTest::newRow("utf8 refused") << QByteArray("TO:<\xe7\x94\xa8@example.com>") << false << QByteArray("553 5.6.7") << QByteArray();
    QTest::newRow("null path") << QByteArray("TO:<>") << false << QByteArray("501 5.1.3") << QByteArray();
    QTest::newRow("no at") << QByteArray("TO:<bob>") << false << QByteArray("501 5.1.3") << QByteArray();
    QTest::newRow("param refused") << QByteArray("TO:<bob@example.com> NOTIFY=NEVER") << false << QByteArray("555 5.5.4") << QByteArray();
    QTest::newRow("wrong keyword") << QByteArray("FROM:<bob@example.com>") << false << QByteArray("501 5.5.4") << QByteArray();
    QTest::newRow("missing colon") << QByteArray("TO <bob@example.com>") << false << QByteArray("501 5.5.4") << QByteArray();
    QTest::newRow("empty") << QByteArray("") << false << QByteArray("501 5.5.4") << QByteArray();
    QTest::newRow("bad domain") << QByteArray("TO:<bob@exa mple.com>") << false << QByteArray("501 5.1.3") << QByteArray();
    QTest::newRow("two ats") << QByteArray("TO:<a@b@c.d>") << false << QByteArray("501 5.1.3") << QByteArray();
}

void tst_CommandParser::rcpt()
{
    QFETCH(QByteArray, argument);
    QFETCH(bool, smtpUtf8);
    QFETCH(QByteArray, expected);
    QFETCH(QByteArray, recipient);
    const Parsed<RcptCommand> parsed = parseRcpt(argument, smtpUtf8);
    QCOMPARE(outcome(parsed.error), expected);
    if (parsed.ok())
        QCOMPARE(parsed.value.recipient, recipient);
}

void tst_CommandParser::bdat_data()
{
    QTest::addColumn<QByteArray>("argument");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<qint64>("size");
    QTest::addColumn<bool>("last");

    QTest::newRow("size") << QByteArray("100") << true << qint64(100) << false;
    QTest::newRow("size last") << QByteArray("100 LAST") << true << qint64(100) << true;
    QTest::newRow("zero last") << QByteArray("0 LAST") << true << qint64(0) << true;
    QTest::newRow("last lower") << QByteArray("5 last") << true << qint64(5) << true;
    QTest::newRow("empty") << QByteArray("") << false << qint64(0) << false;
    QTest::newRow("negative") << QByteArray("-5") << false << qint64(0) << false;
    QTest::newRow("not a number") << QByteArray("ten") << false << qint64(0) << false;
    QTest::newRow("bad keyword") << QByteArray("5 FIRST") << false << qint64(0) << false;
    QTest::newRow("three words") << QByteArray("5 LAST LAST") << false << qint64(0) << false;
    QTest::newRow("huge") << QByteArray("9999999999999999999999") << false << qint64(0) << false;
}

void tst_CommandParser::bdat()
{
    QFETCH(QByteArray, argument);
    QFETCH(bool, valid);
    QFETCH(qint64, size);
    QFETCH(bool, last);
    const Parsed<BdatCommand> parsed = parseBdat(argument);
    QCOMPARE(parsed.ok(), valid);
    if (valid) {
        QCOMPARE(parsed.value.size, size);
        QCOMPARE(parsed.value.last, last);
    } else {
        QCOMPARE(parsed.error->code, 501);
    }
}

void tst_CommandParser::mailbox_data()
{
    QTest::addColumn<QByteArray>("mailbox");
    QTest::addColumn<bool>("utf8");
    QTest::addColumn<bool>("valid");

    QTest::newRow("plain") << QByteArray("a@b.c") << false << true;
    QTest::newRow("max local") << (QByteArray(64, 'x') + "@b.c") << false << true;
    QTest::newRow("label 63") << ("a@" + QByteArray(63, 'd') + ".c") << false << true;
    QTest::newRow("label 64") << ("a@" + QByteArray(64, 'd') + ".c") << false << false;
    const QByteArray label(63, 'd');
    QTest::newRow("domain 255") << ("a@" + label + '.' + label + '.' + label + '.' + QByteArray(61, 'd')) << false << true;
    QTest::newRow("domain 257") << ("a@" + label + '.' + label + '.' + label + '.' + label + ".c") << false << false;
    QTest::newRow("quoted empty") << QByteArray("\"\"@b.c") << false << true;
    QTest::newRow("quoted control") << QByteArray("\"a\x01\"@b.c") << false << false;
    QTest::newRow("utf8 needs flag") << QByteArray("\xc3\xa9@b.c") << false << false;
    QTest::newRow("utf8 with flag") << QByteArray("\xc3\xa9@b.c") << true << true;
    QTest::newRow("no local") << QByteArray("@b.c") << false << false;
    QTest::newRow("ipv6 lower tag") << QByteArray("a@[ipv6:::1]") << false << true;
    QTest::newRow("literal without brackets") << QByteArray("a@192.0.2.1") << false << true;
}

void tst_CommandParser::mailbox()
{
    QFETCH(QByteArray, mailbox);
    QFETCH(bool, utf8);
    QFETCH(bool, valid);
    QCOMPARE(isValidMailbox(mailbox, utf8), valid);
}

void tst_CommandParser::clientName_data()
{
    QTest::addColumn<QByteArray>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("domain") << QByteArray("client.example.com") << true;
    QTest::newRow("single label") << QByteArray("localhost") << true;
    QTest::newRow("ipv4 literal") << QByteArray("[127.0.0.1]") << true;
    QTest::newRow("ipv6 literal") << QByteArray("[IPv6:::1]") << true;
    QTest::newRow("bare ip") << QByteArray("127.0.0.1") << true; // digits are valid labels
    QTest::newRow("underscore") << QByteArray("my_host") << false;
    QTest::newRow("space") << QByteArray("my host") << false;
    QTest::newRow("unclosed literal") << QByteArray("[127.0.0.1") << false;
}

void tst_CommandParser::clientName()
{
    QFETCH(QByteArray, name);
    QFETCH(bool, valid);
    QCOMPARE(isValidClientName(name), valid);
}

QTEST_GUILESS_MAIN(tst_CommandParser)
#include "tst_commandparser.moc"
