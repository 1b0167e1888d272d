#pragma once

#include "records/DeliveryRecord.h"
#include "relay/RecipientRules.h"

#include <QDialog>

class DeliveryQueue;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;

// "Release…": sends one or more captured messages to recipients the user chooses (prefilled
// from their envelopes), through the configured relay. The addresses are checked against
// --relay-allowed and --relay-blocked as they are typed; the dialog stays open until the
// upstream has answered, and shows what it said.
class ReleaseDialog : public QDialog
{
    Q_OBJECT
public:
    ReleaseDialog(DeliveryQueue *relay, const QList<qint64> &messageIds,
                  const QList<QByteArray> &recipients, QWidget *parent = nullptr);

    // The typed addresses, split on commas, semicolons and spaces.
    QList<QByteArray> recipients() const;
    // Why the addresses cannot be released to; empty when they can.
    QString problem() const;

    QLineEdit *recipientsField() const { return m_recipients; }
    QPushButton *releaseButton() const { return m_release; }
    QLabel *statusLabel() const { return m_status; }

Q_SIGNALS:
    void finished(int delivered, int total); // every message has its answer

private:
    void validate();
    void release();
    void answered(const DeliveryRecord &delivery);

    DeliveryQueue *m_relay;
    const QList<qint64> m_messageIds;
    const RecipientRules m_rules;
    QLineEdit *m_recipients;
    QLabel *m_status;
    QDialogButtonBox *m_buttons;
    QPushButton *m_release;
    int m_answers = 0;
    int m_delivered = 0;
    QStringList m_failures;
};
