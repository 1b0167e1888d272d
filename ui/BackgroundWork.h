#pragma once

#include <QObject>
#include <QThreadPool>

#include <functional>
#include <memory>

// Runs work off the GUI thread and hands each result back in the thread of this object.
// The destructor waits for running work, so a result never arrives at a destroyed receiver and
// work never outlives what it captured from the receiver's owner (the store, for instance).
class BackgroundWork : public QObject
{
    Q_OBJECT
public:
    explicit BackgroundWork(int maxThreads = 1, QObject *parent = nullptr);
    ~BackgroundWork() override;

    template <typename Result>
    void run(std::function<Result()> work, std::function<void(const Result &)> done)
    {
        m_pool.start([this, work = std::move(work), done = std::move(done)] {
            auto result = std::make_shared<const Result>(work());
            QMetaObject::invokeMethod(
                this, [done, result] { done(*result); }, Qt::QueuedConnection);
        });
    }

    // Blocks until every queued piece of work has run (tests, shutdown).
    void waitForDone();

private:
    QThreadPool m_pool;
};
