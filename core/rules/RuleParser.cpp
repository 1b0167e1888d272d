#include "RuleParser.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace {
using Action = Rule::Action;
using Field = Rule::Field;

struct FieldName
{
    Field field;
    const char *name;
};
const FieldName kFields[] = {
    {Field::ClientAddress, "ClientAddress"}, {Field::Helo, "Helo"},
    {Field::MailFrom, "MailFrom"},           {Field::RcptTo, "RcptTo"},
    {Field::AuthUser, "AuthUser"},           {Field::Subject, "Subject"},
};

const char *const kRuleKeys[] = {
    "Name",     "Enabled",      "Stage",    "Probability",   "When",  "Action", "Reply", "DelayMs",
    "TarpitMs", "PartialBytes", "Attempts", "WindowSeconds", "Limit", "Per",    "Hits"};

quint32 bit(SmtpStage stage)
{
    return 1u << static_cast<int>(stage);
}
quint32 stages(std::initializer_list<SmtpStage> list)
{
    quint32 mask = 0;
    for (SmtpStage stage : list)
        mask |= bit(stage);
    return mask;
}

// Where a condition can be known: the sender from MAIL on, the subject only with the message.
quint32 stagesKnowing(Field field)
{
    using S = SmtpStage;
    switch (field) {
    case Field::ClientAddress:
        return ~0u;
    case Field::Helo:
        return ~bit(S::Connect);
    case Field::MailFrom:
        return stages({S::Mail, S::Rcpt, S::Data, S::Message, S::Bdat});
    case Field::RcptTo:
        return stages({S::Rcpt, S::Data, S::Message, S::Bdat});
    case Field::AuthUser:
        return stages({S::Auth, S::Mail, S::Rcpt, S::Data, S::Message, S::Bdat, S::Quit});
    case Field::Subject:
    case Field::Header:
        return bit(S::Message);
    }
    return 0;
}

quint32 stagesFor(Action action)
{
    using S = SmtpStage;
    switch (action) {
    case Action::TlsFail:
        return bit(S::Starttls);
    case Action::AcceptDiscard:
        return bit(S::Message);
    case Action::Greylist:
        return bit(S::Rcpt);
    case Action::RateLimit:
        return stages({S::Connect, S::Helo, S::Mail, S::Rcpt, S::Message});
    case Action::Tarpit:
        return ~bit(S::Quit); // the session closes after QUIT's reply at once
    case Action::Reply:
    case Action::Delay:
    case Action::Disconnect:
        break;
    }
    return ~0u;
}

// A positive answer a rule may give in the session's stead: a banner of its own, and QUIT's.
// Anything else positive would claim what did not happen (a recipient not added, a message not
// stored), so rules answer those stages with 4xx and 5xx only.
int positiveCodeFor(SmtpStage stage)
{
    switch (stage) {
    case SmtpStage::Connect:
        return 220;
    case SmtpStage::Quit:
        return 221;
    default:
        return 0;
    }
}

class RuleReader
{
public:
    RuleReader(const QJsonObject &object, QStringList *errors) : m_object(object), m_errors(errors)
    {}

    Rule read()
    {
        for (auto it = m_object.begin(); it != m_object.end(); ++it) {
            if (std::none_of(std::begin(kRuleKeys), std::end(kRuleKeys),
                             [&](const char *key) { return it.key() == QLatin1String(key); }))
                fail(it.key(), QStringLiteral("is not a rule field"));
        }
        m_rule.name = text("Name");
        if (m_rule.name.trimmed().isEmpty())
            fail(QStringLiteral("Name"), QStringLiteral("is required"));
        m_rule.enabled = boolean("Enabled", true);
        const QString stage = text("Stage");
        if (const auto parsed = stageFromName(stage))
            m_rule.stage = *parsed;
        else
            fail(QStringLiteral("Stage"),
                 QStringLiteral("'%1' is not connect, helo, mail, rcpt, data, message, bdat, "
                                "auth, starttls or quit")
                     .arg(stage));
        m_rule.probability = integer("Probability", 0, 100, 100);
        const QString action = text("Action");
        if (const auto parsed = actionFromName(action))
            m_rule.action = *parsed;
        else
            fail(QStringLiteral("Action"),
                 QStringLiteral("'%1' is not reply, delay, disconnect, tarpit, greylist, "
                                "ratelimit, tls-fail or accept-discard")
                     .arg(action));
        readConditions();
        readReply();
        readActionFields();
        if (!(stagesFor(m_rule.action) & bit(m_rule.stage)))
            fail(QStringLiteral("Action"),
                 QStringLiteral("%1 does not apply at stage %2")
                     .arg(actionName(m_rule.action), stageName(m_rule.stage)));
        return m_rule;
    }

private:
    void fail(const QString &field, const QString &what)
    {
        m_errors->append(QStringLiteral("%1 %2").arg(field, what));
    }

