#pragma once

#include "records/DeliveryRecord.h"

#include <QWidget>

class MessageStore;
class QLabel;
class QTreeWidget;
class TranscriptView;

// The inspector's "Deliveries" tab: every time the message went upstream (release, auto-relay,
// forward), each attempt with its result and recipients, and the selected attempt's outbound
// transcript beside the inbound one's format. It follows the store as attempts are recorded.
class DeliveriesView : public QWidget
{
    Q_OBJECT
public:
    explicit DeliveriesView(const MessageStore *store, QWidget *parent = nullptr);

    void showMessage(qint64 id); // 0: none
    QTreeWidget *attempts() const { return m_tree; }
    TranscriptView *transcript() const { return m_transcript; }
    int deliveryCount() const { return int(m_deliveries.size()); }

Q_SIGNALS:
    void countChanged(int deliveries);

private:
    void reload();
    void showSelectedTranscript();

    const MessageStore *m_store;
    qint64 m_messageId = 0;
    QList<DeliveryRecord> m_deliveries;
    QLabel *m_empty;
    QTreeWidget *m_tree;
    TranscriptView *m_transcript;
};
