#include "DkimTestSigner.h"

#include "checks/DkimKeyRecord.h"
#include "checks/DkimSignature.h"
#include "checks/DkimVerifier.h"
#include "checks/KeyRecordSource.h"

#include <QFile>
#include <QTest>

// Messages signed by python3-dkim (tests/data/dkim/make_vectors.py) at t=1796299125.
static QByteArray vector(const char *name)
{
    QFile file(QFINDTESTDATA(QStringLiteral("../data/dkim/") + QLatin1String(name)));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("missing test vector %s", name);
    return file.readAll();
}

static QHash<QString, QList<QByteArray>> vectorKeys()
{
    return parseKeysFile(vector("keys.txt")).records;
}

static KeyRecordAnswer found(const QByteArray &record)
{
    return {KeyRecordAnswer::Status::Found, {record}, {}};
}

static constexpr qint64 kNow = 1796300000;

static DkimVerification verifyFirst(const QByteArray &message, const KeyRecordAnswer &key,
                                    qint64 now = kNow)
{
    const RawHeaderBlock header = scanHeaderBlock(message);
    const RawHeaderField *field = header.field("DKIM-Signature");
    if (!field)
        qFatal("no DKIM-Signature");
    return verifyDkimSignature(message, header, *field, key, now);
}

static DkimVerification verifyVector(const QByteArray &message)
{
    const RawHeaderBlock header = scanHeaderBlock(message);
    const DkimSignatureParse parse = parseDkimSignature(header.field("DKIM-Signature")->value);
    return verifyFirst(message, KeyRecordAnswer{KeyRecordAnswer::Status::Found,
                                                vectorKeys().value(parse.signature.keyName()),
                                                {}});
}

class tst_DkimVerifier : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tagList_data();
    void tagList();
    void signatureTags_data();
    void signatureTags();
    void keyRecords_data();
    void keyRecords();
    void keysFile();
    void vectors_data();
    void vectors();
    void tampered_data();
    void tampered();
    void keyAnswers_data();
    void keyAnswers();
    void lengthLongerThanBody();
    void expired();
    void hugeSignatureValue();
    void manyHeadersAndLargeBody();
};

void tst_DkimVerifier::tagList_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("error");
    QTest::addColumn<int>("count");
    QTest::newRow("plain") << QByteArray("v=1; a=rsa-sha256") << QString() << 2;
    QTest::newRow("final semicolon") << QByteArray("v=1; a=x;") << QString() << 2;
    QTest::newRow("folding") << QByteArray("v=1;\r\n b=ab\r\n cd ;") << QString() << 2;
    QTest::newRow("empty value") << QByteArray("v=; a=") << QString() << 2;
    QTest::newRow("empty list") << QByteArray("") << QString() << 0;
    QTest::newRow("duplicate") << QByteArray("a=1; a=2") << QStringLiteral("tag a= appears twice")
                               << 0;
    QTest::newRow("no equals") << QByteArray("v=1; garbage")
                               << QStringLiteral("'garbage' has no '='") << 0;
    QTest::newRow("empty tag") << QByteArray("v=1;; a=2") << QStringLiteral("empty tag at offset 4")
                               << 0;
    QTest::newRow("bad name") << QByteArray("1v=1") << QStringLiteral("bad tag name '1v'") << 0;
    QTest::newRow("8-bit value") << QByteArray("v=\xc3\xa9")
                                 << QStringLiteral("tag v= has byte 0xc3 in its value") << 0;
}

void tst_DkimVerifier::tagList()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, error);
    QFETCH(int, count);
    const TagList list = parseTagList(text);
    QCOMPARE(list.error, error);
    if (error.isEmpty())
        QCOMPARE(list.tags.size(), count);
}

