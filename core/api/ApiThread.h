#pragma once

#include "ApiSettings.h"

#include <QObject>
#include <QThread>

#include <functional>
#include <memory>

class ApiServer;
struct ApiSources;

// Runs the API in a thread of its own, for the desktop: its GUI thread paints, lays out and fills
// the lists, and an HTTP request or event queued behind that work waited for it (a 15 ms socket
// event was measured there), while a busy API client slowed the window down. Headless, the main
// thread has nothing else to do and runs the API itself.
class ApiThread
{
public:
    ApiThread();
    ~ApiThread(); // the server is deleted in its own thread, then the thread ends

    // As startApiServer(), with the server made, run and deleted in the API's thread. False when
    // the API is disabled, or when it cannot listen (then *error says why).
    bool start(const ApiSettings &settings, const ApiSources &sources, QString *error);
    // Calls `show` in the thread of `context` for each failed webhook request (after start()).
    void connectWebhookFailures(QObject *context, std::function<void(const QString &)> show);
    bool isRunning() const { return m_server != nullptr; }
    quint16 port() const { return m_port; } // the bound port while running

private:
    QThread m_thread;
    QObject m_anchor;                    // lives in m_thread: the context that runs code there
    std::unique_ptr<ApiServer> m_server; // made, used and deleted in m_thread only
    quint16 m_port = 0;
};