    QString text(const char *key)
    {
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (value.isUndefined())
            return {};
        if (!value.isString())
            fail(QLatin1String(key), QStringLiteral("must be a string"));
        return value.toString();
    }

    bool boolean(const char *key, bool absent)
    {
        const QJsonValue value = m_object.value(QLatin1String(key));
        if (value.isUndefined())
            return absent;
        if (!value.isBool())
            fail(QLatin1String(key), QStringLiteral("must be true or false"));
        return value.toBool(absent);
    }

    int integer(const char *key, int min, int max, int absent)
    {
        return integerOf(m_object.value(QLatin1String(key)), QLatin1String(key), min, max, absent);
    }

    int integerOf(const QJsonValue &value, const QString &field, int min, int max, int absent)
    {
        if (value.isUndefined())
            return absent;
        const double number = value.toDouble(-1e300);
        if (!value.isDouble() || number != double(qint64(number)) || number < min || number > max) {
            fail(field, QStringLiteral("must be a whole number from %1 to %2").arg(min).arg(max));
            return absent;
        }
        return int(number);
    }

    void addPattern(Field field, const QString &header, const QString &fieldName,
                    const QJsonValue &value)
    {
        if (!value.isString()) {
            fail(fieldName, QStringLiteral("must be a regular expression (a string)"));
            return;
        }
        QRegularExpression expression(value.toString(), QRegularExpression::CaseInsensitiveOption);
        if (!expression.isValid()) {
            fail(fieldName, QStringLiteral("is not a valid regular expression: %1 at offset %2")
                                .arg(expression.errorString())
                                .arg(expression.patternErrorOffset()));
            return;
        }
        expression.optimize();
        if (!(stagesKnowing(field) & bit(m_rule.stage)))
            fail(fieldName,
                 QStringLiteral("is not known yet at stage %1").arg(stageName(m_rule.stage)));
        m_rule.patterns.append({field, header, expression});
    }

    void readConditions()
    {
        const QJsonValue when = m_object.value(QLatin1String("When"));
        if (when.isUndefined())
            return;
        if (!when.isObject()) {
            fail(QStringLiteral("When"), QStringLiteral("must be an object"));
            return;
        }
        const QJsonObject conditions = when.toObject();
        for (auto it = conditions.begin(); it != conditions.end(); ++it) {
            const QString name = QStringLiteral("When.") + it.key();
            const auto known =
                std::find_if(std::begin(kFields), std::end(kFields),
                             [&](const FieldName &f) { return it.key() == QLatin1String(f.name); });
            if (known != std::end(kFields)) {
                addPattern(known->field, {}, name, it.value());
            } else if (it.key() == u"Header") {
                if (!it.value().isObject() || it.value().toObject().isEmpty()) {
                    fail(name, QStringLiteral("must map header names to regular expressions"));
                    continue;
                }
                const QJsonObject headers = it.value().toObject();
                for (auto h = headers.begin(); h != headers.end(); ++h)
                    addPattern(Field::Header, h.key(), name + u'.' + h.key(), h.value());
            } else if (it.key() == u"SizeAbove" || it.key() == u"SizeBelow") {
                const int size =
                    integerOf(it.value(), name, 0, std::numeric_limits<int>::max(), -1);
                if (size >= 0)
                    (it.key() == u"SizeAbove" ? m_rule.sizeAbove : m_rule.sizeBelow) = size;
            } else if (it.key() == u"Tls") {
                if (it.value().isBool())
                    m_rule.tls = it.value().toBool();
                else
                    fail(name, QStringLiteral("must be true or false"));
            } else {
                fail(name, QStringLiteral("is not a condition (ClientAddress, Helo, MailFrom, "
                                          "RcptTo, AuthUser, Subject, Header, SizeAbove, "
                                          "SizeBelow, Tls)"));
            }
        }
    }

