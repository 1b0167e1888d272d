#pragma once

#include <QByteArray>
#include <QMutex>
#include <QObject>

#include <cstdio>

// The headless log. Lines may come from any thread (sessions, the store's writer) and are
// written together a moment later by the thread that owns the writer: one write per line, or one
// wake-up of the owning thread per line, cost more than the SMTP work the lines describe.
class LogWriter : public QObject
{
    Q_OBJECT
public:
    explicit LogWriter(FILE *out, QObject *parent = nullptr);
    ~LogWriter() override; // writes what is still pending

    void append(const QString &line); // thread-safe
    void flush();                     // in the owning thread

private:
    static constexpr int kFlushDelayMs = 50;

    FILE *m_out;
    QMutex m_lock;
    QByteArray m_pending;
    bool m_flushScheduled = false;
};
