#include "RuleEngine.h"

#include "checks/RawHeaders.h"
#include "mime/Headline.h"

#include <QDateTime>

namespace {
// Greylisting and rate keys are pruned past this many, so a stream of new senders cannot
// grow them without bound.
constexpr qsizetype kMaxTrackedKeys = 100000;

// What the conditions of one decision look at, each read once however many rules ask.
class StageValues
{
public:
    explicit StageValues(const StageContext &context) : m_context(context) {}

    const QStringList &of(const Rule::Pattern &pattern)
    {
        if (pattern.field == Rule::Field::Header) {
            auto found = m_headerValues.find(pattern.header);
            if (found == m_headerValues.end())
                found = m_headerValues.insert(pattern.header, header(pattern.header));
            return *found;
        }
        std::optional<QStringList> &cached = m_fields[static_cast<int>(pattern.field)];
        if (!cached)
            cached = read(pattern.field);
        return *cached;
    }

private:
    QStringList read(Rule::Field field) const
    {
        const StageContext &c = m_context;
        const auto at = [&](SmtpStage stage, const QByteArray &later) {
            return QStringList{QString::fromUtf8(c.stage == stage ? c.argument : later)};
        };
        switch (field) {
        case Rule::Field::ClientAddress:
            return {c.session.peerAddress};
        case Rule::Field::Helo:
            return at(SmtpStage::Helo, c.session.helo);
        case Rule::Field::MailFrom:
            return at(SmtpStage::Mail, c.envelope.mailFrom);
        case Rule::Field::RcptTo: {
            if (c.stage == SmtpStage::Rcpt)
                return {QString::fromUtf8(c.argument)};
            QStringList all;
            for (const QByteArray &recipient : c.envelope.rcptTo)
                all.append(QString::fromUtf8(recipient));
            return all;
        }
        case Rule::Field::AuthUser:
            return {c.stage == SmtpStage::Auth ? QString::fromUtf8(c.argument)
                                               : c.session.authUser};
        case Rule::Field::Subject:
            return {c.message ? readHeadline(*c.message).subject : QString()};
        case Rule::Field::Header:
            break;
        }
        return {};
    }

    QStringList header(const QString &name)
    {
        if (!m_context.message)
            return {};
        if (!m_headers)
            m_headers = scanHeaderBlock(*m_context.message);
        QStringList values;
        for (const RawHeaderField *field : m_headers->all(name.toUtf8()))
            values.append(QString::fromUtf8(unfold(field->value)).trimmed());
        return values;
    }

    const StageContext &m_context;
    std::optional<QStringList> m_fields[7];
    std::optional<RawHeaderBlock> m_headers;
    QHash<QString, QStringList> m_headerValues;
};

// Regular expressions are pure, and a server sees the same clients, senders and recipients
// again and again: a pattern on those remembers its answers (a few hundred, then it starts over),
// which spares Qt's match object, most of a match's cost.
constexpr qsizetype kRememberedMatches = 256;

bool matchesValue(const Rule::Pattern &pattern, const QString &value, RuleEngine::MatchMemo &memo)
{
    const bool remembered =
        pattern.field != Rule::Field::Subject && pattern.field != Rule::Field::Header;
    if (remembered) {
        const auto known = memo.constFind(value);
        if (known != memo.cend())
            return *known;
    }
    const bool hit = pattern.expression.match(value).hasMatch();
    if (remembered) {
        if (memo.size() >= kRememberedMatches)
            memo.clear();
        memo.insert(value, hit);
    }
    return hit;
}

bool matches(const Rule &rule, const StageContext &context, StageValues &values,
             QList<RuleEngine::MatchMemo> &memos)
{
    for (qsizetype i = 0; i < rule.patterns.size(); ++i) {
        const Rule::Pattern &pattern = rule.patterns[i];
        const QStringList &candidates = values.of(pattern);
        if (std::none_of(candidates.cbegin(), candidates.cend(), [&](const QString &value) {
                return matchesValue(pattern, value, memos[i]);
            }))
            return false;
    }
    if (rule.sizeAbove || rule.sizeBelow) {
        const qint64 size =
            context.message ? context.message->size() : context.envelope.declaredSize;
        if (size < 0 || (rule.sizeAbove && size <= *rule.sizeAbove) ||
            (rule.sizeBelow && size >= *rule.sizeBelow))
            return false;
    }
    return !rule.tls || *rule.tls == !context.session.tls.protocol.isEmpty();
}

constexpr quint32 stageBit(SmtpStage stage)
{
    return 1u << static_cast<int>(stage);
}

QByteArray defaultEnhanced(int code)
{
    return QByteArray::number(code / 100) + ".0.0";
}

// A 421 says the server closes the channel (RFC 5321 3.8), so it does.
StageVerdict answer(const SmtpReply &reply, const QString &rule)
{
    return StageVerdict{reply.code == 421 ? StageVerdict::Action::Disconnect
                                          : StageVerdict::Action::Reply,
                        reply, rule};
}

SmtpReply orDefault(const SmtpReply &reply, int code, const QByteArray &enhanced,
                    const QByteArray &text)
{
    return reply.code != 0 ? reply : SmtpReply{code, enhanced, {text}};
}

bool pruneIfFull(qsizetype size)
{
    return size >= kMaxTrackedKeys;
}
} // namespace

