#include "ReleaseDialog.h"

#include "relay/DeliveryQueue.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QRegularExpression>

ReleaseDialog::ReleaseDialog(DeliveryQueue *relay, const QList<qint64> &messageIds,
                             const QList<QByteArray> &recipients, QWidget *parent)
    : QDialog(parent), m_relay(relay), m_messageIds(messageIds),
      m_rules(relay->settings().allowedRecipients, relay->settings().blockedRecipients),
      m_recipients(new QLineEdit(this)), m_status(new QLabel(this)),
      m_buttons(new QDialogButtonBox(QDialogButtonBox::Cancel, this)),
      m_release(m_buttons->addButton(tr("&Release"), QDialogButtonBox::AcceptRole))
{
    setWindowTitle(messageIds.size() == 1 ? tr("Release message")
                                          : tr("Release %1 messages").arg(messageIds.size()));
    QStringList prefilled;
    for (const QByteArray &address : recipients)
        prefilled.append(QString::fromUtf8(address));
    m_recipients->setText(prefilled.join(QStringLiteral(", ")));
    m_recipients->setMinimumWidth(420);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QFormLayout(this);
    layout->addRow(tr("Relay:"), new QLabel(relay->settings().target.address(), this));
    layout->addRow(tr("&To:"), m_recipients);
    layout->addRow(m_status);
    layout->addRow(m_buttons);

    connect(m_recipients, &QLineEdit::textChanged, this, &ReleaseDialog::validate);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_release, &QPushButton::clicked, this, &ReleaseDialog::release);
    validate();
}

QList<QByteArray> ReleaseDialog::recipients() const
{
    static const QRegularExpression separators(QStringLiteral("[,;\\s]+"));
    QList<QByteArray> list;
    for (const QString &address : m_recipients->text().split(separators, Qt::SkipEmptyParts)) {
        if (!list.contains(address.toUtf8()))
            list.append(address.toUtf8());
    }
    return list;
}

QString ReleaseDialog::problem() const
{
    const QList<QByteArray> addresses = recipients();
    if (addresses.isEmpty())
        return tr("Enter at least one recipient.");
    for (const QByteArray &address : addresses) {
        const QString why = m_rules.problem(address);
        if (!why.isEmpty())
            return why;
    }
    return {};
}

void ReleaseDialog::validate()
{
    const QString why = problem();
    m_status->setText(why);
    m_release->setEnabled(why.isEmpty());
}

void ReleaseDialog::release()
{
    m_release->setEnabled(false);
    m_recipients->setReadOnly(true);
    m_status->setText(tr("Sending to %1…").arg(m_relay->settings().target.address()));
    const QPointer<ReleaseDialog> guard(this);
    for (qint64 id : m_messageIds) {
        // Answered in the queue's thread; shown in this one, if the dialog is still there.
        m_relay->release(id, recipients(), [guard](const DeliveryRecord &delivery) {
            QMetaObject::invokeMethod(guard.data(), [guard, delivery] {
                if (guard)
                    guard->answered(delivery);
            });
        });
    }
}

void ReleaseDialog::answered(const DeliveryRecord &delivery)
{
    ++m_answers;
    if (delivery.status == DeliveryRecord::Status::Delivered)
        ++m_delivered;
    else
        m_failures.append(delivery.attempts.isEmpty() ? tr("not sent")
                                                      : delivery.attempts.constLast().reason);
    if (m_answers < m_messageIds.size())
        return;
    m_status->setText(m_failures.isEmpty() ? tr("Delivered: the upstream accepted %n message(s).",
                                                nullptr, m_delivered)
                                           : tr("%1 of %2 delivered. %3")
                                                 .arg(m_delivered)
                                                 .arg(m_messageIds.size())
                                                 .arg(m_failures.join(QLatin1Char('\n'))));
    m_buttons->button(QDialogButtonBox::Cancel)->setText(tr("Close"));
    Q_EMIT finished(m_delivered, int(m_messageIds.size()));
}
