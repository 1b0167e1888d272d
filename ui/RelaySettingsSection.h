#pragma once

#include "SettingsSections.h"

#include <memory>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class RelayClient;

// The upstream that "Release…", auto-relay and forward go to, the rules for recipients, and a
// "Test connection" button that greets the upstream with what is typed and shows its EHLO.
// The password is written to the config file only when "Remember" is ticked. Applies when
// saved (DeliveryQueue::reconfigure).
class RelaySettingsSection : public SettingsSection
{
    Q_OBJECT
public:
    explicit RelaySettingsSection(QWidget *parent = nullptr);
    ~RelaySettingsSection() override;
    QString title() const override { return tr("Relay"); }
    void load(const DesktopSettings &settings) override;
    void apply(DesktopSettings &settings) const override;

    QLineEdit *serverField() const { return m_server; }
    QPushButton *testButton() const { return m_test; }
    QPlainTextEdit *testResult() const { return m_result; }

Q_SIGNALS:
    void tested(bool ok); // a connection test has its answer

private:
    RelayTarget target() const; // as typed; no host when the server field does not parse
    void validate();
    void testConnection();

    QLineEdit *m_server;
    QComboBox *m_tls;
    QCheckBox *m_insecure;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_rememberPassword;
    QLineEdit *m_from;
    QLineEdit *m_allowed;
    QLineEdit *m_blocked;
    QComboBox *m_auto;
    QLineEdit *m_matching;
    QLineEdit *m_forward;
    QCheckBox *m_freshHeaders;
    QLabel *m_problem;
    QPushButton *m_test;
    QPlainTextEdit *m_result;
    RelaySettings m_loaded; // what the dialog does not edit (timeouts, retries) stays as it was
    std::unique_ptr<RelayClient> m_probe;
};