    void readReply()
    {
        const QJsonValue value = m_object.value(QLatin1String("Reply"));
        if (value.isUndefined()) {
            if (m_rule.action == Action::Reply)
                fail(QStringLiteral("Reply"), QStringLiteral("is required for action reply"));
            return;
        }
        if (!value.isObject()) {
            fail(QStringLiteral("Reply"),
                 QStringLiteral("must be an object {Code, Enhanced, Text}"));
            return;
        }
        const QJsonObject reply = value.toObject();
        for (auto it = reply.begin(); it != reply.end(); ++it) {
            if (it.key() != u"Code" && it.key() != u"Enhanced" && it.key() != u"Text")
                fail(QStringLiteral("Reply.") + it.key(), QStringLiteral("is not a reply field"));
        }
        m_rule.reply.code = integerOf(reply.value(QLatin1String("Code")),
                                      QStringLiteral("Reply.Code"), 200, 599, 0);
        if (m_rule.reply.code == 0)
            fail(QStringLiteral("Reply.Code"), QStringLiteral("is required"));
        const QString enhanced = reply.value(QLatin1String("Enhanced")).toString();
        static const QRegularExpression enhancedSyntax(
            QStringLiteral("^[245]\\.\\d{1,3}\\.\\d{1,3}$"));
        if (!enhanced.isEmpty() && (!enhancedSyntax.match(enhanced).hasMatch() ||
                                    enhanced[0] != QString::number(m_rule.reply.code)[0]))
            fail(QStringLiteral("Reply.Enhanced"),
                 QStringLiteral("'%1' is not an enhanced code of the reply's class (RFC 3463)")
                     .arg(enhanced));
        m_rule.reply.enhanced = enhanced.toLatin1();
        const QJsonValue text = reply.value(QLatin1String("Text"));
        const QJsonArray lines = text.isArray() ? text.toArray() : QJsonArray{text};
        for (const QJsonValue &line : lines) {
            if (!line.isString() && !line.isUndefined())
                fail(QStringLiteral("Reply.Text"),
                     QStringLiteral("must be a string or a list of strings"));
            const QByteArray bytes = line.toString().toUtf8();
            if (bytes.contains('\r') || bytes.contains('\n'))
                fail(QStringLiteral("Reply.Text"),
                     QStringLiteral("lines must not hold CR or LF (give a list)"));
            if (bytes.size() > 500)
                fail(QStringLiteral("Reply.Text"),
                     QStringLiteral("lines are at most 500 bytes (RFC 5321 4.5.3.1.5)"));
            m_rule.reply.lines.append(bytes.isEmpty() ? QByteArray("Refused by rule") : bytes);
        }
        checkReplyClass();
    }

    void checkReplyClass()
    {
        const int code = m_rule.reply.code;
        if (code == 0)
            return;
        const bool positive = code < 400;
        if (m_rule.action == Action::Greylist && (code < 400 || code >= 500))
            fail(QStringLiteral("Reply.Code"),
                 QStringLiteral("%1: greylisting answers 4xx").arg(code));
        else if (m_rule.action == Action::Disconnect && positive &&
                 m_object.value(QLatin1String("PartialBytes")).isUndefined())
            fail(
                QStringLiteral("Reply.Code"),
                QStringLiteral("%1: a whole positive reply before closing would claim what did not "
                               "happen; give PartialBytes, or a 4xx or 5xx")
                    .arg(code));
        else if (m_rule.action != Action::Disconnect && positive &&
                 code != positiveCodeFor(m_rule.stage))
            fail(QStringLiteral("Reply.Code"),
                 QStringLiteral("%1 does not fit stage %2: a rule answers it with 4xx or 5xx%3")
                     .arg(code)
                     .arg(stageName(m_rule.stage),
                          positiveCodeFor(m_rule.stage)
                              ? QStringLiteral(" (or %1)").arg(positiveCodeFor(m_rule.stage))
                              : QString()));
    }

