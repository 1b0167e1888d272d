#pragma once

#include "ChaosTriggers.h"
#include "Rule.h"

#include <QHash>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <deque>
#include <random>

// Decides, for every session of a server, what the rules and Mailpit's chaos answer at each
// stage (server/StageHooks.h). It is asked in the server's thread and changed from the API's and
// the desktop's, so its state is behind one lock; a stage without rules or chaos is answered
// from an atomic mask, so an idle engine costs nothing measurable. Random choices come from one
// generator, seeded by --rules-seed for a reproducible run.
class RuleEngine : public QObject, public StageHooks
{
    Q_OBJECT
public:
    using MatchMemo = QHash<QString, bool>; // a pattern's answers for the values it has seen

    explicit RuleEngine(QObject *parent = nullptr);

    StageVerdict decide(const StageContext &context) override;

    void setRules(const QList<Rule> &rules); // for the commands that come next
    QList<Rule> rules() const;
    void setSeed(std::optional<quint32> seed); // starts the random sequence over
    std::optional<quint32> seed() const;

    // Chaos is off unless enabled (--enable-chaos); only then may its triggers be set.
    void enableChaos(const ChaosTriggers &triggers);
    bool chaosEnabled() const;
    ChaosTriggers chaos() const;
    bool setChaos(const ChaosTriggers &triggers); // false when chaos is not enabled

    QHash<QString, qint64> hits() const; // by rule name; "chaos" for the chaos triggers
    void resetHits();

Q_SIGNALS:
    void rulesChanged();
    void hitsChanged(); // emitted in the server's thread

private:
    struct Window
    {
        std::deque<qint64> events; // times in ms, oldest first
    };
    struct Greylisting
    {
        qint64 firstMs = 0;
        int attempts = 0;
    };

    std::optional<StageVerdict> chaosVerdict(const StageContext &context);
    std::optional<StageVerdict> ruleVerdict(const Rule &rule, const StageContext &context);
    bool draws(int probability);
    bool greylists(const Rule &rule, const StageContext &context, qint64 nowMs);
    bool exceedsRate(const Rule &rule, const StageContext &context, qint64 nowMs);
    void updateActive();
    void count(const QString &name);

    mutable QMutex m_lock;
    std::atomic<quint32> m_activeStages{0}; // a bit per SmtpStage
    QList<Rule> m_rules;
    QList<qsizetype> m_stageRules[10]; // enabled rules' indexes, per SmtpStage
    QList<QList<MatchMemo>> m_memos;   // per rule, per pattern
    std::optional<quint32> m_seed;
    std::mt19937 m_random;
    bool m_chaosEnabled = false;
    ChaosTriggers m_chaos;
    QHash<QString, qint64> m_hits;
    QHash<QString, Greylisting> m_greylist; // rule + client + sender + recipient
    QHash<QString, Window> m_rates;         // rule + client or sender
};
