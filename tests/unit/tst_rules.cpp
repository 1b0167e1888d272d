// The rules document (parsing, validation naming rule and field, round trip), Mailpit's chaos
// syntax and JSON, and the engine's decisions per stage, reproducible from a seed.
#include "rules/ChaosTriggers.h"
#include "rules/RuleEngine.h"
#include "rules/RuleParser.h"

#include "mime/MimeRuntime.h"

#include <QJsonDocument>
#include <QTest>

// Declared before the helpers: moc 6.4 misses a class that follows the raw strings below.
class tst_Rules : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parsesEveryField();
    void refusesWithRuleAndField_data();
    void refusesWithRuleAndField();
    void decidesPerStage();
    void sameSeedSameSequence();
    void greylistsEachTripleFirst();
    void rateLimitsPerClient();
    void disabledRulesAndOtherStagesCostNothing();
    void chaosTriggers();
    void rememberedMatchesFollowTheRules();
};

namespace {
const MimeRuntime mimeRuntime; // subject conditions decode the headline with GMime

QByteArray document(const QByteArray &rules)
{
    return "{\"Rules\": [" + rules + "]}";
}

// A stage as a session would ask it.
struct Asked
{
    SessionRecord session;
    Envelope envelope;
    QByteArray argument;
    QByteArray message;
    bool withMessage = false;

    StageContext at(SmtpStage stage) const
    {
        return StageContext{stage, session, envelope, argument, withMessage ? &message : nullptr};
    }
};

Asked fromClient(const QString &address)
{
    Asked asked;
    asked.session.peerAddress = address;
    return asked;
}

std::unique_ptr<RuleEngine> engineWith(const QByteArray &rules)
{
    const ParsedRules parsed = parseRules(document(rules));
    if (!parsed.errors.isEmpty())
        qFatal("rules do not parse: %s", qPrintable(parsed.errors.join(u'|')));
    auto engine = std::make_unique<RuleEngine>();
    engine->setSeed(7);
    engine->setRules(parsed.rules);
    return engine;
}
} // namespace

void tst_Rules::parsesEveryField()
{
    const ParsedRules parsed = parseRules(R"({"Seed": 42, "Rules": [
        {"Name": "full", "Stage": "rcpt", "Action": "reply", "Probability": 50,
         "When": {"RcptTo": "^full@", "ClientAddress": "^127\\.", "Tls": false},
         "Reply": {"Code": 552, "Enhanced": "5.2.2", "Text": ["Mailbox full", "try later"]}},
        {"Name": "slow", "Enabled": false, "Stage": "data", "Action": "delay", "DelayMs": [100, 200]},
        {"Name": "grey", "Stage": "rcpt", "Action": "greylist", "Attempts": 2, "WindowSeconds": 60},
        {"Name": "rate", "Stage": "mail", "Action": "ratelimit", "Limit": 3, "Per": "sender",
         "Reply": {"Code": 452, "Enhanced": "4.5.3", "Text": "slow down"}},
        {"Name": "big", "Stage": "message", "Action": "accept-discard",
         "When": {"Subject": "invoice", "Header": {"X-Test": "yes"}, "SizeAbove": 10}}
    ]})");
    QVERIFY2(parsed.errors.isEmpty(), qPrintable(parsed.errors.join(u'|')));
    QCOMPARE(parsed.seed, std::optional<quint32>(42));
    QCOMPARE(parsed.rules.size(), 5);
    const Rule &full = parsed.rules[0];
    QCOMPARE(full.stage, SmtpStage::Rcpt);
    QCOMPARE(full.probability, 50);
    QCOMPARE(full.patterns.size(), 2);
    QCOMPARE(full.tls, std::optional<bool>(false));
    QCOMPARE(full.reply.code, 552);
    QCOMPARE(full.reply.lines, (QList<QByteArray>{"Mailbox full", "try later"}));
    QCOMPARE(parsed.rules[1].enabled, false);
    QCOMPARE(parsed.rules[1].delayMinMs, 100);
    QCOMPARE(parsed.rules[1].delayMaxMs, 200);
    QCOMPARE(parsed.rules[3].per, Rule::Per::Sender);
    QCOMPARE(parsed.rules[4].sizeAbove, std::optional<qint64>(10));

    // What GET gives back parses to the same document.
    const QByteArray again = rulesDocument(parsed.rules, parsed.seed);
    const ParsedRules reparsed = parseRules(again);
    QVERIFY2(reparsed.errors.isEmpty(), qPrintable(reparsed.errors.join(u'|')));
    QCOMPARE(rulesDocument(reparsed.rules, reparsed.seed), again);
}