    void readActionFields()
    {
        const QJsonValue delay = m_object.value(QLatin1String("DelayMs"));
        if (delay.isArray()) {
            const QJsonArray range = delay.toArray();
            if (range.size() != 2)
                fail(QStringLiteral("DelayMs"), QStringLiteral("takes a number or [min, max]"));
            m_rule.delayMinMs = integerOf(range.at(0), QStringLiteral("DelayMs"), 0, 600000, 0);
            m_rule.delayMaxMs = integerOf(range.at(1), QStringLiteral("DelayMs"), 0, 600000, 0);
            if (m_rule.delayMinMs > m_rule.delayMaxMs)
                fail(QStringLiteral("DelayMs"), QStringLiteral("[min, max] with min above max"));
        } else {
            m_rule.delayMinMs = m_rule.delayMaxMs = integer("DelayMs", 0, 600000, 0);
        }
        if (m_rule.action == Action::Delay && m_rule.delayMaxMs == 0)
            fail(QStringLiteral("DelayMs"), QStringLiteral("is required for action delay"));
        m_rule.tarpitMs = integer("TarpitMs", 1, 10000, 0);
        if (m_rule.action == Action::Tarpit && m_rule.tarpitMs == 0)
            fail(QStringLiteral("TarpitMs"), QStringLiteral("is required for action tarpit"));
        m_rule.partialBytes = integer("PartialBytes", 0, 512, -1);
        m_rule.attempts = integer("Attempts", 1, 1000, 1);
        m_rule.windowSeconds = integer("WindowSeconds", 1, 86400 * 7, 300);
        m_rule.limit = integer("Limit", 1, 1000000, 0);
        if (m_rule.action == Action::RateLimit && m_rule.limit == 0)
            fail(QStringLiteral("Limit"), QStringLiteral("is required for action ratelimit"));
        const QString per = text("Per");
        if (per == u"sender")
            m_rule.per = Rule::Per::Sender;
        else if (!per.isEmpty() && per != u"client")
            fail(QStringLiteral("Per"),
                 QStringLiteral("takes client or sender, not '%1'").arg(per));
        if (m_rule.per == Rule::Per::Sender &&
            !(stagesKnowing(Field::MailFrom) & bit(m_rule.stage)))
            fail(
                QStringLiteral("Per"),
                QStringLiteral("sender is not known yet at stage %1").arg(stageName(m_rule.stage)));
    }

    const QJsonObject &m_object;
    QStringList *m_errors;
    Rule m_rule;
};

const char *const kStageNames[] = {"connect", "helo", "mail", "rcpt",     "data",
                                   "message", "bdat", "auth", "starttls", "quit"};
const char *const kActionNames[] = {"reply",    "delay",     "disconnect", "tarpit",
                                    "greylist", "ratelimit", "tls-fail",   "accept-discard"};
} // namespace

QString stageName(SmtpStage stage)
{
    return QLatin1String(kStageNames[static_cast<int>(stage)]);
}

std::optional<SmtpStage> stageFromName(const QString &name)
{
    for (int i = 0; i < int(std::size(kStageNames)); ++i) {
        if (name == QLatin1String(kStageNames[i]))
            return static_cast<SmtpStage>(i);
    }
    return std::nullopt;
}

QString actionName(Rule::Action action)
{
    return QLatin1String(kActionNames[static_cast<int>(action)]);
}

std::optional<Rule::Action> actionFromName(const QString &name)
{
    for (int i = 0; i < int(std::size(kActionNames)); ++i) {
        if (name == QLatin1String(kActionNames[i]))
            return static_cast<Rule::Action>(i);
    }
    return std::nullopt;
}

Rule parseRule(const QJsonObject &object, QStringList *errors)
{
    return RuleReader(object, errors).read();
}

ParsedRules parseRules(const QByteArray &json)
{
    ParsedRules parsed;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        parsed.errors.append(
            QStringLiteral("not JSON: %1 at offset %2").arg(error.errorString()).arg(error.offset));
        return parsed;
    }
    const QJsonObject root = document.object();
    if (!document.isObject() || !root.value(QLatin1String("Rules")).isArray()) {
        parsed.errors.append(
            QStringLiteral("the document must be an object with a \"Rules\" list"));
        return parsed;
    }
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (it.key() != u"Rules" && it.key() != u"Seed" && it.key() != u"ChaosHits")
            parsed.errors.append(
                QStringLiteral("%1 is not a field of the rules document").arg(it.key()));
    }
    if (root.contains(QLatin1String("Seed"))) {
        const double seed = root.value(QLatin1String("Seed")).toDouble(-1);
        if (seed < 0 || seed > 4294967295.0 || seed != double(qint64(seed)))
            parsed.errors.append(
                QStringLiteral("Seed must be a whole number from 0 to 4294967295"));
        else
            parsed.seed = quint32(seed);
    }
    const QJsonArray rules = root.value(QLatin1String("Rules")).toArray();
    QSet<QString> names;
    for (qsizetype i = 0; i < rules.size(); ++i) {
        QStringList errors;
        Rule rule;
        if (rules.at(i).isObject())
            rule = parseRule(rules.at(i).toObject(), &errors);
        else
            errors.append(QStringLiteral("must be an object"));
        if (!rule.name.isEmpty() && names.contains(rule.name))
            errors.append(QStringLiteral("Name '%1' is used by an earlier rule").arg(rule.name));
        names.insert(rule.name);
        const QString label = rule.name.isEmpty()
                                  ? QStringLiteral("rule %1").arg(i + 1)
                                  : QStringLiteral("rule %1 \"%2\"").arg(i + 1).arg(rule.name);
        for (const QString &problem : std::as_const(errors))
            parsed.errors.append(label + QStringLiteral(": ") + problem);
        parsed.rules.append(rule);
    }
    if (!parsed.errors.isEmpty())
        parsed.rules.clear();
    return parsed;
}

