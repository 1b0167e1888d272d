#include "BackgroundWork.h"

BackgroundWork::BackgroundWork(int maxThreads, QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(maxThreads);
    // The pool's threads stay for the app's life: a new thread per message click is waste.
    m_pool.setExpiryTimeout(-1);
}

BackgroundWork::~BackgroundWork()
{
    m_pool.clear();
    m_pool.waitForDone();
}

void BackgroundWork::waitForDone()
{
    m_pool.waitForDone();
}
