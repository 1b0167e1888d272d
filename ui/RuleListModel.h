#pragma once

#include "rules/Rule.h"

#include <QAbstractTableModel>
#include <QHash>

// The rules in order, for the Rules panel: name (checkable: enabled), stage, action, conditions,
// hits. Toggling the check asks for a change (enabledToggled); the panel commits it.
class RuleListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        Stage,
        Action,
        Conditions,
        Hits,
        ColumnCount
    };

    using QAbstractTableModel::QAbstractTableModel;

    void setRules(const QList<Rule> &rules);
    void setHits(const QHash<QString, qint64> &hits);
    const QList<Rule> &rules() const { return m_rules; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role) override;

Q_SIGNALS:
    void enabledToggled(int row, bool enabled);

private:
    QList<Rule> m_rules;
    QHash<QString, qint64> m_hits;
};
