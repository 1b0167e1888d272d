#include "ServerControl.h"

#include "Icons.h"
#include "Options.h"
#include "ServerStatusBar.h"
#include "SettingsDialog.h"
#include "server/SecurityOptions.h"
#include "server/SmtpService.h"
#include "store/MessageStore.h"

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QSysInfo>
#include <QToolBar>

ServerControl::ServerControl(QWidget *window, SmtpService *service, MessageStore *store,
                             const DesktopSettings &settings, const SmtpLimits &limits,
                             ServerStatusBar *status)
    : QObject(window), m_window(window), m_service(service), m_store(store), m_settings(settings),
      m_limits(limits), m_status(status), m_startStop(new QAction(tr("Start"), window)),
      m_settingsAction(new QAction(tr("Se&ttings…"), window)), m_address(new QLineEdit(window)),
      m_port(new QSpinBox(window)), m_state(new QLabel(window))
{
    m_startStop->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    connect(m_startStop, &QAction::triggered, this, &ServerControl::toggle);
    m_settingsAction->setShortcut(QKeySequence::Preferences);
    if (m_settingsAction->shortcut().isEmpty())
        m_settingsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    connect(m_settingsAction, &QAction::triggered, this, &ServerControl::editSettings);
    window->addAction(m_startStop);
    window->addAction(m_settingsAction);

    m_address->setMaximumWidth(150);
    m_address->setToolTip(tr("Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 "
                             "for every interface"));
    m_port->setRange(0, 65535);
    m_port->setToolTip(tr("SMTP port (0 picks a free one)"));
    m_address->setText(m_settings.listenAddress);
    m_port->setValue(m_settings.listenPort);
    connect(m_address, &QLineEdit::textEdited, this, [this] { m_listenEdited = true; });
    connect(m_address, &QLineEdit::returnPressed, this, &ServerControl::start);
    connect(m_port, &QSpinBox::valueChanged, this, [this] { m_listenEdited = true; });
    connect(m_service, &SmtpService::listeningChanged, this, &ServerControl::updateState);
    updateState();
}

void ServerControl::addToToolBar(QToolBar *bar)
{
    bar->addAction(m_startStop);
    bar->addWidget(m_state);
    bar->addSeparator();
    bar->addWidget(new QLabel(tr(" Listen on "), bar));
    bar->addWidget(m_address);
    bar->addWidget(new QLabel(QStringLiteral(" : "), bar));
    bar->addWidget(m_port);
}

bool ServerControl::start()
{
    if (m_service->isListening())
        return true;
    QHostAddress address;
    const QString addressText = m_address->text().trimmed();
    if (!parseHostAddress(addressText, &address)) {
        Q_EMIT startFailed(
            tr("“%1” is not an IP address. Use 127.0.0.1 for this machine or 0.0.0.0 for "
               "every interface.")
                .arg(addressText));
        return false;
    }
    const QString hostname =
        m_settings.hostname.isEmpty() ? QSysInfo::machineHostName() : m_settings.hostname;
    SessionConfig config;
    config.hostname = hostname.toUtf8();
    config.limits = m_limits;
    config.limits.maxMessageSize = m_settings.maxMessageSize;
    QString error;
    QString fingerprint;
    if (!applySecurityOptions(m_settings.security, hostname, &config, &error, &fingerprint)) {
        Q_EMIT startFailed(tr("TLS or AUTH settings cannot be used: %1").arg(error));
        return false;
    }
    const std::optional<quint16> smtpsPort =
        m_settings.smtpsPort ? std::optional<quint16>(m_settings.smtpsPort) : std::nullopt;
    if (!m_service->start(address, quint16(m_port->value()), config, &error, smtpsPort)) {
        Q_EMIT startFailed(tr("Could not listen on %1: %2. Choose another address or port and "
                              "press Start.")
                               .arg(formatListenAddress(address, quint16(m_port->value())), error));
        updateState();
        return false;
    }
    Q_EMIT started();
    if (m_listenEdited) {
        const DesktopSettings previous = m_settings;
        m_settings.listenAddress = addressText;
        m_settings.listenPort = quint16(m_port->value());
        m_listenEdited = false;
        Q_EMIT settingsEdited(previous, m_settings);
    }
    updateState();
    return true;
}

void ServerControl::stop()
{
    m_service->stop();
    updateState();
}

void ServerControl::toggle()
{
    if (m_service->isListening())
        stop();
    else
        start();
}

void ServerControl::editSettings()
{
    SettingsDialog dialog(m_settings, m_window);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const DesktopSettings previous = m_settings;
    m_settings = dialog.settings();
    Q_EMIT settingsEdited(previous, m_settings);
    m_store->setRetention({m_settings.retainMessages, m_settings.retainSessions});
    if (!m_service->isListening()) {
        m_address->setText(m_settings.listenAddress);
        m_port->setValue(m_settings.listenPort);
        m_listenEdited = false;
    }
    if (m_settings.memoryStore != previous.memoryStore ||
        m_settings.databasePath != previous.databasePath ||
        m_settings.safePreview != previous.safePreview) {
        m_status->showMessage(tr("Storage and safe-mode changes apply at the next launch."), 8000);
    }
}

void ServerControl::updateState()
{
    const bool listening = m_service->isListening();
    m_startStop->setText(listening ? tr("Stop") : tr("Start"));
    m_startStop->setIcon(listening ? Icons::stop() : Icons::start());
    m_startStop->setToolTip(listening ? tr("Stop listening (Ctrl+L)")
                                      : tr("Start listening for SMTP (Ctrl+L)"));
    const QString address = formatListenAddress(m_service->address(), m_service->port());
    m_state->setText(listening ? tr("<b style='color:#2e7d32'>● Listening</b>")
                               : tr("<b style='color:#8a8a8a'>● Stopped</b>"));
    m_address->setEnabled(!listening);
    m_port->setEnabled(!listening);
    if (listening && m_port->value() != m_service->port()) {
        const QSignalBlocker blocker(m_port); // port 0 became a real port: not a user edit
        m_port->setValue(m_service->port());
    }
    m_status->setListening(listening, address);
}
