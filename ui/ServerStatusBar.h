#pragma once

#include <QStatusBar>

class QLabel;

// The window's status bar: listening state and address, message and session counts, unread
// count and the current messages per second.
class ServerStatusBar : public QStatusBar
{
    Q_OBJECT
public:
    explicit ServerStatusBar(QWidget *parent = nullptr);

    void setListening(bool listening, const QString &address);
    void setCounts(int messages, int sessions);
    void setUnread(int unread);
    void setRate(int perSecond);

    QString listeningText() const;
    QString countsText() const;

private:
    QLabel *m_listening;
    QLabel *m_counts;
    QLabel *m_unread;
    QLabel *m_rate;
};
