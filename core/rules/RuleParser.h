#pragma once

#include "Rule.h"

#include <QByteArray>
#include <QJsonObject>
#include <QStringList>

// The rules document (README, "Rules"): {"Rules": [{"Name", "Enabled", "Stage", "When", "Action",
// "Reply", ...}], "Seed": n}. The hit counts that GET /api/v1/rules adds ("Hits", "ChaosHits")
// are read over, so what GET gives can be PUT back. Every problem is named by the rule (its
// position and name) and the field, so a rules file fails at start, a PUT with 400, the panel
// inline, all with one text.
struct ParsedRules
{
    QList<Rule> rules;
    std::optional<quint32> seed;
    QStringList errors; // empty: valid
};

ParsedRules parseRules(const QByteArray &json);
// The rules file at `path`; an unreadable file is an error like the others.
ParsedRules readRulesFile(const QString &path);
// One rule, as the panel edits it; errors name the field only.
Rule parseRule(const QJsonObject &object, QStringList *errors);

QJsonObject ruleJson(const Rule &rule);
QByteArray rulesDocument(const QList<Rule> &rules, std::optional<quint32> seed);
