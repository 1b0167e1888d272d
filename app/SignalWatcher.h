#pragma once

#include <QObject>

// Turns a request to stop into a Qt signal: SIGINT and SIGTERM through a self-pipe (the only
// safe way out of a POSIX signal handler); on Windows, Ctrl+C and Ctrl+Break in the console.
class SignalWatcher : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signalNumber);
};
