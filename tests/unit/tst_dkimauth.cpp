#include "DkimTestSigner.h"

#include "checks/DmarcAlignment.h"
#include "checks/DnsKeyRecordSource.h"
#include "checks/MessageAuth.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

static QByteArray vector(const char *name)
{
    QFile file(QFINDTESTDATA(QStringLiteral("../data/dkim/") + QLatin1String(name)));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test vector %s", name);
    return file.readAll();
}

static const KeyFileSource &vectorKeys()
{
    static const KeyFileSource source(QFINDTESTDATA("../data/dkim/keys.txt"));
    return source;
}

static QHash<QString, KeyRecordAnswer> signerKeys(const DkimTestSigner &signer)
{
    return {{QStringLiteral("test._domainkey.example.com"),
             {KeyRecordAnswer::Status::Found, {signer.keyRecord()}, {}}}};
}

class tst_DkimAuth : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void organizationalDomain_data();
    void organizationalDomain();
    void alignment_data();
    void alignment();
    void vectorAlignedRelaxedOnly();
    void signedAlignment_data();
    void signedAlignment();
    void failingSignatureIsNotAligned();
    void tooManySignatures();
    void keyNames();
    void unreadableKeysFile();
    void dnsWithoutServer();
    void arcVector();
    void arcTampered();
    void arcStructure_data();
    void arcStructure();
    void noAuthentication();
};

void tst_DkimAuth::organizationalDomain_data()
{
    QTest::addColumn<QString>("domain");
    QTest::addColumn<QString>("expected");
    QTest::newRow("subdomain") << "mail.example.com"
                               << "example.com";
    QTest::newRow("itself") << "example.com"
                            << "example.com";
    QTest::newRow("upper case") << "Mail.EXAMPLE.com"
                                << "example.com";
    QTest::newRow("two-label suffix") << "a.b.example.co.uk"
                                      << "example.co.uk";
    QTest::newRow("public suffix") << "co.uk"
                                   << "co.uk";
    QTest::newRow("private suffix") << "alice.github.io"
                                    << "alice.github.io";
    QTest::newRow("empty") << ""
                           << "";
}

void tst_DkimAuth::organizationalDomain()
{
    QFETCH(QString, domain);
    QFETCH(QString, expected);
    QCOMPARE(::organizationalDomain(domain), expected);
}

void tst_DkimAuth::alignment_data()
{
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("signing");
    QTest::addColumn<bool>("relaxed");
    QTest::addColumn<bool>("strict");
    QTest::newRow("same") << "example.com"
                          << "example.com" << true << true;
    QTest::newRow("case") << "Example.com"
                          << "example.COM" << true << true;
    QTest::newRow("from subdomain") << "mail.example.com"
                                    << "example.com" << true << false;
    QTest::newRow("signer subdomain") << "example.com"
                                      << "mail.example.com" << true << false;
    QTest::newRow("other") << "example.com"
                           << "example.net" << false << false;
    QTest::newRow("shared suffix only") << "a.co.uk"
                                        << "b.co.uk" << false << false;
    QTest::newRow("github pages") << "alice.github.io"
                                  << "bob.github.io" << false << false;
    QTest::newRow("no from") << ""
                             << "example.com" << false << false;
}

void tst_DkimAuth::alignment()
{
    QFETCH(QString, from);
    QFETCH(QString, signing);
    QFETCH(bool, relaxed);
    QFETCH(bool, strict);
    const DomainAlignment alignment = alignDomains(from, signing);
    QCOMPARE(alignment.relaxed, relaxed);
    QCOMPARE(alignment.strict, strict);
}

void tst_DkimAuth::vectorAlignedRelaxedOnly()
{
    const AuthReport report = authenticateMessage(vector("rsa-relaxed.eml"), vectorKeys());
    QCOMPARE(report.dkim.size(), 1);
    QCOMPARE(report.dkim[0].verification.result, QStringLiteral("pass"));
    QVERIFY(report.dkim[0].aligned);
    QVERIFY(!report.dkim[0].alignedStrict);
    QCOMPARE(report.dmarc.fromDomain, QStringLiteral("mail.example.com"));
    QCOMPARE(report.dmarc.organizationalDomain, QStringLiteral("example.com"));
    QVERIFY(report.dmarc.aligned);
    QVERIFY(!report.dmarc.alignedStrict);
    QCOMPARE(report.arc.result, QStringLiteral("none"));
}

