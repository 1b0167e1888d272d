#pragma once

#include "records/Records.h"

#include <QWidget>

class QFormLayout;

// What the SMTP transaction said about a message: MAIL FROM and its parameters, every RCPT,
// HELO, peer, TLS and AUTH, and a link to its session.
class EnvelopePane : public QWidget
{
    Q_OBJECT
public:
    explicit EnvelopePane(QWidget *parent = nullptr);

    void setMessage(const MessageRecord &message);
    // A message opened from a file has no envelope.
    void setFile(const QString &path);
    void clear();
    // The shown fields as "Label: value" lines, for tests and copying.
    QString text() const;

Q_SIGNALS:
    void sessionRequested(qint64 sessionId);

private:
    void addRow(const QString &label, const QString &value, bool rich = false);

    QFormLayout *m_form;
};
