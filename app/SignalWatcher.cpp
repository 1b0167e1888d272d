#include "SignalWatcher.h"

#include <csignal>

#ifdef Q_OS_WIN
#include <atomic>
#include <windows.h>

namespace {
std::atomic<SignalWatcher *> g_watcher{nullptr};

// Windows runs console handlers in a thread of their own: the request is queued to the watcher.
BOOL WINAPI onConsoleEvent(DWORD event)
{
    SignalWatcher *watcher = g_watcher.load();
    if (!watcher || (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT))
        return FALSE;
    const int signalNumber = event == CTRL_C_EVENT ? SIGINT : SIGTERM;
    QMetaObject::invokeMethod(
        watcher, [watcher, signalNumber] { Q_EMIT watcher->terminationRequested(signalNumber); },
        Qt::QueuedConnection);
    return TRUE;
}
} // namespace

SignalWatcher::SignalWatcher(QObject *parent) : QObject(parent)
{
    g_watcher = this;
    SetConsoleCtrlHandler(onConsoleEvent, TRUE);
}

SignalWatcher::~SignalWatcher()
{
    SetConsoleCtrlHandler(onConsoleEvent, FALSE);
    g_watcher = nullptr;
}

#else // POSIX

#include <QSocketNotifier>

#include <sys/socket.h>
#include <unistd.h>

namespace {
int g_pipe[2] = {-1, -1};

void onSignal(int signalNumber)
{
    const char byte = char(signalNumber);
    [[maybe_unused]] const ssize_t written = ::write(g_pipe[1], &byte, 1);
}
} // namespace

SignalWatcher::SignalWatcher(QObject *parent) : QObject(parent)
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, g_pipe) != 0)
        return;
    auto *notifier = new QSocketNotifier(g_pipe[0], QSocketNotifier::Read, this);
    connect(notifier, &QSocketNotifier::activated, this, [this] {
        char byte = 0;
        if (::read(g_pipe[0], &byte, 1) == 1)
            Q_EMIT terminationRequested(int(byte));
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

SignalWatcher::~SignalWatcher()
{
    // The process is on its way out: a repeated Ctrl-C must not kill it half-way.
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
}

#endif