void tst_Rules::refusesWithRuleAndField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");
    const auto row = [](const char *name, const QByteArray &json, const char *error) {
        QTest::newRow(name) << json << QString::fromUtf8(error);
    };
    row("not json", "{", "not JSON");
    row("no list", "{\"Rules\": 1}", "\"Rules\" list");
    row("unknown top field", "{\"Rules\": [], \"Extra\": 1}", "Extra is not a field");
    row("no name", document(R"({"Stage": "rcpt", "Action": "disconnect"})"),
        "rule 1: Name is required");
    row("unknown stage", document(R"({"Name": "a", "Stage": "rctp", "Action": "disconnect"})"),
        "rule 1 \"a\": Stage 'rctp' is not");
    row("unknown action", document(R"({"Name": "a", "Stage": "rcpt", "Action": "explode"})"),
        "rule 1 \"a\": Action 'explode' is not");
    row("unknown field",
        document(R"({"Name": "a", "Stage": "rcpt", "Action": "disconnect", "Colour": 1})"),
        "rule 1 \"a\": Colour is not a rule field");
    row("bad regex",
        document(
            R"({"Name": "a", "Stage": "rcpt", "Action": "disconnect", "When": {"RcptTo": "(("}})"),
        "rule 1 \"a\": When.RcptTo is not a valid regular expression");
    row("code out of range",
        document(R"({"Name": "a", "Stage": "rcpt", "Action": "reply", "Reply": {"Code": 700}})"),
        "rule 1 \"a\": Reply.Code must be a whole number from 200 to 599");
    row("354 at rcpt",
        document(R"({"Name": "a", "Stage": "rcpt", "Action": "reply", "Reply": {"Code": 354}})"),
        "rule 1 \"a\": Reply.Code 354 does not fit stage rcpt");
    row("250 at message",
        document(R"({"Name": "a", "Stage": "message", "Action": "reply", "Reply": {"Code": 250}})"),
        "Reply.Code 250 does not fit stage message");
    row("enhanced of another class",
        document(
            R"({"Name": "a", "Stage": "rcpt", "Action": "reply", "Reply": {"Code": 550, "Enhanced": "4.1.1"}})"),
        "Reply.Enhanced '4.1.1' is not an enhanced code");
    row("reply needs a reply", document(R"({"Name": "a", "Stage": "rcpt", "Action": "reply"})"),
        "Reply is required");
    row("subject before the message",
        document(
            R"({"Name": "a", "Stage": "rcpt", "Action": "disconnect", "When": {"Subject": "x"}})"),
        "When.Subject is not known yet at stage rcpt");
    row("tls-fail outside starttls",
        document(R"({"Name": "a", "Stage": "rcpt", "Action": "tls-fail"})"),
        "Action tls-fail does not apply at stage rcpt");
    row("discard outside message",
        document(R"({"Name": "a", "Stage": "data", "Action": "accept-discard"})"),
        "Action accept-discard does not apply at stage data");
    row("greylist with 5xx",
        document(R"({"Name": "a", "Stage": "rcpt", "Action": "greylist", "Reply": {"Code": 550}})"),
        "greylisting answers 4xx");
    row("whole 250 then close",
        document(
            R"({"Name": "a", "Stage": "message", "Action": "disconnect", "Reply": {"Code": 250}})"),
        "give PartialBytes");
    row("probability",
        document(R"({"Name": "a", "Stage": "rcpt", "Action": "disconnect", "Probability": 101})"),
        "Probability must be a whole number from 0 to 100");
    row("delay range",
        document(R"({"Name": "a", "Stage": "rcpt", "Action": "delay", "DelayMs": [5, 1]})"),
        "DelayMs [min, max] with min above max");
    row("ratelimit needs a limit",
        document(R"({"Name": "a", "Stage": "mail", "Action": "ratelimit"})"), "Limit is required");
    row("duplicate names", document(R"({"Name": "a", "Stage": "rcpt", "Action": "disconnect"},
                                       {"Name": "a", "Stage": "mail", "Action": "disconnect"})"),
        "rule 2 \"a\": Name 'a' is used by an earlier rule");
    row("text with CRLF",
        document(
            R"({"Name": "a", "Stage": "rcpt", "Action": "reply", "Reply": {"Code": 550, "Text": "x\r\n250 ok"}})"),
        "must not hold CR or LF");
}

void tst_Rules::refusesWithRuleAndField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    const ParsedRules parsed = parseRules(json);
    QVERIFY(parsed.rules.isEmpty());
    QVERIFY2(std::any_of(parsed.errors.cbegin(), parsed.errors.cend(),
                         [&](const QString &e) { return e.contains(error); }),
             qPrintable(parsed.errors.join(u'|')));
}