void tst_DkimAuth::signedAlignment_data()
{
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<bool>("aligned");
    QTest::addColumn<bool>("strict");
    QTest::newRow("strict") << QByteArray("a@example.com") << true << true;
    QTest::newRow("relaxed") << QByteArray("\"A\" <a@news.example.com>") << true << false;
    QTest::newRow("unaligned") << QByteArray("a@example.org") << false << false;
}

void tst_DkimAuth::signedAlignment()
{
    QFETCH(QByteArray, from);
    QFETCH(bool, aligned);
    QFETCH(bool, strict);
    const DkimTestSigner signer;
    const QByteArray message = signer.sign("From: " + from + "\r\nSubject: x\r\n\r\nbody\r\n");
    const AuthReport report = authenticateMessage(message, signerKeys(signer), 0);
    QCOMPARE(report.dkim.value(0).verification.result, QStringLiteral("pass"));
    QCOMPARE(report.dkim[0].aligned, aligned);
    QCOMPARE(report.dkim[0].alignedStrict, strict);
    QCOMPARE(report.dmarc.aligned, aligned);
}

void tst_DkimAuth::failingSignatureIsNotAligned()
{
    QByteArray message = vector("rsa-relaxed.eml");
    message.replace("Numbers are", "Numbers were");
    const AuthReport report = authenticateMessage(message, vectorKeys());
    QCOMPARE(report.dkim[0].verification.result, QStringLiteral("fail"));
    QVERIFY(!report.dkim[0].aligned);
    QVERIFY(!report.dmarc.aligned);
}

void tst_DkimAuth::tooManySignatures()
{
    const DkimTestSigner signer;
    QByteArray message = "From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n";
    for (int i = 0; i < kMaxDkimSignatures + 4; ++i)
        message = signer.sign(message);
    const AuthReport report = authenticateMessage(message, signerKeys(signer), 0);
    QCOMPARE(report.dkim.size(), kMaxDkimSignatures + 4);
    QCOMPARE(report.dkim.first().verification.result, QStringLiteral("pass"));
    QCOMPARE(report.dkim.last().verification.result, QStringLiteral("neutral"));
    QCOMPARE(report.dkim.last().verification.reason,
             QStringLiteral("not verified: more than 16 signatures"));
}

void tst_DkimAuth::keyNames()
{
    QCOMPARE(authKeyNames(vector("arc.eml")),
             (QStringList{QStringLiteral("rsa._domainkey.example.com"),
                          QStringLiteral("arc._domainkey.lists.example.org")}));
    QCOMPARE(authKeyNames("From: a@example.com\r\n\r\n"), QStringList());
}

void tst_DkimAuth::unreadableKeysFile()
{
    QTemporaryDir dir;
    const KeyFileSource source(dir.filePath(QStringLiteral("missing.txt")));
    const AuthReport report = authenticateMessage(vector("rsa-relaxed.eml"), source);
    QCOMPARE(report.dkim[0].verification.result, QStringLiteral("temperror"));
    QVERIFY2(report.dkim[0].verification.reason.contains(u"cannot read the keys file"),
             qPrintable(report.dkim[0].verification.reason));
}

// Nothing answers DNS on this machine's loopback in tests: the lookup must end in its bound,
// never be taken for a missing key or hang.
void tst_DkimAuth::dnsWithoutServer()
{
    const DnsKeyRecordSource source(QHostAddress(QStringLiteral("127.0.0.1")));
    const QString name = QStringLiteral("rsa._domainkey.example.com");
    const QHash<QString, KeyRecordAnswer> answers = source.lookUp({name}, 2000);
    QCOMPARE(answers.size(), 1);
    QVERIFY(answers[name].status != KeyRecordAnswer::Status::Found);
}

void tst_DkimAuth::arcVector()
{
    const AuthReport report = authenticateMessage(vector("arc.eml"), vectorKeys());
    QCOMPARE(report.arc.result, QStringLiteral("pass"));
    QCOMPARE(report.arc.sets.size(), 1);
    const ArcSetReport &set = report.arc.sets.first();
    QCOMPARE(set.instance, 1);
    QCOMPARE(set.chainValidation, QStringLiteral("none"));
    QCOMPARE(set.domain, QStringLiteral("lists.example.org"));
    QCOMPARE(set.selector, QStringLiteral("arc"));
    QCOMPARE(set.seal, CheckOutcome::Pass);
    QCOMPARE(set.messageSignature, CheckOutcome::Pass);
    QVERIFY2(set.problems.isEmpty(), qPrintable(set.problems.join(u'\n')));
    QVERIFY(set.authenticationResults.startsWith(u"lists.example.org"));
    QCOMPARE(report.dkim.value(0).verification.result, QStringLiteral("pass"));
}

