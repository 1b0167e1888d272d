#include "RuleListModel.h"

#include "rules/RuleParser.h"

#include <QJsonDocument>
#include <QJsonObject>

void RuleListModel::setRules(const QList<Rule> &rules)
{
    beginResetModel();
    m_rules = rules;
    endResetModel();
}

void RuleListModel::setHits(const QHash<QString, qint64> &hits)
{
    m_hits = hits;
    if (!m_rules.isEmpty())
        Q_EMIT dataChanged(index(0, Hits), index(int(m_rules.size()) - 1, Hits));
}

int RuleListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rules.size());
}

int RuleListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RuleListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rules.size())
        return {};
    const Rule &rule = m_rules[index.row()];
    if (role == Qt::CheckStateRole && index.column() == Name)
        return rule.enabled ? Qt::Checked : Qt::Unchecked;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Name:
        return rule.name;
    case Stage:
        return stageName(rule.stage);
    case Action: {
        QString text = actionName(rule.action);
        if (rule.reply.code != 0)
            text += QStringLiteral(" %1 %2")
                        .arg(rule.reply.code)
                        .arg(QString::fromLatin1(rule.reply.enhanced));
        if (rule.delayMaxMs > 0)
            text += rule.delayMinMs == rule.delayMaxMs
                        ? tr(", after %1 ms").arg(rule.delayMaxMs)
                        : tr(", after %1-%2 ms").arg(rule.delayMinMs).arg(rule.delayMaxMs);
        if (rule.tarpitMs > 0)
            text += tr(", %1 ms a byte").arg(rule.tarpitMs);
        if (rule.action == Rule::Action::Greylist)
            text +=
                tr(", %n tries", nullptr, rule.attempts) + tr(" in %1 s").arg(rule.windowSeconds);
        if (rule.action == Rule::Action::RateLimit)
            text += tr(", %1 per %2 s").arg(rule.limit).arg(rule.windowSeconds);
        if (rule.probability != 100)
            text += QStringLiteral(" (%1%)").arg(rule.probability);
        return text;
    }
    case Conditions: {
        const QJsonValue when = ruleJson(rule).value(QLatin1String("When"));
        return when.isUndefined()
                   ? tr("always")
                   : QString::fromUtf8(
                         QJsonDocument(when.toObject()).toJson(QJsonDocument::Compact));
    }
    case Hits:
        return m_hits.value(rule.name);
    }
    return {};
}

QVariant RuleListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Rule");
    case Stage:
        return tr("Stage");
    case Action:
        return tr("Action");
    case Conditions:
        return tr("When");
    case Hits:
        return tr("Hits");
    }
    return {};
}

Qt::ItemFlags RuleListModel::flags(const QModelIndex &index) const
{
    Qt::ItemFlags flags = QAbstractTableModel::flags(index);
    if (index.column() == Name)
        flags |= Qt::ItemIsUserCheckable;
    return flags;
}

bool RuleListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || index.column() != Name || index.row() >= m_rules.size())
        return false;
    Q_EMIT enabledToggled(index.row(), value.toInt() == Qt::Checked);
    return true;
}
