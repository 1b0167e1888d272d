#pragma once

#include "NotificationThrottle.h"

#include <QSystemTrayIcon>
#include <QTimer>

#include <memory>

class QAction;
class QMenu;

// The tray icon: the unread count on the icon and in the tooltip, a menu (show the window,
// start/stop, quit) and, when enabled, throttled "new mail" notifications.
class TrayIcon : public QSystemTrayIcon
{
    Q_OBJECT
public:
    TrayIcon(QAction *startStop, QAction *quit, QObject *parent = nullptr);
    ~TrayIcon() override;

    void setUnreadCount(int unread);
    void setNotificationsEnabled(bool enabled) { m_notify = enabled; }
    void messagesArrived(int count, const QString &lastSubject);

Q_SIGNALS:
    void showWindowRequested();

private:
    void notify(const NotificationThrottle::Notification &notification);
    void scheduleWaiting();

    std::unique_ptr<QMenu> m_menu; // a QMenu cannot have a QObject parent
    NotificationThrottle m_throttle;
    QTimer m_waitingTimer;
    bool m_notify = true;
    int m_unread = -1;
};