void tst_Rules::decidesPerStage()
{
    const auto engine = engineWith(R"(
        {"Name": "local only", "Stage": "rcpt", "Action": "reply", "When": {"RcptTo": "@blocked\\.test$"},
         "Reply": {"Code": 550, "Enhanced": "5.1.1", "Text": "No such user"}},
        {"Name": "bye", "Stage": "rcpt", "Action": "reply", "When": {"RcptTo": "^gone@"},
         "Reply": {"Code": 421, "Enhanced": "4.7.0", "Text": "closing"}},
        {"Name": "subject", "Stage": "message", "Action": "accept-discard", "When": {"Subject": "^spam"}},
        {"Name": "tls", "Stage": "starttls", "Action": "tls-fail"})");
    Asked asked = fromClient(QStringLiteral("127.0.0.1"));
    asked.argument = "bob@blocked.test";
    StageVerdict verdict = engine->decide(asked.at(SmtpStage::Rcpt));
    QCOMPARE(verdict.action, StageVerdict::Action::Reply);
    QCOMPARE(verdict.reply.code, 550);
    QCOMPARE(verdict.rule, QStringLiteral("local only"));
    asked.argument = "bob@example.test";
    QCOMPARE(engine->decide(asked.at(SmtpStage::Rcpt)).action, StageVerdict::Action::Proceed);
    QCOMPARE(engine->decide(asked.at(SmtpStage::Mail)).action, StageVerdict::Action::Proceed);
    asked.argument = "gone@example.test";
    QCOMPARE(engine->decide(asked.at(SmtpStage::Rcpt)).action, StageVerdict::Action::Disconnect);

    asked.argument.clear();
    asked.withMessage = true;
    asked.message = "Subject: =?utf-8?q?spam_offer?=\r\n\r\nbody\r\n";
    QCOMPARE(engine->decide(asked.at(SmtpStage::Message)).action, StageVerdict::Action::Discard);
    asked.message = "Subject: hello\r\n\r\nbody\r\n";
    QCOMPARE(engine->decide(asked.at(SmtpStage::Message)).action, StageVerdict::Action::Proceed);

    verdict = engine->decide(asked.at(SmtpStage::Starttls));
    QCOMPARE(verdict.action, StageVerdict::Action::Disconnect);
    QCOMPARE(verdict.reply.code, 220);
    QCOMPARE(engine->hits().value(QStringLiteral("local only")), 1);
    QCOMPARE(engine->hits().value(QStringLiteral("subject")), 1);
    engine->resetHits();
    QVERIFY(engine->hits().isEmpty());
}

void tst_Rules::sameSeedSameSequence()
{
    const QByteArray rules =
        R"({"Name": "coin", "Stage": "rcpt", "Action": "reply", "Probability": 50,
                                 "Reply": {"Code": 451, "Enhanced": "4.3.0", "Text": "maybe"}},
                                {"Name": "wait", "Stage": "data", "Action": "delay", "DelayMs": [10, 5000]})";
    const auto sequence = [&](quint32 seed) {
        const auto engine = engineWith(rules);
        engine->setSeed(seed);
        Asked asked = fromClient(QStringLiteral("10.0.0.1"));
        QList<int> outcomes;
        for (int i = 0; i < 40; ++i) {
            outcomes.append(engine->decide(asked.at(SmtpStage::Rcpt)).reply.code);
            outcomes.append(engine->decide(asked.at(SmtpStage::Data)).delayMs);
        }
        return outcomes;
    };
    const QList<int> first = sequence(1234);
    QCOMPARE(sequence(1234), first);
    QVERIFY(sequence(99) != first);
    QVERIFY(first.contains(451) && first.contains(0)); // both ways at 50%
}

void tst_Rules::greylistsEachTripleFirst()
{
    const auto engine =
        engineWith(R"({"Name": "grey", "Stage": "rcpt", "Action": "greylist", "Attempts": 1})");
    Asked asked = fromClient(QStringLiteral("10.0.0.1"));
    asked.envelope.mailFrom = "a@example.test";
    asked.argument = "b@example.test";
    StageVerdict first = engine->decide(asked.at(SmtpStage::Rcpt));
    QCOMPARE(first.reply.code, 451);
    QCOMPARE(first.reply.enhanced, QByteArray("4.7.1"));
    QCOMPARE(engine->decide(asked.at(SmtpStage::Rcpt)).action, StageVerdict::Action::Proceed);
    asked.argument = "c@example.test"; // another triple starts over
    QCOMPARE(engine->decide(asked.at(SmtpStage::Rcpt)).reply.code, 451);
}

