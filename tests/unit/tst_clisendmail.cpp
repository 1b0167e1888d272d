#include "cli/SendmailInput.h"

#include "mime/MimeRuntime.h"

#include <QTest>

namespace {
const MimeRuntime mimeRuntime;
}

// `smtpeek sendmail`'s arguments and input, as pure functions.
class tst_CliSendmail : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void arguments_data();
    void arguments();
    void input_data();
    void input();
    void problems_data();
    void problems();
};

void tst_CliSendmail::arguments_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<bool>("t");
    QTest::addColumn<bool>("i");
    QTest::addColumn<QByteArray>("sender");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("smtp");
    QTest::addColumn<QList<QByteArray>>("rcpts");
    QTest::addColumn<QString>("error");
    const QString local = QStringLiteral("127.0.0.1:2525");
    QTest::newRow("php's -t -i") << QStringList{"-t", "-i"} << true << true << QByteArray()
                                 << QString() << local << QList<QByteArray>() << QString();
    QTest::newRow("-oi, -fADDR, -F NAME")
        << QStringList{"-oi", "-fa@b.c", "-F", "Ann", "r@x.y"} << false << true
        << QByteArray("a@b.c") << QStringLiteral("Ann") << local << QList<QByteArray>{"r@x.y"}
        << QString();
    QTest::newRow("-f <addr> with brackets")
        << QStringList{"-f", "<a@b.c>"} << false << false << QByteArray("a@b.c") << QString()
        << local << QList<QByteArray>() << QString();
    QTest::newRow("--smtp-addr both spellings")
        << QStringList{"--smtp-addr=h:1", "--smtp-addr", "h:2"} << false << false << QByteArray()
        << QString() << QStringLiteral("h:2") << QList<QByteArray>() << QString();
    QTest::newRow("ignored modes")
        << QStringList{"-odi", "-oem", "-U", "-v", "x@y.z"} << false << false << QByteArray()
        << QString() << local << QList<QByteArray>{"x@y.z"} << QString();
    QTest::newRow("after --, a dash is a recipient")
        << QStringList{"--", "-t"} << false << false << QByteArray() << QString() << local
        << QList<QByteArray>{"-t"} << QString();
    QTest::newRow("-bs") << QStringList{"-bs"} << false << false << QByteArray() << QString()
                         << local << QList<QByteArray>() << QStringLiteral("-bs is not supported");
    QTest::newRow("-f without value")
        << QStringList{"-f"} << false << false << QByteArray() << QString() << local
        << QList<QByteArray>() << QStringLiteral("-f needs a value");
    QTest::newRow("unknown") << QStringList{"-X"} << false << false << QByteArray() << QString()
                             << local << QList<QByteArray>() << QStringLiteral("unknown option -X");
}

void tst_CliSendmail::arguments()
{
    QFETCH(QStringList, args);
    QFETCH(QString, error);
    args.prepend(QStringLiteral("smtpeek sendmail"));
    QString problem;
    const std::optional<SendmailArguments> parsed = parseSendmailArguments(args, &problem);
    if (!error.isEmpty()) {
        QVERIFY(!parsed);
        QVERIFY2(problem.contains(error), qPrintable(problem));
        return;
    }
    QVERIFY2(parsed, qPrintable(problem));
    QTEST(parsed->flags.recipientsFromHeaders, "t");
    QTEST(parsed->flags.ignoreDots, "i");
    QTEST(parsed->flags.sender, "sender");
    QTEST(parsed->flags.fullName, "name");
    QTEST(parsed->smtpAddress, "smtp");
    QTEST(parsed->flags.recipients, "rcpts");
}

