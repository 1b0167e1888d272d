#include "ChaosTriggers.h"

#include <QJsonDocument>

namespace {
struct TriggerName
{
    const char *name;
    ChaosTriggers::Trigger ChaosTriggers::*member;
};
const TriggerName kTriggers[] = {{"Sender", &ChaosTriggers::sender},
                                 {"Recipient", &ChaosTriggers::recipient},
                                 {"Authentication", &ChaosTriggers::authentication}};

const TriggerName *findTrigger(const QString &name)
{
    for (const TriggerName &trigger : kTriggers) {
        if (name.compare(QLatin1String(trigger.name), Qt::CaseInsensitive) == 0)
            return &trigger;
    }
    return nullptr;
}

bool inRange(const ChaosTriggers::Trigger &trigger, const QString &name, QString *error)
{
    if (trigger.errorCode < 400 || trigger.errorCode > 599) {
        *error = QStringLiteral("%1: error code %2 is not from 400 to 599")
                     .arg(name)
                     .arg(trigger.errorCode);
        return false;
    }
    if (trigger.probability < 0 || trigger.probability > 100) {
        *error = QStringLiteral("%1: probability %2 is not from 0 to 100")
                     .arg(name)
                     .arg(trigger.probability);
        return false;
    }
    return true;
}
} // namespace

std::optional<ChaosTriggers> parseChaosTriggers(const QString &text, QString *error)
{
    ChaosTriggers triggers;
    for (const QString &item : text.split(u',', Qt::SkipEmptyParts)) {
        const QStringList parts = item.trimmed().split(u':');
        const TriggerName *trigger = parts.size() == 3 ? findTrigger(parts[0]) : nullptr;
        bool codeOk = false;
        bool probabilityOk = false;
        ChaosTriggers::Trigger value;
        if (trigger) {
            value.errorCode = parts[1].toInt(&codeOk);
            value.probability = parts[2].toInt(&probabilityOk);
        }
        if (!trigger || !codeOk || !probabilityOk) {
            *error = QStringLiteral("'%1' is not TRIGGER:CODE:PROBABILITY with TRIGGER one of "
                                    "Sender, Recipient, Authentication")
                         .arg(item.trimmed());
            return std::nullopt;
        }
        if (!inRange(value, QLatin1String(trigger->name), error))
            return std::nullopt;
        triggers.*(trigger->member) = value;
    }
    return triggers;
}

QString chaosTriggersText(const ChaosTriggers &triggers)
{
    QStringList items;
    for (const TriggerName &trigger : kTriggers) {
        const ChaosTriggers::Trigger &value = triggers.*(trigger.member);
        items.append(QStringLiteral("%1:%2:%3")
                         .arg(QLatin1String(trigger.name))
                         .arg(value.errorCode)
                         .arg(value.probability));
    }
    return items.join(u',');
}

QJsonObject chaosJson(const ChaosTriggers &triggers)
{
    QJsonObject json;
    for (const TriggerName &trigger : kTriggers) {
        const ChaosTriggers::Trigger &value = triggers.*(trigger.member);
        json.insert(QLatin1String(trigger.name),
                    QJsonObject{{QStringLiteral("ErrorCode"), value.errorCode},
                                {QStringLiteral("Probability"), value.probability}});
    }
    return json;
}

std::optional<ChaosTriggers> chaosFromJson(const QByteArray &json, QString *error)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        *error = QStringLiteral("the body must be a JSON object of triggers");
        return std::nullopt;
    }
    ChaosTriggers triggers;
    const QJsonObject root = document.object();
    for (auto it = root.begin(); it != root.end(); ++it) {
        const TriggerName *trigger = findTrigger(it.key());
        if (!trigger || !it.value().isObject()) {
            *error = QStringLiteral("%1 is not a trigger (Sender, Recipient, Authentication)")
                         .arg(it.key());
            return std::nullopt;
        }
        const QJsonObject fields = it.value().toObject();
        ChaosTriggers::Trigger value;
        value.errorCode = fields.value(QLatin1String("ErrorCode")).toInt(value.errorCode);
        value.probability = fields.value(QLatin1String("Probability")).toInt(0);
        for (const char *field : {"ErrorCode", "Probability"}) {
            const QJsonValue v = fields.value(QLatin1String(field));
            if (!v.isUndefined() && !v.isDouble()) {
                *error = QStringLiteral("%1: %2 must be a number").arg(it.key(), field);
                return std::nullopt;
            }
        }
        if (!inRange(value, QLatin1String(trigger->name), error))
            return std::nullopt;
        triggers.*(trigger->member) = value;
    }
    return triggers;
}
