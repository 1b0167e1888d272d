#include "ServerStatusBar.h"

#include <QLabel>

ServerStatusBar::ServerStatusBar(QWidget *parent)
    : QStatusBar(parent), m_listening(new QLabel(this)), m_counts(new QLabel(this)),
      m_unread(new QLabel(this)), m_rate(new QLabel(this))
{
    addWidget(m_listening);
    addPermanentWidget(m_counts);
    addPermanentWidget(m_unread);
    addPermanentWidget(m_rate);
    setListening(false, QString());
    setCounts(0, 0);
    setUnread(0);
    setRate(0);
}

void ServerStatusBar::setListening(bool listening, const QString &address)
{
    m_listening->setText(listening ? tr("<span style='color:#2e7d32'>●</span> Listening on %1")
                                         .arg(address.toHtmlEscaped())
                                   : tr("<span style='color:#9e9e9e'>●</span> Stopped"));
}

void ServerStatusBar::setCounts(int messages, int sessions)
{
    m_counts->setText(tr("%L1 messages · %L2 sessions").arg(messages).arg(sessions));
}

void ServerStatusBar::setUnread(int unread)
{
    m_unread->setText(tr(" · %L1 unread").arg(unread));
}

void ServerStatusBar::setRate(int perSecond)
{
    m_rate->setText(tr(" · %L1 msg/s").arg(perSecond));
}

QString ServerStatusBar::listeningText() const
{
    return m_listening->text();
}
QString ServerStatusBar::countsText() const
{
    return m_counts->text();
}
