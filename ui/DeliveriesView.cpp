#include "DeliveriesView.h"

#include "TranscriptView.h"
#include "store/MessageStore.h"

#include <QDateTime>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace {
QString timeText(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString(QStringLiteral("yyyy-MM-dd hh:mm:ss"));
}

QString recipientsText(const DeliveryAttempt &attempt)
{
    QStringList parts;
    for (const RecipientOutcome &outcome : attempt.recipients)
        parts.append(outcome.code == 0 ? QString::fromUtf8(outcome.address)
                                       : QStringLiteral("%1 (%2)")
                                             .arg(QString::fromUtf8(outcome.address))
                                             .arg(outcome.code));
    return parts.join(QStringLiteral(", "));
}

// Which delivery and attempt a row is, in Qt::UserRole.
constexpr int kAttemptRole = Qt::UserRole;
} // namespace

DeliveriesView::DeliveriesView(const MessageStore *store, QWidget *parent)
    : QWidget(parent), m_store(store),
      m_empty(new QLabel(tr("This message has not been released or relayed."), this)),
      m_tree(new QTreeWidget(this)), m_transcript(new TranscriptView(this))
{
    m_tree->setHeaderLabels(
        {tr("When"), tr("Kind"), tr("Result"), tr("Upstream"), tr("TLS"), tr("Recipients")});
    m_tree->setRootIsDecorated(true);
    m_tree->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_tree);
    splitter->addWidget(m_transcript);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_empty);
    layout->addWidget(splitter, 1);
    connect(m_tree, &QTreeWidget::currentItemChanged, this,
            &DeliveriesView::showSelectedTranscript);
    connect(store, &MessageStore::deliverySaved, this, [this](const DeliveryRecord &delivery) {
        if (delivery.messageId == m_messageId)
            reload();
    });
    showMessage(0);
}

void DeliveriesView::showMessage(qint64 id)
{
    m_messageId = id;
    reload();
}

void DeliveriesView::reload()
{
    m_deliveries = m_messageId ? m_store->deliveries(m_messageId) : QList<DeliveryRecord>();
    m_tree->clear();
    m_transcript->setTranscript({});
    m_empty->setVisible(m_deliveries.isEmpty());
    QTreeWidgetItem *last = nullptr;
    for (qsizetype d = 0; d < m_deliveries.size(); ++d) {
        const DeliveryRecord &delivery = m_deliveries[d];
        QStringList to;
        for (const QByteArray &address : delivery.recipients)
            to.append(QString::fromUtf8(address));
        auto *item = new QTreeWidgetItem(m_tree, {timeText(delivery.createdMs),
                                                  deliveryKindName(delivery.kind),
                                                  deliveryStatusName(delivery.status), QString(),
                                                  QString(), to.join(QStringLiteral(", "))});
        for (qsizetype a = 0; a < delivery.attempts.size(); ++a) {
            const DeliveryAttempt &attempt = delivery.attempts[a];
            const QString tls =
                attempt.tls.protocol.isEmpty()
                    ? tr("none")
                    : attempt.tls.protocol + (attempt.insecure ? tr(", not verified") : QString());
            auto *child =
                new QTreeWidgetItem(item, {timeText(attempt.startedMs), tr("attempt %1").arg(a + 1),
                                           attemptResultName(attempt.result), attempt.upstream, tls,
                                           recipientsText(attempt)});
            child->setToolTip(2, attempt.reason);
            child->setData(0, kAttemptRole, QVariant::fromValue(QPoint(int(d), int(a))));
            last = child;
        }
        item->setExpanded(true);
    }
    if (last)
        m_tree->setCurrentItem(last); // the newest attempt: usually the one to look at
    Q_EMIT countChanged(int(m_deliveries.size()));
}

void DeliveriesView::showSelectedTranscript()
{
    const QTreeWidgetItem *item = m_tree->currentItem();
    const QVariant where = item ? item->data(0, kAttemptRole) : QVariant();
    if (!where.isValid()) {
        m_transcript->setTranscript({});
        return;
    }
    const QPoint p = where.toPoint();
    m_transcript->setTranscript(m_deliveries.value(p.x()).attempts.value(p.y()).transcript);
}
