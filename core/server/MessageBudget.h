#pragma once

#include <QtGlobal>

#include <atomic>

// The octets of messages in flight over every session of a server: bodies being received and
// messages waiting for the store. Sessions take from it as their message grows and give back
// once the store has answered, so that many large messages at once cannot exhaust memory.
// Thread-safe.
class MessageBudget
{
public:
    explicit MessageBudget(qint64 capacity) : m_capacity(capacity) {} // 0: no limit

    // Takes `bytes` if they fit in what is left; zero bytes fit while anything is left.
    bool tryTake(qint64 bytes);
    void give(qint64 bytes);

    qint64 capacity() const { return m_capacity; }
    qint64 used() const { return m_used.load(std::memory_order_relaxed); }
    // What is left; the capacity's maximum when there is no limit.
    qint64 left() const;

private:
    const qint64 m_capacity;
    std::atomic<qint64> m_used{0};
};