void tst_DkimAuth::arcTampered()
{
    QByteArray message = vector("arc.eml");
    message.replace("Details follow", "Details differ");
    const AuthReport report = authenticateMessage(message, vectorKeys());
    QCOMPARE(report.arc.result, QStringLiteral("fail"));
    QCOMPARE(report.arc.sets.first().messageSignature, CheckOutcome::Fail);
    QCOMPARE(report.arc.sets.first().seal, CheckOutcome::Pass);
    QCOMPARE(report.arc.reason,
             QStringLiteral("the newest ARC-Message-Signature (i=1) does not verify"));
}

void tst_DkimAuth::arcStructure_data()
{
    QTest::addColumn<QByteArray>("header");
    QTest::addColumn<int>("sets");
    QTest::addColumn<QString>("reason");
    const auto set = [](int i, const char *cv) {
        const QByteArray n = QByteArray::number(i);
        return "ARC-Seal: i=" + n + "; cv=" + cv + "; a=rsa-sha256; d=x.example; s=s; b=AAAA\r\n" +
               "ARC-Message-Signature: i=" + n +
               "; a=rsa-sha256; d=x.example; s=s; h=from; bh=AAAA; b=AAAA\r\n" +
               "ARC-Authentication-Results: i=" + n + "; x.example; dkim=pass\r\n";
    };
    QTest::newRow("missing instance")
        << set(1, "none") + set(3, "pass") << 3 << QStringLiteral("instance 2 is missing");
    QTest::newRow("duplicate seal")
        << set(1, "none") + "ARC-Seal: i=1; cv=none; a=rsa-sha256; d=y; s=s; b=AAAA\r\n"
        << 1 << QStringLiteral("instance 1: 2 ARC-Seal fields");
    QTest::newRow("no results")
        << QByteArray(
               "ARC-Seal: i=1; cv=none; a=rsa-sha256; d=y; s=s; b=AAAA\r\n"
               "ARC-Message-Signature: i=1; a=rsa-sha256; d=y; s=s; h=from; bh=AAAA; b=AAAA\r\n")
        << 1 << QStringLiteral("instance 1: no ARC-Authentication-Results");
    QTest::newRow("cv pass at 1") << set(1, "pass") << 1
                                  << QStringLiteral("instance 1: cv=pass where none belongs");
    QTest::newRow("cv none at 2") << set(1, "none") + set(2, "none") << 2
                                  << QStringLiteral("instance 2: cv=none where pass belongs");
    QTest::newRow("cv fail") << set(1, "none") + set(2, "fail") << 2
                             << QStringLiteral(
                                    "a sealer recorded cv=fail: the chain was already broken");
    QTest::newRow("no instance") << QByteArray(
                                        "ARC-Seal: cv=none; a=rsa-sha256; d=y; s=s; b=AAAA\r\n")
                                 << 0 << QStringLiteral("1 ARC field(s) without a valid i= (1-50)");
    QTest::newRow("instance 51") << set(51, "pass") << 0
                                 << QStringLiteral("3 ARC field(s) without a valid i= (1-50)");
}

void tst_DkimAuth::arcStructure()
{
    QFETCH(QByteArray, header);
    QFETCH(int, sets);
    QFETCH(QString, reason);
    const QByteArray message = header + "From: a@example.com\r\n\r\nbody\r\n";
    const AuthReport report = authenticateMessage(message, QHash<QString, KeyRecordAnswer>(), 0);
    QCOMPARE(report.arc.result, QStringLiteral("fail"));
    QCOMPARE(report.arc.sets.size(), sets);
    QVERIFY2(report.arc.reason.startsWith(reason), qPrintable(report.arc.reason));
}

void tst_DkimAuth::noAuthentication()
{
    const AuthReport report = authenticateMessage("From: a@example.com\r\n\r\nx\r\n", vectorKeys());
    QVERIFY(report.dkim.isEmpty());
    QCOMPARE(report.dmarc.fromDomain, QStringLiteral("example.com"));
    QVERIFY(!report.dmarc.aligned);
    QCOMPARE(report.arc.result, QStringLiteral("none"));
}

QTEST_GUILESS_MAIN(tst_DkimAuth)
#include "tst_dkimauth.moc"