void tst_DkimVerifier::signatureTags_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<QString>("problem"); // the first problem; empty: none
    const QByteArray bh = "bh=" + QByteArray(32, 'x').toBase64() + ";";
    const QByteArray good = "v=1; a=rsa-sha256; d=example.com; s=sel; h=from:to; " + bh + " b=AAAA";
    const auto row = [](const char *name, const QByteArray &value, const QString &problem) {
        QTest::newRow(name) << value << problem;
    };
    row("good", good, QString());
    row("missing v", QByteArray(good).replace("v=1; ", ""), QStringLiteral("missing tag v="));
    row("missing b", QByteArray(good).replace("; b=AAAA", ""), QStringLiteral("missing tag b="));
    row("missing bh", QByteArray(good).replace(bh, ""), QStringLiteral("missing tag bh="));
    row("missing d", QByteArray(good).replace("d=example.com; ", ""),
        QStringLiteral("missing tag d="));
    row("missing s", QByteArray(good).replace("s=sel; ", ""), QStringLiteral("missing tag s="));
    row("missing h", QByteArray(good).replace("h=from:to; ", ""), QStringLiteral("missing tag h="));
    row("missing a", QByteArray(good).replace("a=rsa-sha256; ", ""),
        QStringLiteral("missing tag a="));
    row("duplicate tag", good + "; d=other.example", QStringLiteral("tag d= appears twice"));
    row("version 2", QByteArray(good).replace("v=1", "v=2"),
        QStringLiteral("unsupported version v=2"));
    row("unknown algorithm", QByteArray(good).replace("rsa-sha256", "rsa-md5"),
        QStringLiteral("unknown algorithm a=rsa-md5"));
    row("bad base64 b", QByteArray(good).replace("b=AAAA", "b=AA*A"),
        QStringLiteral("b= is not base64"));
    row("bad base64 bh", QByteArray(good).replace(bh, "bh=!!!!;"),
        QStringLiteral("bh= is not base64"));
    row("short bh", QByteArray(good).replace(bh, "bh=AAAA;"),
        QStringLiteral("bh= has 3 bytes, 32 expected for rsa-sha256"));
    row("h without from", QByteArray(good).replace("h=from:to", "h=to:subject"),
        QStringLiteral("h= does not sign From (RFC 6376 5.4)"));
    row("identity outside d", good + "; i=a@other.example",
        QStringLiteral("i= domain other.example is not d= or a subdomain of it"));
    row("identity in subdomain", good + "; i=a@mail.example.com", QString());
    row("unknown canonicalization", good + "; c=loose/simple",
        QStringLiteral("unknown canonicalization c=loose/simple"));
    row("l not a number", good + "; l=12x", QStringLiteral("l= is not a number"));
    row("x before t", good + "; t=200; x=100", QStringLiteral("x= is before t="));
    row("query method", good + "; q=http/well-known",
        QStringLiteral("unsupported key query method q=http/well-known"));
    row("garbage", "this is not a tag list", QStringLiteral("'this is not a tag li' has no '='"));
}

void tst_DkimVerifier::signatureTags()
{
    QFETCH(QByteArray, value);
    QFETCH(QString, problem);
    const DkimSignatureParse parse = parseDkimSignature(value);
    QCOMPARE(parse.problems.value(0), problem);
}

void tst_DkimVerifier::keyRecords_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("problem");
    QTest::addColumn<bool>("revoked");
    const auto row = [](const char *name, const QByteArray &text, const QString &problem,
                        bool revoked = false) {
        QTest::newRow(name) << text << problem << revoked;
    };
    row("rsa", "v=DKIM1; k=rsa; p=AAAA", QString());
    row("no version", "p=AAAA", QString());
    row("ed25519", "v=DKIM1; k=ed25519; p=" + QByteArray(32, 'k').toBase64(), QString());
    row("revoked", "v=DKIM1; p=", QString(), true);
    row("garbage", "hello world",
        QStringLiteral("the key record is not a tag list: 'hello world' has no '='"));
    row("version not first", "k=rsa; v=DKIM1; p=AAAA",
        QStringLiteral("the key record's v= must come first and be DKIM1"));
    row("unknown type", "v=DKIM1; k=dsa; p=AAAA", QStringLiteral("unknown key type k=dsa"));
    row("no p", "v=DKIM1; k=rsa", QStringLiteral("the key record has no p="));
    row("p not base64", "v=DKIM1; p=###", QStringLiteral("the key record's p= is not base64"));
    row("short ed25519", "v=DKIM1; k=ed25519; p=AAAA",
        QStringLiteral("an ed25519 key has 32 bytes, p= has 3"));
    row("not for email", "v=DKIM1; s=other; p=AAAA",
        QStringLiteral("the key is not for email (s=other)"));
}

