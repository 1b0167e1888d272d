#include "MessageRateMeter.h"

MessageRateMeter::MessageRateMeter(QObject *parent) : QObject(parent)
{
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        const int rate = std::exchange(m_counting, 0);
        if (rate != m_rate) {
            m_rate = rate;
            Q_EMIT rateChanged(rate);
        }
    });
    m_tick.start();
}

void MessageRateMeter::add(int count)
{
    m_counting += count;
}
