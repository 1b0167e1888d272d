#pragma once

#include "DesktopSettings.h"
#include "server/SmtpLimits.h"

#include <QObject>

class MessageStore;
class QAction;
class QLabel;
class QLineEdit;
class QSpinBox;
class QToolBar;
class QWidget;
class ServerStatusBar;
class SmtpService;

// The window's part that runs the SMTP server: Start/Stop, the listen address and port, the
// listening state, and the settings dialog whose choices apply to the next Start.
class ServerControl : public QObject
{
    Q_OBJECT
public:
    ServerControl(QWidget *window, SmtpService *service, MessageStore *store,
                  const DesktopSettings &settings, const SmtpLimits &limits,
                  ServerStatusBar *status);

    // Listens on the address and port fields; on failure says why with startFailed().
    bool start();
    void stop();
    void toggle();
    void editSettings();

    // Start/Stop, the state, then the address and port.
    void addToToolBar(QToolBar *bar);
    const DesktopSettings &settings() const { return m_settings; }
    QAction *startStopAction() const { return m_startStop; }
    QAction *settingsAction() const { return m_settingsAction; }
    QLineEdit *addressField() const { return m_address; }
    QSpinBox *portField() const { return m_port; }

Q_SIGNALS:
    void startFailed(const QString &reason);
    void started();
    // The user changed settings, in the dialog or by starting on an edited address or port.
    void settingsEdited(const DesktopSettings &before, const DesktopSettings &after);

private:
    void updateState();

    QWidget *m_window;
    SmtpService *m_service;
    MessageStore *m_store;
    DesktopSettings m_settings;
    SmtpLimits m_limits;
    ServerStatusBar *m_status;
    bool m_listenEdited = false;

    QAction *m_startStop;
    QAction *m_settingsAction;
    QLineEdit *m_address;
    QSpinBox *m_port;
    QLabel *m_state;
};