RuleEngine::RuleEngine(QObject *parent) : QObject(parent), m_random(std::random_device{}()) {}

StageVerdict RuleEngine::decide(const StageContext &context)
{
    if (!(m_activeStages.load(std::memory_order_relaxed) & stageBit(context.stage)))
        return {};
    QMutexLocker lock(&m_lock);
    if (const std::optional<StageVerdict> chaos = chaosVerdict(context))
        return *chaos;
    StageValues values(context);
    for (const qsizetype index : std::as_const(m_stageRules[static_cast<int>(context.stage)])) {
        const Rule &rule = m_rules[index];
        if (!matches(rule, context, values, m_memos[index]))
            continue;
        if (rule.probability < 100 && !draws(rule.probability))
            continue;
        if (std::optional<StageVerdict> verdict = ruleVerdict(rule, context)) {
            count(rule.name);
            return *verdict;
        }
    }
    return {};
}

std::optional<StageVerdict> RuleEngine::chaosVerdict(const StageContext &context)
{
    if (!m_chaosEnabled)
        return std::nullopt;
    const ChaosTriggers::Trigger *trigger = nullptr;
    QByteArray what;
    switch (context.stage) {
    case SmtpStage::Mail:
        trigger = &m_chaos.sender;
        what = "sender";
        break;
    case SmtpStage::Rcpt:
        trigger = &m_chaos.recipient;
        what = "recipient";
        break;
    case SmtpStage::Auth:
        trigger = &m_chaos.authentication;
        what = "authentication";
        break;
    default:
        return std::nullopt;
    }
    if (trigger->probability == 0 || !draws(trigger->probability))
        return std::nullopt;
    count(QStringLiteral("chaos"));
    return answer(SmtpReply{trigger->errorCode,
                            defaultEnhanced(trigger->errorCode),
                            {"Chaos: " + what + " refused on purpose"}},
                  QStringLiteral("chaos"));
}

std::optional<StageVerdict> RuleEngine::ruleVerdict(const Rule &rule, const StageContext &context)
{
    using Action = Rule::Action;
    using VerdictAction = StageVerdict::Action;
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    StageVerdict verdict;
    switch (rule.action) {
    case Action::Reply:
        verdict = answer(rule.reply, rule.name);
        break;
    case Action::Delay:
    case Action::Tarpit:
        verdict = rule.reply.code ? answer(rule.reply, rule.name)
                                  : StageVerdict{VerdictAction::Proceed, {}, rule.name};
        break;
    case Action::Disconnect:
        verdict = StageVerdict{VerdictAction::Disconnect, rule.reply, rule.name};
        verdict.partialBytes = rule.partialBytes;
        break;
    case Action::Greylist:
        if (!greylists(rule, context, nowMs))
            return std::nullopt;
        verdict = answer(orDefault(rule.reply, 451, "4.7.1", "Greylisted, please try again later"),
                         rule.name);
        break;
    case Action::RateLimit:
        if (!exceedsRate(rule, context, nowMs))
            return std::nullopt;
        verdict = answer(orDefault(rule.reply, 421, "4.7.0", "Too many requests, try again later"),
                         rule.name);
        break;
    case Action::TlsFail:
        verdict = StageVerdict{VerdictAction::Disconnect,
                               SmtpReply{220, "2.0.0", {"Ready to start TLS"}}, rule.name};
        break;
    case Action::AcceptDiscard:
        verdict = StageVerdict{VerdictAction::Discard, rule.reply, rule.name};
        break;
    }
    if (rule.delayMaxMs > 0)
        verdict.delayMs =
            rule.delayMinMs == rule.delayMaxMs
                ? rule.delayMaxMs
                : std::uniform_int_distribution<int>(rule.delayMinMs, rule.delayMaxMs)(m_random);
    verdict.tarpitMs = rule.tarpitMs;
    return verdict;
}

bool RuleEngine::draws(int probability)
{
    return std::uniform_int_distribution<int>(0, 99)(m_random) < probability;
}

