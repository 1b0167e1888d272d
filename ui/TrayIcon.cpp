#include "TrayIcon.h"

#include "CountText.h"
#include "Icons.h"

#include <QAction>
#include <QDateTime>
#include <QMenu>

TrayIcon::TrayIcon(QAction *startStop, QAction *quit, QObject *parent)
    : QSystemTrayIcon(parent), m_menu(std::make_unique<QMenu>())
{
    QAction *show = m_menu->addAction(tr("Show smtpeek"));
    connect(show, &QAction::triggered, this, &TrayIcon::showWindowRequested);
    m_menu->addAction(startStop);
    m_menu->addSeparator();
    m_menu->addAction(quit);
    setContextMenu(m_menu.get());
    connect(this, &QSystemTrayIcon::activated, this, [this](ActivationReason reason) {
        if (reason == Trigger || reason == DoubleClick)
            Q_EMIT showWindowRequested();
    });
    connect(this, &QSystemTrayIcon::messageClicked, this, &TrayIcon::showWindowRequested);
    m_waitingTimer.setSingleShot(true);
    connect(&m_waitingTimer, &QTimer::timeout, this, [this] {
        if (auto notification = m_throttle.due(QDateTime::currentMSecsSinceEpoch()))
            notify(*notification);
        scheduleWaiting();
    });
    setUnreadCount(0);
}

TrayIcon::~TrayIcon() = default;

void TrayIcon::setUnreadCount(int unread)
{
    if (unread == m_unread)
        return;
    m_unread = unread;
    setIcon(Icons::withUnreadBadge(unread));
    setToolTip(unread > 0 ? tr("smtpeek: %1 unread").arg(countText(unread, "message", "messages"))
                          : tr("smtpeek: no unread messages"));
}

void TrayIcon::messagesArrived(int count, const QString &lastSubject)
{
    if (!m_notify)
        return;
    if (auto notification = m_throttle.add(count, lastSubject, QDateTime::currentMSecsSinceEpoch()))
        notify(*notification);
    scheduleWaiting();
}

void TrayIcon::notify(const NotificationThrottle::Notification &notification)
{
    if (!isVisible() || !supportsMessages())
        return;
    const QString title = tr("%1 new").arg(countText(notification.count, "message", "messages"));
    const QString body = notification.count == 1 ? notification.lastSubject
                                                 : tr("Latest: %1").arg(notification.lastSubject);
    showMessage(title, body, Icons::app(), 5000);
}

void TrayIcon::scheduleWaiting()
{
    const qint64 due = m_throttle.nextDueMs();
    if (due < 0 || m_waitingTimer.isActive())
        return;
    m_waitingTimer.start(int(qMax<qint64>(0, due - QDateTime::currentMSecsSinceEpoch())));
}