ParsedRules readRulesFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        ParsedRules unread;
        unread.errors.append(QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        return unread;
    }
    ParsedRules parsed = parseRules(file.readAll());
    for (QString &problem : parsed.errors)
        problem = path + QStringLiteral(": ") + problem;
    return parsed;
}

QJsonObject ruleJson(const Rule &rule)
{
    QJsonObject object{{QStringLiteral("Name"), rule.name},
                       {QStringLiteral("Enabled"), rule.enabled},
                       {QStringLiteral("Stage"), stageName(rule.stage)},
                       {QStringLiteral("Action"), actionName(rule.action)}};
    if (rule.probability != 100)
        object.insert(QStringLiteral("Probability"), rule.probability);
    QJsonObject when;
    QJsonObject headers;
    for (const Rule::Pattern &pattern : rule.patterns) {
        if (pattern.field == Field::Header) {
            headers.insert(pattern.header, pattern.expression.pattern());
            continue;
        }
        const auto known =
            std::find_if(std::begin(kFields), std::end(kFields),
                         [&](const FieldName &f) { return f.field == pattern.field; });
        when.insert(QLatin1String(known->name), pattern.expression.pattern());
    }
    if (!headers.isEmpty())
        when.insert(QStringLiteral("Header"), headers);
    if (rule.sizeAbove)
        when.insert(QStringLiteral("SizeAbove"), *rule.sizeAbove);
    if (rule.sizeBelow)
        when.insert(QStringLiteral("SizeBelow"), *rule.sizeBelow);
    if (rule.tls)
        when.insert(QStringLiteral("Tls"), *rule.tls);
    if (!when.isEmpty())
        object.insert(QStringLiteral("When"), when);
    if (rule.reply.code != 0) {
        QJsonArray lines;
        for (const QByteArray &line : rule.reply.lines)
            lines.append(QString::fromUtf8(line));
        QJsonObject reply{{QStringLiteral("Code"), rule.reply.code}};
        if (!rule.reply.enhanced.isEmpty())
            reply.insert(QStringLiteral("Enhanced"), QString::fromLatin1(rule.reply.enhanced));
        reply.insert(QStringLiteral("Text"), lines.size() == 1 ? lines.first() : QJsonValue(lines));
        object.insert(QStringLiteral("Reply"), reply);
    }
    if (rule.delayMaxMs > 0)
        object.insert(QStringLiteral("DelayMs"),
                      rule.delayMinMs == rule.delayMaxMs
                          ? QJsonValue(rule.delayMaxMs)
                          : QJsonValue(QJsonArray{rule.delayMinMs, rule.delayMaxMs}));
    if (rule.tarpitMs > 0)
        object.insert(QStringLiteral("TarpitMs"), rule.tarpitMs);
    if (rule.partialBytes >= 0)
        object.insert(QStringLiteral("PartialBytes"), rule.partialBytes);
    if (rule.action == Action::Greylist)
        object.insert(QStringLiteral("Attempts"), rule.attempts);
    if (rule.action == Action::Greylist || rule.action == Action::RateLimit)
        object.insert(QStringLiteral("WindowSeconds"), rule.windowSeconds);
    if (rule.action == Action::RateLimit) {
        object.insert(QStringLiteral("Limit"), rule.limit);
        object.insert(QStringLiteral("Per"), rule.per == Rule::Per::Sender
                                                 ? QStringLiteral("sender")
                                                 : QStringLiteral("client"));
    }
    return object;
}

QByteArray rulesDocument(const QList<Rule> &rules, std::optional<quint32> seed)
{
    QJsonArray list;
    for (const Rule &rule : rules)
        list.append(ruleJson(rule));
    QJsonObject root{{QStringLiteral("Rules"), list}};
    if (seed)
        root.insert(QStringLiteral("Seed"), qint64(*seed));
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}
