#include "MessageBudget.h"

#include <limits>

bool MessageBudget::tryTake(qint64 bytes)
{
    qint64 used = m_used.load(std::memory_order_relaxed);
    do {
        if (m_capacity > 0 && (used + bytes > m_capacity || used >= m_capacity))
            return false;
    } while (!m_used.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
    return true;
}

void MessageBudget::give(qint64 bytes)
{
    m_used.fetch_sub(bytes, std::memory_order_relaxed);
}

qint64 MessageBudget::left() const
{
    if (m_capacity <= 0)
        return std::numeric_limits<qint64>::max();
    return std::max<qint64>(0, m_capacity - used());
}
