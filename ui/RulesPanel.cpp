#include "RulesPanel.h"

#include "RuleListModel.h"

#include "rules/RuleEngine.h"
#include "rules/RuleParser.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace {
const char *const kNewRule = R"({
    "Name": "new rule",
    "Stage": "rcpt",
    "Action": "reply",
    "When": {"RcptTo": "^nobody@"},
    "Reply": {"Code": 550, "Enhanced": "5.1.1", "Text": "No such user"}
})";
} // namespace

RulesPanel::RulesPanel(RuleEngine *engine, const QString &rulesFile, QWidget *parent)
    : QDialog(parent), m_engine(engine), m_file(rulesFile), m_model(new RuleListModel(this)),
      m_view(new QTableView(this)), m_editor(new QPlainTextEdit(this)), m_error(new QLabel(this)),
      m_where(new QLabel(this)), m_hitsTimer(new QTimer(this)),
      m_show(new QAction(tr("&Rules…"), this))
{
    setWindowTitle(tr("Rules"));
    resize(900, 560);
    m_show->setToolTip(tr("Answer like the servers that will fail your app: refusals, delays, "
                          "greylisting, rate limits"));
    connect(m_show, &QAction::triggered, this, [this] {
        reload();
        show();
        raise();
        activateWindow();
    });

    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->horizontalHeader()->setStretchLastSection(false);
    m_view->horizontalHeader()->setSectionResizeMode(RuleListModel::Conditions,
                                                     QHeaderView::Stretch);
    m_view->verticalHeader()->hide();
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { selectRow(current.row()); });
    connect(m_model, &RuleListModel::enabledToggled, this, &RulesPanel::setEnabled);

    auto *add = new QPushButton(tr("&Add"), this);
    auto *remove = new QPushButton(tr("&Remove"), this);
    auto *up = new QPushButton(tr("Move &up"), this);
    auto *down = new QPushButton(tr("Move &down"), this);
    auto *reset = new QPushButton(tr("Reset &counters"), this);
    connect(add, &QPushButton::clicked, this, &RulesPanel::addRule);
    connect(remove, &QPushButton::clicked, this, &RulesPanel::removeRule);
    connect(up, &QPushButton::clicked, this, [this] { moveRule(-1); });
    connect(down, &QPushButton::clicked, this, [this] { moveRule(1); });
    connect(reset, &QPushButton::clicked, m_engine, &RuleEngine::resetHits);
    auto *buttons = new QHBoxLayout;
    for (QPushButton *button : {add, remove, up, down, reset})
        buttons->addWidget(button);
    buttons->addStretch();

    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlaceholderText(tr("The selected rule as JSON"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: palette(highlighted-text); background: #b3261e; "
                                          "padding: 4px;"));
    m_error->hide();
    auto *apply = new QPushButton(tr("A&pply rule"), this);
    connect(apply, &QPushButton::clicked, this, &RulesPanel::applyEditor);
    m_where->setWordWrap(true);
    m_where->setText(tr("Saved to %1").arg(QDir::toNativeSeparators(m_file)));

    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::hide);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 3);
    layout->addLayout(buttons);
    layout->addWidget(m_editor, 2);
    layout->addWidget(m_error);
    auto *applyRow = new QHBoxLayout;
    applyRow->addWidget(m_where, 1);
    applyRow->addWidget(apply);
    layout->addLayout(applyRow);
    layout->addWidget(close);

    // Changes over the API arrive from its thread; hits from the server's, many a second, so
    // they are shown at most twice a second.
    connect(m_engine, &RuleEngine::rulesChanged, this, &RulesPanel::reload, Qt::QueuedConnection);
    m_hitsTimer->setSingleShot(true);
    m_hitsTimer->setInterval(500);
    connect(m_hitsTimer, &QTimer::timeout, this, [this] { m_model->setHits(m_engine->hits()); });
    connect(m_engine, &RuleEngine::hitsChanged, m_hitsTimer, qOverload<>(&QTimer::start),
            Qt::QueuedConnection);
    reload();
}

QString RulesPanel::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

int RulesPanel::currentRow() const
{
    return m_view->currentIndex().isValid() ? m_view->currentIndex().row() : -1;
}

void RulesPanel::reload()
{
    const int row = currentRow();
    m_model->setRules(m_engine->rules());
    m_model->setHits(m_engine->hits());
    m_view->resizeColumnsToContents();
    if (row >= 0 && row < m_model->rowCount())
        m_view->setCurrentIndex(m_model->index(row, 0));
}

void RulesPanel::selectRow(int row)
{
    m_error->hide();
    m_editingRow = row;
    m_editor->setPlainText(
        row >= 0 && row < m_model->rowCount()
            ? QString::fromUtf8(QJsonDocument(ruleJson(m_model->rules()[row])).toJson())
            : QString());
}

void RulesPanel::addRule()
{
    m_view->clearSelection();
    m_view->setCurrentIndex({});
    m_error->hide();
    m_editingRow = -1;
    m_editor->setPlainText(QString::fromUtf8(kNewRule));
    m_editor->setFocus();
}

void RulesPanel::applyEditor()
{
    QJsonParseError parseError;
    const QJsonDocument document =
        QJsonDocument::fromJson(m_editor->toPlainText().toUtf8(), &parseError);
    QStringList errors;
    Rule rule;
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        errors.append(tr("not a JSON object: %1").arg(parseError.errorString()));
    else
        rule = parseRule(document.object(), &errors);
    if (!errors.isEmpty()) {
        m_error->setText(errors.join(QStringLiteral("\n")));
        m_error->show();
        return;
    }
    QList<Rule> rules = m_model->rules();
    int row = m_editingRow;
    if (row >= 0 && row < rules.size()) {
        rules[row] = rule;
    } else {
        rules.append(rule);
        row = int(rules.size()) - 1;
    }
    commit(rules, row);
}

void RulesPanel::removeRule()
{
    const int row = currentRow();
    if (row < 0)
        return;
    QList<Rule> rules = m_model->rules();
    rules.removeAt(row);
    commit(rules, std::min(row, int(rules.size()) - 1));
}

void RulesPanel::moveRule(int by)
{
    const int row = currentRow();
    QList<Rule> rules = m_model->rules();
    if (row < 0 || row + by < 0 || row + by >= rules.size())
        return;
    rules.move(row, row + by);
    commit(rules, row + by);
}

void RulesPanel::setEnabled(int row, bool enabled)
{
    QList<Rule> rules = m_model->rules();
    rules[row].enabled = enabled;
    commit(rules, row);
}

// The whole list is checked as the file would be (names must differ), applied, then saved.
bool RulesPanel::commit(const QList<Rule> &rules, int selectRow)
{
    const QByteArray document = rulesDocument(rules, m_engine->seed());
    const ParsedRules checked = parseRules(document);
    if (!checked.errors.isEmpty()) {
        m_error->setText(checked.errors.join(QStringLiteral("\n")));
        m_error->show();
        return false;
    }
    m_engine->setRules(checked.rules);
    reload();
    if (selectRow >= 0)
        m_view->setCurrentIndex(m_model->index(selectRow, 0));
    QDir().mkpath(QFileInfo(m_file).absolutePath());
    QSaveFile file(m_file);
    if (!file.open(QIODevice::WriteOnly) || file.write(document) != document.size() ||
        !file.commit()) {
        m_error->setText(tr("Applied, but not saved to %1: %2").arg(m_file, file.errorString()));
        m_error->show();
        return false;
    }
    m_error->hide();
    return true;
}
