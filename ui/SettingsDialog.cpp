#include "SettingsDialog.h"

#include "RelaySettingsSection.h"
#include "SettingsSections.h"

#include <QDialogButtonBox>
#include <QTabWidget>
#include <QVBoxLayout>

SettingsDialog::SettingsDialog(const DesktopSettings &settings, QWidget *parent)
    : QDialog(parent), m_settings(settings), m_tabs(new QTabWidget(this))
{
    setWindowTitle(tr("smtpeek Settings"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(buttons);

    addSection(new ServerSettingsSection(this));
    addSection(new SecuritySettingsSection(this));
    addSection(new StorageSettingsSection(this));
    addSection(new RelaySettingsSection(this));
    addSection(new AutomationSettingsSection(this));
    addSection(new DisplaySettingsSection(this));
}

void SettingsDialog::addSection(SettingsSection *section)
{
    section->load(m_settings);
    m_sections.append(section);
    m_tabs->addTab(section, section->title());
}

DesktopSettings SettingsDialog::settings() const
{
    DesktopSettings edited = m_settings;
    for (const SettingsSection *section : m_sections)
        section->apply(edited);
    return edited;
}