void tst_DkimVerifier::keyRecords()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, problem);
    QFETCH(bool, revoked);
    const DkimKeyRecordParse parse = parseDkimKeyRecord(text);
    QCOMPARE(parse.problem, problem);
    QCOMPARE(parse.record.revoked, revoked);
}

void tst_DkimVerifier::keysFile()
{
    const KeysFile file = parseKeysFile("# comment\n"
                                        "\n"
                                        "a._domainkey.Example.COM. v=DKIM1; p=AAAA\r\n"
                                        "b._domainkey.example.com \"v=DKIM1; \" \"p=BBBB\"\n"
                                        "a._domainkey.example.com v=DKIM1; p=CCCC\n"
                                        "lonely-name\n"
                                        "c._domainkey.example.com \"unterminated\n");
    QCOMPARE(file.records.value(QStringLiteral("a._domainkey.example.com")),
             (QList<QByteArray>{"v=DKIM1; p=AAAA", "v=DKIM1; p=CCCC"}));
    QCOMPARE(file.records.value(QStringLiteral("b._domainkey.example.com")),
             QList<QByteArray>{"v=DKIM1; p=BBBB"});
    QCOMPARE(file.problems,
             (QStringList{QStringLiteral("line 6: expected 'selector._domainkey.domain record'"),
                          QStringLiteral("line 7: expected 'selector._domainkey.domain record'")}));
}

void tst_DkimVerifier::vectors_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("algorithm");
    QTest::addColumn<QString>("canonicalization");
    QTest::addColumn<QString>("reason");
    QTest::newRow("rsa relaxed") << QByteArray("rsa-relaxed.eml") << "rsa-sha256"
                                 << "relaxed/relaxed" << QString();
    QTest::newRow("rsa simple") << QByteArray("rsa-simple.eml") << "rsa-sha256"
                                << "simple/simple" << QString();
    QTest::newRow("rsa l=") << QByteArray("rsa-length.eml") << "rsa-sha256"
                            << "relaxed/relaxed" << QString();
    QTest::newRow("rsa-sha1") << QByteArray("rsa-sha1.eml") << "rsa-sha1"
                              << "relaxed/simple"
                              << QStringLiteral("rsa-sha1 is weak and obsolete (RFC 8301)");
    QTest::newRow("ed25519") << QByteArray("ed25519.eml") << "ed25519-sha256"
                             << "relaxed/relaxed" << QString();
}

void tst_DkimVerifier::vectors()
{
    QFETCH(QByteArray, file);
    QFETCH(QString, algorithm);
    QFETCH(QString, canonicalization);
    QFETCH(QString, reason);
    const DkimVerification result = verifyVector(vector(file));
    QCOMPARE(result.result, QStringLiteral("pass"));
    QCOMPARE(result.bodyHash, CheckOutcome::Pass);
    QCOMPARE(result.signature, CheckOutcome::Pass);
    QCOMPARE(result.reason, reason);
    QCOMPARE(result.algorithm, algorithm);
    QCOMPARE(result.canonicalization, canonicalization);
    QCOMPARE(result.domain, QStringLiteral("example.com"));
    QCOMPARE(result.offset, 0);
}

