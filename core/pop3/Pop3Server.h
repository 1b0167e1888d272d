#pragma once

#include "pop3/Pop3Session.h"

#include <QHostAddress>
#include <QMutex>
#include <QSet>
#include <QTcpServer>
#include <QThread>

// Accepts POP3 connections and gives each its own Pop3Session, all in the thread it lives in.
class Pop3Server : public QTcpServer
{
    Q_OBJECT
public:
    Pop3Server(MessageStore *store, const Pop3Config &config, QObject *parent = nullptr);
    void stop(); // stops listening and ends every session

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    MessageStore *m_store;
    Pop3Config m_config;
    QSet<Pop3Session *> m_sessions;
    static constexpr int kMaxSessions = 100;
};

// Runs a Pop3Server in a thread of its own (as SmtpService runs SMTP), so that no session
// waits on the window or the API; start and stop from any thread, the address from any thread.
class Pop3Service : public QObject
{
    Q_OBJECT
public:
    explicit Pop3Service(MessageStore *store, QObject *parent = nullptr);
    ~Pop3Service() override;

    // Blocks until it listens or has failed (a reason in *error).
    bool start(const QHostAddress &address, quint16 port, const Pop3Config &config, QString *error);
    void stop();
    bool isListening() const;
    QString address() const; // "127.0.0.1:1110", empty when not listening

private:
    MessageStore *m_store;
    QThread m_thread;
    QObject m_threadAnchor; // lives in m_thread
    Pop3Server *m_server = nullptr;
    mutable QMutex m_lock;
    QString m_address;
};
