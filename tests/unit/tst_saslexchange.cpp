#include "protocol/SaslExchange.h"
#include "server/AuthPolicy.h"

#include <QCryptographicHash>
#include <QMessageAuthenticationCode>
#include <QTest>

class tst_SaslExchange : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void exchanges_data();
    void exchanges();
    void cramMd5();
    void policy();
};

static QByteArray b64(const QByteArray &s) { return s.toBase64(); }

void tst_SaslExchange::exchanges_data()
{
    QTest::addColumn<QByteArray>("argument");
    QTest::addColumn<QList<QByteArray>>("responses");
    QTest::addColumn<QList<int>>("codes"); // the reply after start and after each response; 0: done
    QTest::addColumn<QByteArray>("user");
    QTest::addColumn<QByteArray>("password");

    const QByteArray plain = b64(QByteArray("\0alice\0secret", 13));
    QTest::newRow("plain initial") << "PLAIN " + plain << QList<QByteArray>{} << QList<int>{0} << QByteArray("alice") << QByteArray("secret");
    QTest::newRow("plain lower") << "plain " + plain << QList<QByteArray>{} << QList<int>{0} << QByteArray("alice") << QByteArray("secret");
    QTest::newRow("plain authzid") << "PLAIN " + b64(QByteArray("admin\0bob\0pw", 12)) << QList<QByteArray>{} << QList<int>{0} << QByteArray("bob") << QByteArray("pw");
    QTest::newRow("plain challenge") << QByteArray("PLAIN") << QList<QByteArray>{plain} << QList<int>{334, 0} << QByteArray("alice") << QByteArray("secret");
    QTest::newRow("plain empty authcid") << "PLAIN " + b64(QByteArray("\0\0pw", 4)) << QList<QByteArray>{} << QList<int>{501} << QByteArray() << QByteArray();
    QTest::newRow("plain two fields") << "PLAIN " + b64("alice") << QList<QByteArray>{} << QList<int>{501} << QByteArray() << QByteArray();
    QTest::newRow("plain bad base64") << QByteArray("PLAIN !!!") << QList<QByteArray>{} << QList<int>{501} << QByteArray() << QByteArray();
    QTest::newRow("plain cancel") << QByteArray("PLAIN") << QList<QByteArray>{"*"} << QList<int>{334, 501} << QByteArray() << QByteArray();
    QTest::newRow("login") << QByteArray("LOGIN") << QList<QByteArray>{b64("carol"), b64("pw2")} << QList<int>{334, 334, 0} << QByteArray("carol") << QByteArray("pw2");
    QTest::newRow("login initial") << "LOGIN " + b64("carol") << QList<QByteArray>{b64("pw2")} << QList<int>{334, 0} << QByteArray("carol") << QByteArray("pw2");
    QTest::newRow("login cancel") << QByteArray("LOGIN") << QList<QByteArray>{b64("carol"), "*"} << QList<int>{334, 334, 501} << QByteArray() << QByteArray();
    QTest::newRow("login bad base64") << QByteArray("LOGIN") << QList<QByteArray>{"@@@"} << QList<int>{334, 501} << QByteArray() << QByteArray();
    QTest::newRow("unknown mechanism") << QByteArray("GSSAPI") << QList<QByteArray>{} << QList<int>{504} << QByteArray() << QByteArray();
    QTest::newRow("no mechanism") << QByteArray("") << QList<QByteArray>{} << QList<int>{504} << QByteArray() << QByteArray();
    QTest::newRow("too many words") << "PLAIN " + plain + " x" << QList<QByteArray>{} << QList<int>{501} << QByteArray() << QByteArray();
    QTest::newRow("cram initial refused") << QByteArray("CRAM-MD5 abc") << QList<QByteArray>{} << QList<int>{501} << QByteArray() << QByteArray();
}

void tst_SaslExchange::exchanges()
{
    QFETCH(QByteArray, argument);
    QFETCH(QList<QByteArray>, responses);
    QFETCH(QList<int>, codes);
    QFETCH(QByteArray, user);
    QFETCH(QByteArray, password);

    SaslExchange sasl;
    QList<SaslExchange::Step> steps{sasl.start(argument, "mx.test")};
    for (const QByteArray &response : responses)
        steps.append(sasl.respond(response));
    QCOMPARE(steps.size(), codes.size());
    for (qsizetype i = 0; i < steps.size(); ++i) {
        const SaslExchange::Step &step = steps[i];
        const int code = step.challenge ? step.challenge->code : step.error ? step.error->code : 0;
        QCOMPARE(code, codes[i]);
    }
    if (codes.last() == 0) {
        QCOMPARE(steps.last().credentials->user, user);
        QCOMPARE(steps.last().credentials->password, password);
    }
    if (codes.last() == 501 && responses.value(responses.size() - 1) == "*")
        QCOMPARE(steps.last().error->enhanced, QByteArray("5.7.0"));
}

void tst_SaslExchange::cramMd5()
{
    SaslExchange sasl;
    const SaslExchange::Step first = sasl.start("CRAM-MD5", "mx.test");
    QVERIFY(first.challenge);
    const QByteArray challenge = QByteArray::fromBase64(first.challenge->lines.first());
    QVERIFY(challenge.startsWith('<') && challenge.endsWith("@mx.test>"));
    const QByteArray digest =
        QMessageAuthenticationCode::hash(challenge, "tanstaaf", QCryptographicHash::Md5).toHex();
    const SaslExchange::Step done = sasl.respond(b64("tim " + digest));
    QVERIFY(done.credentials);
    QCOMPARE(done.credentials->user, QByteArray("tim"));
    QVERIFY(SaslExchange::cramMd5Matches(*done.credentials, "tanstaaf"));
    QVERIFY(!SaslExchange::cramMd5Matches(*done.credentials, "wrong"));
}

void tst_SaslExchange::policy()
{
    AuthPolicy any;
    QVERIFY(any.accepts({"anyone", "anything", {}, {}}));
    AuthPolicy users;
    users.mode = AuthPolicy::Mode::Users;
    users.users.insert("alice", "secret");
    QVERIFY(users.accepts({"alice", "secret", {}, {}}));
    QVERIFY(!users.accepts({"alice", "wrong", {}, {}}));
    QVERIFY(!users.accepts({"mallory", "secret", {}, {}}));
    const QByteArray challenge = "<1.2@mx>";
    const QByteArray digest =
        QMessageAuthenticationCode::hash(challenge, "secret", QCryptographicHash::Md5).toHex();
    QVERIFY(users.accepts({"alice", {}, challenge, digest}));
    AuthPolicy off;
    off.mode = AuthPolicy::Mode::Off;
    QVERIFY(!off.accepts({"alice", "secret", {}, {}}));
}

QTEST_GUILESS_MAIN(tst_SaslExchange)
#include "tst_saslexchange.moc"
