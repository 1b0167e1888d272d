#pragma once

#include "Options.h"

#include <QObject>

class MessageStore;
class SmtpService;

// The headless mode: serves SMTP, prints one line per session start/end and per stored
// message, and stops gracefully on request.
class HeadlessRunner : public QObject
{
    Q_OBJECT
public:
    HeadlessRunner(const AppOptions &options, MessageStore *store, QObject *parent = nullptr);

    bool start(QString *error);
    // Sessions get 421, the store is flushed, then the application quits with exit code 0.
    void stop();

private:
    void connectLog();

    AppOptions m_options;
    MessageStore *m_store;
    SmtpService *m_service;
    bool m_stopping = false;
};