void tst_DkimVerifier::tampered_data()
{
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QByteArray>("from");
    QTest::addColumn<QByteArray>("to");
    QTest::addColumn<QString>("result");
    QTest::addColumn<CheckOutcome>("bodyHash");
    QTest::addColumn<CheckOutcome>("signature");
    QTest::addColumn<QString>("reason");
    using O = CheckOutcome;
    const QString body = QStringLiteral("body changed (body hash mismatch)");
    const QString headers = QStringLiteral("headers changed (signature mismatch)");
    QTest::newRow("relaxed body") << QByteArray("rsa-relaxed.eml") << QByteArray("Numbers are")
                                  << QByteArray("Numbers were") << "fail" << O::Fail << O::Pass
                                  << body;
    QTest::newRow("relaxed header")
        << QByteArray("rsa-relaxed.eml") << QByteArray("Subject: Signed report")
        << QByteArray("Subject: Signed rep0rt") << "fail" << O::Pass << O::Fail << headers;
    QTest::newRow("relaxed survives spacing")
        << QByteArray("rsa-relaxed.eml") << QByteArray("Subject: Signed report")
        << QByteArray("Subject:   Signed \t report  ") << "pass" << O::Pass << O::Pass << QString();
    QTest::newRow("relaxed body spacing")
        << QByteArray("rsa-relaxed.eml") << QByteArray("are  up.") << QByteArray("are up. ")
        << "pass" << O::Pass << O::Pass << QString();
    QTest::newRow("simple spacing breaks")
        << QByteArray("rsa-simple.eml") << QByteArray("Subject: Signed report")
        << QByteArray("Subject:  Signed report") << "fail" << O::Pass << O::Fail << headers;
    QTest::newRow("simple body spacing breaks")
        << QByteArray("rsa-simple.eml") << QByteArray("are  up.") << QByteArray("are up.") << "fail"
        << O::Fail << O::Pass << body;
    QTest::newRow("both") << QByteArray("rsa-simple.eml") << QByteArray("Numbers are  up.")
                          << QByteArray("Numbers are  down.") << "fail" << O::Fail << O::Pass
                          << body;
    QTest::newRow("l= allows appending")
        << QByteArray("rsa-length.eml") << QByteArray("Details follow.\r\n")
        << QByteArray("Details follow.\r\nPS: appended\r\n") << "pass" << O::Pass << O::Pass
        << QStringLiteral("l= signs 34 of 48 body octets: text can be appended unseen");
    QTest::newRow("ed25519 body") << QByteArray("ed25519.eml") << QByteArray("Details")
                                  << QByteArray("Detail5") << "fail" << O::Fail << O::Pass << body;
    QTest::newRow("ed25519 header")
        << QByteArray("ed25519.eml") << QByteArray("To: bob@") << QByteArray("To: eve@") << "fail"
        << O::Pass << O::Fail << headers;
    QTest::newRow("unsigned header added")
        << QByteArray("rsa-relaxed.eml") << QByteArray("\r\n\r\n")
        << QByteArray("\r\nX-Added: yes\r\n\r\n") << "pass" << O::Pass << O::Pass << QString();
    QTest::newRow("second From added") << QByteArray("rsa-relaxed.eml") << QByteArray("\r\n\r\n")
                                       << QByteArray("\r\nFrom: eve@evil.example\r\n\r\n") << "fail"
                                       << O::Pass << O::Fail << headers;
}

void tst_DkimVerifier::tampered()
{
    QFETCH(QByteArray, file);
    QFETCH(QByteArray, from);
    QFETCH(QByteArray, to);
    QFETCH(QString, result);
    QFETCH(CheckOutcome, bodyHash);
    QFETCH(CheckOutcome, signature);
    QFETCH(QString, reason);
    QByteArray message = vector(file);
    const qsizetype at = message.indexOf(from, message.indexOf("\r\nFrom:"));
    QVERIFY(at > 0);
    message.replace(at, from.size(), to);
    const DkimVerification verification = verifyVector(message);
    QCOMPARE(verification.result, result);
    QCOMPARE(verification.bodyHash, bodyHash);
    QCOMPARE(verification.signature, signature);
    QCOMPARE(verification.reason, reason);
}

void tst_DkimVerifier::keyAnswers_data()
{
    QTest::addColumn<KeyRecordAnswer>("answer");
    QTest::addColumn<QString>("result");
    QTest::addColumn<QString>("reason");
    const QByteArray edKey = "v=DKIM1; k=ed25519; p=" + QByteArray(32, 'k').toBase64();
    using S = KeyRecordAnswer::Status;
    QTest::newRow("not found") << KeyRecordAnswer{S::NotFound, {}, {}} << "permerror"
                               << QStringLiteral("no key record at rsa._domainkey.example.com");
    QTest::newRow("timeout")
        << KeyRecordAnswer{S::TempError, {}, QStringLiteral("no answer in time")} << "temperror"
        << QStringLiteral("key lookup of rsa._domainkey.example.com failed: no answer in time");
    QTest::newRow("revoked") << found("v=DKIM1; p=") << "permerror"
                             << QStringLiteral(
                                    "the key at rsa._domainkey.example.com is revoked (empty p=)");
    QTest::newRow("garbage") << found("\x01\x02 garbage") << "permerror"
                             << QStringLiteral(
                                    "rsa._domainkey.example.com: the key record is not a tag "
                                    "list: '\x01\x02 garbage' has no '='");
    QTest::newRow("wrong key type")
        << found(edKey) << "permerror"
        << QStringLiteral("the key is k=ed25519, the signature needs rsa");
    QTest::newRow("not a key") << found("v=DKIM1; p=" + QByteArray("not DER at all").toBase64())
                               << "permerror" << QStringLiteral("p= is not a valid rsa public key");
    QTest::newRow("hash not allowed") << found("v=DKIM1; h=sha1; p=AAAA") << "permerror"
                                      << QStringLiteral("the key allows h=sha1 only");
    QTest::newRow("garbage then good")
        << KeyRecordAnswer{S::Found,
                           {"spf1 nonsense",
                            vectorKeys().value("rsa._domainkey.example.com").value(0)},
                           {}}
        << "pass" << QString();
}