void tst_CliSendmail::input_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("t");
    QTest::addColumn<bool>("i");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QList<QByteArray>>("rcpts");
    QTest::addColumn<QByteArray>("mailFrom");
    const QList<QByteArray> r{"r@x.y"};
    QTest::newRow("bare LF becomes CRLF, CRLF stays")
        << QByteArray("From: a@b.c\nSubject: s\r\n\nline\r\nother\n") << false << true
        << QByteArray("From: a@b.c\r\nSubject: s\r\n\r\nline\r\nother\r\n") << r
        << QByteArray("a@b.c");
    QTest::newRow("a lone dot ends the input without -i")
        << QByteArray("From: a@b.c\n\nkept\n.\nlost\n") << false << false
        << QByteArray("From: a@b.c\r\n\r\nkept\r\n") << r << QByteArray("a@b.c");
    QTest::newRow("with -i the dot is content")
        << QByteArray("From: a@b.c\n\n.\n..\n") << false << true
        << QByteArray("From: a@b.c\r\n\r\n.\r\n..\r\n") << r << QByteArray("a@b.c");
    QTest::newRow("a final line without LF gets CRLF")
        << QByteArray("From: a@b.c\n\nend") << false << true
        << QByteArray("From: a@b.c\r\n\r\nend\r\n") << r << QByteArray("a@b.c");
    QTest::newRow("-t: To, Cc, folded Bcc; Bcc removed")
        << QByteArray("From: a@b.c\nTo: T <t@x.y>, u@x.y\nCc: c@x.y\nBcc: b1@x.y,\n b2@x.y\n"
                      "Subject: s\n\nbody\n")
        << true << true
        << QByteArray("From: a@b.c\r\nTo: T <t@x.y>, u@x.y\r\nCc: c@x.y\r\n"
                      "Subject: s\r\n\r\nbody\r\n")
        << QList<QByteArray>{"r@x.y", "t@x.y", "u@x.y", "c@x.y", "b1@x.y", "b2@x.y"}
        << QByteArray("a@b.c");
    QTest::newRow("no From: one is added from the sender")
        << QByteArray("Subject: s\n\nbody\n") << false << true
        << QByteArray("From: me@host.example\r\nSubject: s\r\n\r\nbody\r\n") << r
        << QByteArray("me@host.example");
    QTest::newRow("headers only, then a blank line")
        << QByteArray("From: a@b.c\n\n") << false << true << QByteArray("From: a@b.c\r\n\r\n") << r
        << QByteArray("a@b.c");
}

void tst_CliSendmail::input()
{
    QFETCH(QByteArray, input);
    SendmailFlags flags;
    QFETCH(bool, t);
    QFETCH(bool, i);
    flags.recipientsFromHeaders = t;
    flags.ignoreDots = i;
    flags.recipients = {"r@x.y"};
    flags.defaultSender = "me@host.example";
    SendmailProblem problem;
    const std::optional<SendmailMessage> message = prepareSendmail(input, flags, &problem);
    QVERIFY2(message, qPrintable(problem.message));
    QTEST(message->data, "data");
    QTEST(message->recipients, "rcpts");
    QTEST(message->mailFrom, "mailFrom");
}

void tst_CliSendmail::problems_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<bool>("t");
    QTest::addColumn<QList<QByteArray>>("rcpts");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("no blank line")
        << QByteArray("Subject: s\nbody\n") << false << QList<QByteArray>{"r@x.y"}
        << Sysexits::DataError << QStringLiteral("no blank line");
    QTest::newRow("empty input") << QByteArray() << false << QList<QByteArray>{"r@x.y"}
                                 << Sysexits::DataError << QStringLiteral("no blank line");
    QTest::newRow("no recipients")
        << QByteArray("Subject: s\n\nb\n") << false << QList<QByteArray>() << Sysexits::Usage
        << QStringLiteral("no recipients");
    QTest::newRow("-t and no recipient fields")
        << QByteArray("Subject: s\n\nb\n") << true << QList<QByteArray>() << Sysexits::Usage
        << QStringLiteral("To, Cc or Bcc");
    QTest::newRow("a bad recipient")
        << QByteArray("Subject: s\n\nb\n") << false << QList<QByteArray>{"no at sign"}
        << Sysexits::DataError << QStringLiteral("not an email address");
}

void tst_CliSendmail::problems()
{
    QFETCH(QByteArray, input);
    QFETCH(bool, t);
    QFETCH(QList<QByteArray>, rcpts);
    SendmailFlags flags;
    flags.recipientsFromHeaders = t;
    flags.recipients = rcpts;
    flags.defaultSender = "me@host.example";
    SendmailProblem problem;
    QVERIFY(!prepareSendmail(input, flags, &problem));
    QTEST(problem.exitCode, "exitCode");
    QFETCH(QString, message);
    QVERIFY2(problem.message.contains(message), qPrintable(problem.message));
}

QTEST_GUILESS_MAIN(tst_CliSendmail)
#include "tst_clisendmail.moc"
