#pragma once

#include <QObject>

class DeliveryQueue;
class MessageStore;
class MessageTableView;
class QAction;
class QWidget;

// The "Release…" action: the selected messages go to the Release dialog. Without a relay
// (--relay, or the Settings' Relay section) it stays disabled and says why.
class ReleaseActions : public QObject
{
    Q_OBJECT
public:
    ReleaseActions(QWidget *window, MessageStore *store, MessageTableView *view);

    void setRelay(DeliveryQueue *relay);
    void updateEnabled(bool selected);

    QAction *release;

private:
    bool relayConfigured() const;
    void openDialog();

    QWidget *m_window;
    MessageStore *m_store;
    MessageTableView *m_view;
    DeliveryQueue *m_relay = nullptr;
};
