#pragma once

#include "rules/Rule.h"

#include <QDialog>

class QAction;
class QLabel;
class QPlainTextEdit;
class QTableView;
class QTimer;
class RuleEngine;
class RuleListModel;

// Server > Rules: the engine's rules in order, each enabled or not, with its hits since the last
// reset. A rule is edited as the JSON of the rules file (README, "Rules"), checked as it is
// applied with the file's own messages. Every change applies to the next command at once and is
// saved to the rules file; changes made over the API show up here as they happen.
class RulesPanel : public QDialog
{
    Q_OBJECT
public:
    RulesPanel(RuleEngine *engine, const QString &rulesFile, QWidget *parent = nullptr);

    QAction *showAction() const { return m_show; }

    // For tests: the editor, the apply step, the error shown.
    QPlainTextEdit *editor() const { return m_editor; }
    QTableView *view() const { return m_view; }
    void applyEditor();
    QString errorText() const;

private:
    void reload();
    void selectRow(int row);
    void addRule();
    void removeRule();
    void moveRule(int by);
    void setEnabled(int row, bool enabled);
    bool commit(const QList<Rule> &rules, int selectRow);
    int currentRow() const;

    RuleEngine *m_engine;
    QString m_file;
    RuleListModel *m_model;
    QTableView *m_view;
    QPlainTextEdit *m_editor;
    QLabel *m_error;
    QLabel *m_where;
    QTimer *m_hitsTimer;
    QAction *m_show;
    int m_editingRow = -1; // -1: the editor holds a new rule
};