// The first `attempts` tries of a triple within the window are refused; a later one passes and
// the triple starts over once its window is past.
bool RuleEngine::greylists(const Rule &rule, const StageContext &context, qint64 nowMs)
{
    const qint64 windowMs = qint64(rule.windowSeconds) * 1000;
    if (pruneIfFull(m_greylist.size()))
        m_greylist.removeIf(
            [&](const auto &entry) { return nowMs - entry.value().firstMs > windowMs; });
    if (pruneIfFull(m_greylist.size()))
        m_greylist.clear();
    const QString key = rule.name + u'\n' + context.session.peerAddress + u'\n' +
                        QString::fromUtf8(context.envelope.mailFrom) + u'\n' +
                        QString::fromUtf8(context.argument);
    Greylisting &entry = m_greylist[key];
    if (entry.attempts == 0 || nowMs - entry.firstMs > windowMs)
        entry = Greylisting{nowMs, 0};
    return ++entry.attempts <= rule.attempts;
}

bool RuleEngine::exceedsRate(const Rule &rule, const StageContext &context, qint64 nowMs)
{
    const qint64 windowMs = qint64(rule.windowSeconds) * 1000;
    const QString who =
        rule.per == Rule::Per::Sender
            ? QString::fromUtf8(context.stage == SmtpStage::Mail ? context.argument
                                                                 : context.envelope.mailFrom)
            : context.session.peerAddress;
    if (pruneIfFull(m_rates.size()))
        m_rates.removeIf([&](const auto &entry) {
            return entry.value().events.empty() || nowMs - entry.value().events.back() > windowMs;
        });
    if (pruneIfFull(m_rates.size()))
        m_rates.clear();
    std::deque<qint64> &events = m_rates[rule.name + u'\n' + who].events;
    while (!events.empty() && nowMs - events.front() >= windowMs)
        events.pop_front();
    if (qsizetype(events.size()) >= rule.limit)
        return true; // refused attempts do not count against the client
    events.push_back(nowMs);
    return false;
}

void RuleEngine::count(const QString &name)
{
    ++m_hits[name];
    Q_EMIT hitsChanged();
}

void RuleEngine::setRules(const QList<Rule> &rules)
{
    {
        QMutexLocker lock(&m_lock);
        m_rules = rules;
        m_greylist.clear();
        m_rates.clear();
        updateActive();
    }
    Q_EMIT rulesChanged();
}

QList<Rule> RuleEngine::rules() const
{
    QMutexLocker lock(&m_lock);
    return m_rules;
}

void RuleEngine::setSeed(std::optional<quint32> seed)
{
    QMutexLocker lock(&m_lock);
    m_seed = seed;
    m_random.seed(seed ? *seed : std::random_device{}());
}

std::optional<quint32> RuleEngine::seed() const
{
    QMutexLocker lock(&m_lock);
    return m_seed;
}

void RuleEngine::enableChaos(const ChaosTriggers &triggers)
{
    QMutexLocker lock(&m_lock);
    m_chaosEnabled = true;
    m_chaos = triggers;
    updateActive();
}

bool RuleEngine::chaosEnabled() const
{
    QMutexLocker lock(&m_lock);
    return m_chaosEnabled;
}

ChaosTriggers RuleEngine::chaos() const
{
    QMutexLocker lock(&m_lock);
    return m_chaos;
}

bool RuleEngine::setChaos(const ChaosTriggers &triggers)
{
    QMutexLocker lock(&m_lock);
    if (!m_chaosEnabled)
        return false;
    m_chaos = triggers;
    updateActive();
    return true;
}

QHash<QString, qint64> RuleEngine::hits() const
{
    QMutexLocker lock(&m_lock);
    return m_hits;
}

void RuleEngine::resetHits()
{
    {
        QMutexLocker lock(&m_lock);
        m_hits.clear();
    }
    Q_EMIT hitsChanged();
}

// Which stages have anything to decide, and each stage's enabled rules in order: a stage
// without either is answered without the lock.
void RuleEngine::updateActive()
{
    quint32 stages = 0;
    for (QList<qsizetype> &list : m_stageRules)
        list.clear();
    m_memos.clear();
    for (const Rule &rule : std::as_const(m_rules))
        m_memos.append(QList<MatchMemo>(rule.patterns.size()));
    for (qsizetype i = 0; i < m_rules.size(); ++i) {
        if (!m_rules[i].enabled)
            continue;
        m_stageRules[static_cast<int>(m_rules[i].stage)].append(i);
        stages |= stageBit(m_rules[i].stage);
    }
    if (m_chaosEnabled) {
        if (m_chaos.sender.probability > 0)
            stages |= stageBit(SmtpStage::Mail);
        if (m_chaos.recipient.probability > 0)
            stages |= stageBit(SmtpStage::Rcpt);
        if (m_chaos.authentication.probability > 0)
            stages |= stageBit(SmtpStage::Auth);
    }
    m_activeStages.store(stages, std::memory_order_relaxed);
}
