#pragma once

#include "LogWriter.h"
#include "Options.h"

#include <QObject>

#include <memory>

class ApiServer;
class DeliveryQueue;
class MessageStore;
class Pop3Service;
struct SessionConfig;
class RuleEngine;
class SmtpService;

// The headless mode: serves SMTP, prints one line per session start/end and per stored
// message, and stops gracefully on request.
class HeadlessRunner : public QObject
{
    Q_OBJECT
public:
    HeadlessRunner(const AppOptions &options, MessageStore *store, QObject *parent = nullptr);
    ~HeadlessRunner() override;

    bool start(QString *error);
    // Sessions get 421, the store is flushed, then the application quits with exit code 0.
    void stop();

private:
    void connectLog();
    void stopEventSources();
    void startRelay();
    bool startPop3(const SessionConfig &smtp, QString *error);
    bool startApi(QString *error);

    AppOptions m_options;
    MessageStore *m_store;
    SmtpService *m_service;
    std::shared_ptr<RuleEngine> m_rules;
    LogWriter m_log;
    bool m_stopping = false;
    std::unique_ptr<DeliveryQueue> m_relay; // with --relay
    std::unique_ptr<Pop3Service> m_pop3;    // with --pop3
    std::unique_ptr<ApiServer> m_api;
};
