#include "LogWriter.h"

#include <QTimer>

LogWriter::LogWriter(FILE *out, QObject *parent) : QObject(parent), m_out(out) {}

LogWriter::~LogWriter()
{
    flush();
}

void LogWriter::append(const QString &line)
{
    const QByteArray bytes = line.toUtf8();
    QMutexLocker locker(&m_lock);
    m_pending += bytes;
    m_pending += '\n';
    if (std::exchange(m_flushScheduled, true))
        return;
    locker.unlock();
    QMetaObject::invokeMethod(
        this, [this] { QTimer::singleShot(kFlushDelayMs, this, &LogWriter::flush); },
        Qt::QueuedConnection);
}

void LogWriter::flush()
{
    QByteArray bytes;
    {
        QMutexLocker locker(&m_lock);
        bytes.swap(m_pending);
        m_flushScheduled = false;
    }
    if (bytes.isEmpty())
        return;
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), m_out);
    std::fflush(m_out);
}
