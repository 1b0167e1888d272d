#pragma once

#include "DesktopSettings.h"

#include <QDialog>

class QTabWidget;
class SettingsSection;

// The settings dialog: one tab per section. New features add a section with addSection().
class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(const DesktopSettings &settings, QWidget *parent = nullptr);

    void addSection(SettingsSection *section);
    // The settings as edited (the ones given, changed by every section).
    DesktopSettings settings() const;

private:
    DesktopSettings m_settings;
    QTabWidget *m_tabs;
    QList<SettingsSection *> m_sections;
};