void tst_Rules::rateLimitsPerClient()
{
    const auto engine = engineWith(
        R"({"Name": "rate", "Stage": "mail", "Action": "ratelimit", "Limit": 2, "WindowSeconds": 60})");
    Asked one = fromClient(QStringLiteral("10.0.0.1"));
    Asked two = fromClient(QStringLiteral("10.0.0.2"));
    QCOMPARE(engine->decide(one.at(SmtpStage::Mail)).action, StageVerdict::Action::Proceed);
    QCOMPARE(engine->decide(one.at(SmtpStage::Mail)).action, StageVerdict::Action::Proceed);
    const StageVerdict third = engine->decide(one.at(SmtpStage::Mail));
    QCOMPARE(third.action, StageVerdict::Action::Disconnect); // 421 closes
    QCOMPARE(third.reply.code, 421);
    QCOMPARE(engine->decide(two.at(SmtpStage::Mail)).action, StageVerdict::Action::Proceed);
}

void tst_Rules::disabledRulesAndOtherStagesCostNothing()
{
    const auto engine =
        engineWith(R"({"Name": "off", "Enabled": false, "Stage": "rcpt", "Action": "disconnect"})");
    Asked asked = fromClient(QStringLiteral("10.0.0.1"));
    QCOMPARE(engine->decide(asked.at(SmtpStage::Rcpt)).action, StageVerdict::Action::Proceed);
}

void tst_Rules::chaosTriggers()
{
    QString error;
    const auto parsed = parseChaosTriggers(
        QStringLiteral("Sender:451:5,Recipient:550:10,Authentication:535:100"), &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(parsed->recipient.errorCode, 550);
    QCOMPARE(parsed->authentication.probability, 100);
    QCOMPARE(chaosTriggersText(*parsed),
             QStringLiteral("Sender:451:5,Recipient:550:10,Authentication:535:100"));
    QVERIFY(!parseChaosTriggers(QStringLiteral("Sender:351:5"), &error));
    QVERIFY2(error.contains(QStringLiteral("400 to 599")), qPrintable(error));
    QVERIFY(!parseChaosTriggers(QStringLiteral("Sender:451:101"), &error));
    QVERIFY(!parseChaosTriggers(QStringLiteral("Helo:451:5"), &error));

    // Mailpit's JSON: an omitted trigger is reset.
    const auto fromJson =
        chaosFromJson(R"({"Recipient": {"ErrorCode": 452, "Probability": 30}})", &error);
    QVERIFY2(fromJson, qPrintable(error));
    QCOMPARE(fromJson->recipient.probability, 30);
    QCOMPARE(fromJson->sender.probability, 0);
    QCOMPARE(QJsonDocument(chaosJson(*fromJson)).toJson(QJsonDocument::Compact),
             QByteArray(R"({"Authentication":{"ErrorCode":451,"Probability":0},)"
                        R"("Recipient":{"ErrorCode":452,"Probability":30},)"
                        R"("Sender":{"ErrorCode":451,"Probability":0}})"));
    QVERIFY(!chaosFromJson(R"({"Sender": {"ErrorCode": 200}})", &error));

    RuleEngine engine;
    QVERIFY(!engine.setChaos(*fromJson)); // not enabled
    engine.enableChaos(*parsed);
    Asked asked = fromClient(QStringLiteral("10.0.0.1"));
    const StageVerdict auth = engine.decide(asked.at(SmtpStage::Auth));
    QCOMPARE(auth.reply.code, 535);
    QCOMPARE(auth.rule, QStringLiteral("chaos"));
}

// Answers remembered for a value belong to the pattern that gave them: new rules start afresh.
void tst_Rules::rememberedMatchesFollowTheRules()
{
    const auto engine = engineWith(
        R"({"Name": "a", "Stage": "rcpt", "Action": "disconnect", "When": {"RcptTo": "^x@"}})");
    Asked asked = fromClient(QStringLiteral("10.0.0.1"));
    asked.argument = "x@example.test";
    for (int i = 0; i < 3; ++i)
        QCOMPARE(engine->decide(asked.at(SmtpStage::Rcpt)).action, StageVerdict::Action::Disconnect);
    engine->setRules(parseRules(document(R"({"Name": "a", "Stage": "rcpt", "Action": "disconnect",
                                             "When": {"RcptTo": "^y@"}})"))
                         .rules);
    QCOMPARE(engine->decide(asked.at(SmtpStage::Rcpt)).action, StageVerdict::Action::Proceed);
    for (int i = 0; i < 600; ++i) { // past the memo's bound, answers stay right
        asked.argument = "y" + QByteArray::number(i) + "@example.test";
        QCOMPARE(engine->decide(asked.at(SmtpStage::Rcpt)).action, StageVerdict::Action::Proceed);
    }
    asked.argument = "y@example.test";
    QCOMPARE(engine->decide(asked.at(SmtpStage::Rcpt)).action, StageVerdict::Action::Disconnect);
}

QTEST_GUILESS_MAIN(tst_Rules)
#include "tst_rules.moc"
