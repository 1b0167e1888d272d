#include "EnvelopePane.h"

#include <QDateTime>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>

EnvelopePane::EnvelopePane(QWidget *parent) : QWidget(parent), m_form(new QFormLayout(this))
{
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->setLabelAlignment(Qt::AlignRight | Qt::AlignTop);
}

void EnvelopePane::clear()
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
}

void EnvelopePane::addRow(const QString &label, const QString &value, bool rich)
{
    auto *field = new QLabel(this);
    field->setTextFormat(rich ? Qt::RichText : Qt::PlainText);
    field->setText(value);
    field->setWordWrap(true);
    field->setTextInteractionFlags(rich ? Qt::TextBrowserInteraction : Qt::TextSelectableByMouse);
    if (rich) {
        connect(field, &QLabel::linkActivated, this, [this](const QString &link) {
            Q_EMIT sessionRequested(link.section(u':', 1).toLongLong());
        });
    }
    m_form->addRow(label + u':', field);
}

void EnvelopePane::setMessage(const MessageRecord &m)
{
    clear();
    const Envelope &e = m.envelope;
    addRow(tr("MAIL FROM"), e.mailFrom.isEmpty()
                                ? tr("<> (null sender)")
                                : QStringLiteral("<%1>").arg(QString::fromUtf8(e.mailFrom)));
    QStringList recipients;
    for (const QByteArray &rcpt : e.rcptTo)
        recipients.append(QStringLiteral("<%1>").arg(QString::fromUtf8(rcpt)));
    addRow(tr("RCPT TO (%1)").arg(recipients.size()), recipients.join(u'\n'));
    QStringList parameters;
    if (e.body != Envelope::Body::Unspecified)
        parameters.append(QStringLiteral("BODY=") + envelopeBodyName(e.body));
    if (e.smtpUtf8)
        parameters.append(QStringLiteral("SMTPUTF8"));
    if (e.declaredSize >= 0)
        parameters.append(QStringLiteral("SIZE=%1").arg(e.declaredSize));
    if (!e.authParameter.isEmpty())
        parameters.append(QStringLiteral("AUTH=") + QString::fromUtf8(e.authParameter));
    addRow(tr("Parameters"), parameters.isEmpty() ? tr("none") : parameters.join(u' '));
    addRow(tr("HELO"), QString::fromUtf8(m.helo));
    addRow(tr("Peer"), QStringLiteral("%1:%2").arg(m.peerAddress).arg(m.peerPort));
    addRow(tr("TLS"), m.tls.protocol.isEmpty()
                          ? tr("none")
                          : QStringLiteral("%1, %2").arg(m.tls.protocol, m.tls.cipher));
    addRow(tr("AUTH"), m.authUser.isEmpty() ? tr("none") : m.authUser);
    addRow(tr("Received"),
           QLocale().toString(QDateTime::fromMSecsSinceEpoch(m.receivedMs), QLocale::LongFormat));
    addRow(tr("Size"), tr("%L1 bytes").arg(m.raw.size()));
    addRow(tr("Session"), QStringLiteral("<a href=\"session:%1\">Session #%1</a>").arg(m.sessionId),
           true);
}

void EnvelopePane::setFile(const QString &path)
{
    clear();
    addRow(tr("File"), path);
    addRow(tr("Envelope"), tr("none: this message was opened from a file, not received over SMTP"));
}

QString EnvelopePane::text() const
{
    QStringList lines;
    for (int row = 0; row < m_form->rowCount(); ++row) {
        auto *label = qobject_cast<QLabel *>(m_form->itemAt(row, QFormLayout::LabelRole)->widget());
        auto *field = qobject_cast<QLabel *>(m_form->itemAt(row, QFormLayout::FieldRole)->widget());
        if (label && field)
            lines.append(label->text() + u' ' + field->text());
    }
    return lines.join(u'\n');
}
