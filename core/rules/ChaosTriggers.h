#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

// Mailpit's chaos, exactly: an error code (400-599) with a probability (0-100) at MAIL
// ("Sender"), RCPT ("Recipient") and AUTH ("Authentication").
struct ChaosTriggers
{
    struct Trigger
    {
        int errorCode = 451;
        int probability = 0;
        bool operator==(const Trigger &o) const
        {
            return errorCode == o.errorCode && probability == o.probability;
        }
    };
    Trigger sender;
    Trigger recipient;
    Trigger authentication;
    bool operator==(const ChaosTriggers &o) const
    {
        return sender == o.sender && recipient == o.recipient && authentication == o.authentication;
    }
};

// --chaos-triggers "Sender:451:5,Recipient:550:10,Authentication:535:100"; empty: all at 0.
std::optional<ChaosTriggers> parseChaosTriggers(const QString &text, QString *error);
// The inverse: every trigger, "Sender:451:0,Recipient:451:0,Authentication:451:0".
QString chaosTriggersText(const ChaosTriggers &triggers);
// Mailpit's JSON: {"Sender": {"ErrorCode": 451, "Probability": 5}, ...}; an omitted trigger
// is reset (probability 0).
QJsonObject chaosJson(const ChaosTriggers &triggers);
std::optional<ChaosTriggers> chaosFromJson(const QByteArray &json, QString *error);
