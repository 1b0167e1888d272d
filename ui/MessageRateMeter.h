#pragma once

#include <QObject>
#include <QTimer>

// Messages per second, over the last full second, for the status bar.
class MessageRateMeter : public QObject
{
    Q_OBJECT
public:
    explicit MessageRateMeter(QObject *parent = nullptr);

    void add(int count);
    int rate() const { return m_rate; }

Q_SIGNALS:
    void rateChanged(int perSecond);

private:
    QTimer m_tick;
    int m_counting = 0;
    int m_rate = 0;
};
