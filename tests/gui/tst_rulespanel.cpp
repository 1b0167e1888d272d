// The Rules panel offscreen: a rule added and edited as JSON applies to the next session and is
// saved; a mistake is shown inline and changes nothing; the check box disables a rule.
#include "../unit/ScriptedPeer.h"

#include "RuleListModel.h"
#include "RulesPanel.h"

#include "mime/MimeRuntime.h"
#include "rules/RuleEngine.h"
#include "rules/RuleParser.h"
#include "server/SmtpSession.h"
#include "store/MemoryStore.h"

#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

class tst_RulesPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void addEditDisable();
};

namespace {
const MimeRuntime mimeRuntime;

// The replies of one session that asks for a recipient.
QList<int> rcptCodes(const std::shared_ptr<RuleEngine> &engine)
{
    MemoryStore store;
    auto *peer = new ScriptedPeer;
    SessionConfig config;
    config.hooks = engine;
    SmtpSession session(peer, &store, config, SessionRecord{});
    session.start();
    peer->feed("EHLO x\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<nobody@b.test>\r\n");
    if (!QTest::qWaitFor([&] { return peer->codes().size() >= 4; }, 5000))
        qWarning() << "replies so far:" << peer->written();
    return peer->codes();
}
} // namespace

void tst_RulesPanel::addEditDisable()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("rules.json"));
    auto engine = std::make_shared<RuleEngine>();
    RulesPanel panel(engine.get(), file);
    panel.showAction()->trigger();
    QVERIFY(panel.isVisible());
    QCOMPARE(rcptCodes(engine), (QList<int>{220, 250, 250, 250}));

    // Add: the editor offers a rule to change; applied, the next session obeys it.
    const QList<QPushButton *> buttons = panel.findChildren<QPushButton *>();
    const auto add = std::find_if(buttons.cbegin(), buttons.cend(), [](QPushButton *b) {
        return b->text() == QStringLiteral("&Add");
    });
    QVERIFY(add != buttons.cend());
    QTest::mouseClick(*add, Qt::LeftButton);
    QVERIFY(panel.editor()->toPlainText().contains(QStringLiteral("\"new rule\"")));
    panel.editor()->setPlainText(QStringLiteral(
        R"({"Name": "no one", "Stage": "rcpt", "Action": "reply", "When": {"RcptTo": "^nobody@"},
            "Reply": {"Code": 550, "Enhanced": "5.1.1", "Text": "No such user"}})"));
    panel.applyEditor();
    QVERIFY2(panel.errorText().isEmpty(), qPrintable(panel.errorText()));
    QCOMPARE(engine->rules().size(), 1);
    QCOMPARE(rcptCodes(engine), (QList<int>{220, 250, 250, 550}));
    const ParsedRules saved = readRulesFile(file);
    QVERIFY2(saved.errors.isEmpty(), qPrintable(saved.errors.join(u'|')));
    QCOMPARE(saved.rules.size(), 1);
    QCOMPARE(saved.rules[0].name, QStringLiteral("no one"));

    // A mistake is shown where it was made and changes nothing.
    panel.view()->setCurrentIndex(panel.view()->model()->index(0, 0));
    QVERIFY(panel.editor()->toPlainText().contains(QStringLiteral("\"no one\"")));
    panel.editor()->setPlainText(panel.editor()->toPlainText().replace(QStringLiteral("\"rcpt\""),
                                                                       QStringLiteral("\"rctp\"")));
    panel.applyEditor();
    QVERIFY2(panel.errorText().contains(QStringLiteral("Stage 'rctp' is not")),
             qPrintable(panel.errorText()));
    QCOMPARE(engine->rules()[0].stage, SmtpStage::Rcpt);

    // Hits show up; the check box disables the rule, live and in the file.
    QTRY_COMPARE(panel.view()->model()->index(0, RuleListModel::Hits).data().toInt(), 1);
    QVERIFY(panel.view()->model()->setData(panel.view()->model()->index(0, 0), Qt::Unchecked,
                                           Qt::CheckStateRole));
    QCOMPARE(engine->rules()[0].enabled, false);
    QCOMPARE(rcptCodes(engine), (QList<int>{220, 250, 250, 250}));
    QCOMPARE(readRulesFile(file).rules.value(0).enabled, false);

    // A change over the API (here: straight to the engine, from another thread's point of view)
    // shows up in the panel.
    engine->setRules({});
    QTRY_COMPARE(panel.view()->model()->rowCount(), 0);
}

QTEST_MAIN(tst_RulesPanel)
#include "tst_rulespanel.moc"
