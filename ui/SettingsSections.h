#pragma once

#include "DesktopSettings.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QRadioButton;

// A greyed, wrapped explanation under a setting.
QLabel *settingsHint(const QString &text, QWidget *parent);

// One page of the settings dialog. Each feature brings its own section (TLS and AUTH will add
// theirs), so the dialog never needs to know every setting.
class SettingsSection : public QWidget
{
    Q_OBJECT
public:
    using QWidget::QWidget;

    virtual QString title() const = 0;
    virtual void load(const DesktopSettings &settings) = 0;
    virtual void apply(DesktopSettings &settings) const = 0;
};

// Listen address and port, hostname, maximum message size, start on launch.
class ServerSettingsSection : public SettingsSection
{
    Q_OBJECT
public:
    explicit ServerSettingsSection(QWidget *parent = nullptr);
    QString title() const override { return tr("Server"); }
    void load(const DesktopSettings &settings) override;
    void apply(DesktopSettings &settings) const override;

private:
    QLineEdit *m_address;
    QSpinBox *m_port;
    QLineEdit *m_hostname;
    QSpinBox *m_maxSizeMiB;
    QCheckBox *m_startOnLaunch;
};

// The webhook each stored message is POSTed to (--webhook-url, --webhook-limit): next launch.
class AutomationSettingsSection : public SettingsSection
{
    Q_OBJECT
public:
    explicit AutomationSettingsSection(QWidget *parent = nullptr);
    QString title() const override { return tr("Automation"); }
    void load(const DesktopSettings &settings) override;
    void apply(DesktopSettings &settings) const override;

private:
    QLineEdit *m_webhookUrl;
    QSpinBox *m_webhookLimit;
    QLabel *m_problem;
};

// Database file or memory only (next launch), retention counts (at once).
class StorageSettingsSection : public SettingsSection
{
    Q_OBJECT
public:
    explicit StorageSettingsSection(QWidget *parent = nullptr);
    QString title() const override { return tr("Storage"); }
    void load(const DesktopSettings &settings) override;
    void apply(DesktopSettings &settings) const override;

private:
    QRadioButton *m_file;
    QRadioButton *m_memory;
    QLineEdit *m_path;
    QSpinBox *m_retainMessages;
    QSpinBox *m_retainSessions;
};

// STARTTLS and SMTPS with a generated or own certificate (its fingerprint shown and exportable),
// and the AUTH policy. Applies at the next Start.
class SecuritySettingsSection : public SettingsSection
{
    Q_OBJECT
public:
    explicit SecuritySettingsSection(QWidget *parent = nullptr);
    QString title() const override { return tr("TLS and AUTH"); }
    void load(const DesktopSettings &settings) override;
    void apply(DesktopSettings &settings) const override;

private:
    void showCertificate();
    void exportCertificate();
    SecurityOptions options() const;

    QRadioButton *m_tlsOff;
    QRadioButton *m_tlsAuto;
    QRadioButton *m_tlsFiles;
    QLineEdit *m_certificate;
    QLineEdit *m_key;
    QSpinBox *m_smtpsPort;
    QCheckBox *m_requireTls;
    QComboBox *m_auth;
    QLineEdit *m_usersFile;
    QCheckBox *m_requireAuth;
    QCheckBox *m_authOverTlsOnly;
    QCheckBox *m_showSecrets;
    QLabel *m_fingerprint;
    QByteArray m_certificatePem;
};

// New-mail notifications and the HTML renderer.
class DisplaySettingsSection : public SettingsSection
{
    Q_OBJECT
public:
    explicit DisplaySettingsSection(QWidget *parent = nullptr);
    QString title() const override { return tr("Display"); }
    void load(const DesktopSettings &settings) override;
    void apply(DesktopSettings &settings) const override;

private:
    QCheckBox *m_notify;
    QCheckBox *m_safePreview;
};
