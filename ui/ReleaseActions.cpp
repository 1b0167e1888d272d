#include "ReleaseActions.h"

#include "MessageTableView.h"
#include "ReleaseDialog.h"
#include "relay/DeliveryQueue.h"
#include "store/MessageStore.h"

#include <QAction>
#include <QWidget>

ReleaseActions::ReleaseActions(QWidget *window, MessageStore *store, MessageTableView *view)
    : QObject(window), release(new QAction(tr("&Release…"), window)), m_window(window),
      m_store(store), m_view(view)
{
    release->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    release->setIcon(QIcon::fromTheme(QStringLiteral("mail-forward")));
    window->addAction(release);
    connect(release, &QAction::triggered, this, &ReleaseActions::openDialog);
    updateEnabled(false);
}

void ReleaseActions::setRelay(DeliveryQueue *relay)
{
    m_relay = relay;
    connect(relay, &DeliveryQueue::reconfigured, this,
            [this] { updateEnabled(!m_view->selectedIds().isEmpty()); });
    updateEnabled(!m_view->selectedIds().isEmpty());
}

bool ReleaseActions::relayConfigured() const
{
    return m_relay && m_relay->settings().target.configured();
}

void ReleaseActions::updateEnabled(bool selected)
{
    release->setEnabled(relayConfigured() && selected);
    release->setToolTip(relayConfigured()
                            ? tr("Send the selected messages to a real mailbox through %1")
                                  .arg(m_relay->settings().target.address())
                            : tr("No relay is configured (Settings > Relay, or --relay "
                                 "HOST:PORT)"));
}

void ReleaseActions::openDialog()
{
    const QList<qint64> ids = m_view->selectedIds();
    if (!relayConfigured() || ids.isEmpty())
        return;
    QList<QByteArray> recipients;
    for (qint64 id : ids) {
        if (const std::optional<MessageRecord> message = m_store->message(id)) {
            for (const QByteArray &address : message->envelope.rcptTo) {
                if (!recipients.contains(address))
                    recipients.append(address);
            }
        }
    }
    auto *dialog = new ReleaseDialog(m_relay, ids, recipients, m_window);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}