void tst_DkimVerifier::keyAnswers()
{
    QFETCH(KeyRecordAnswer, answer);
    QFETCH(QString, result);
    QFETCH(QString, reason);
    const DkimVerification verification = verifyFirst(vector("rsa-relaxed.eml"), answer);
    QCOMPARE(verification.result, result);
    QCOMPARE(verification.reason, reason);
    // The body hash needs no key: it is known either way.
    QCOMPARE(verification.bodyHash, CheckOutcome::Pass);
    QCOMPARE(verification.signature, result == u"pass" ? CheckOutcome::Pass : CheckOutcome::None);
}

void tst_DkimVerifier::lengthLongerThanBody()
{
    QByteArray message = vector("rsa-length.eml");
    message.replace("l=34;", "l=999999;");
    const DkimVerification verification = verifyVector(message);
    QCOMPARE(verification.result, QStringLiteral("permerror"));
    QCOMPARE(verification.reason,
             QStringLiteral("l=999999 is longer than the canonical body (34 octets)"));
    QCOMPARE(verification.bodyHash, CheckOutcome::None);
}

void tst_DkimVerifier::expired()
{
    const DkimTestSigner signer;
    const QByteArray message =
        signer.sign("From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n", "t=1000; x=2000; ");
    const DkimVerification early = verifyFirst(message, found(signer.keyRecord()), 1500);
    QCOMPARE(early.result, QStringLiteral("pass"));
    const DkimVerification late = verifyFirst(message, found(signer.keyRecord()), 2001);
    QCOMPARE(late.result, QStringLiteral("neutral"));
    QCOMPARE(late.reason, QStringLiteral("the signature expired at 1970-01-01T00:33:20Z (x=)"));
    QCOMPARE(late.bodyHash, CheckOutcome::Pass);
    QCOMPARE(late.signature, CheckOutcome::Pass);
}

void tst_DkimVerifier::hugeSignatureValue()
{
    QByteArray message = vector("rsa-relaxed.eml");
    const qsizetype b = message.indexOf(" b=") + 3;
    message.insert(b, QByteArray(1024 * 1024, 'A'));
    const DkimVerification verification = verifyVector(message);
    QCOMPARE(verification.result, QStringLiteral("fail"));
    QCOMPARE(verification.signature, CheckOutcome::Fail);
    QCOMPARE(verification.bodyHash, CheckOutcome::Pass);

    QByteArray garbage = vector("rsa-relaxed.eml");
    garbage.insert(garbage.indexOf(" b=") + 3, QByteArray(1024 * 1024, '!'));
    QCOMPARE(verifyVector(garbage).reason, QStringLiteral("b= is not base64"));
}

void tst_DkimVerifier::manyHeadersAndLargeBody()
{
    const DkimTestSigner signer;
    QByteArray message = "From: a@example.com\r\nSubject: big\r\n";
    for (int i = 0; i < 10000; ++i)
        message += "X-Filler-" + QByteArray::number(i) + ": value\r\n";
    message += "\r\n";
    const QByteArray line = QByteArray(76, 'x') + "\r\n";
    message += line.repeated(20 * 1024 * 1024 / line.size());
    const QByteArray signedMessage = signer.sign(message);
    QCOMPARE(verifyFirst(signedMessage, found(signer.keyRecord())).result, QStringLiteral("pass"));
}

QTEST_GUILESS_MAIN(tst_DkimVerifier)
#include "tst_dkimverifier.moc"
