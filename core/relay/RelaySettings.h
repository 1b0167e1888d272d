#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

// Where smtpeek passes messages on to, and how. Parsed by core/config from --relay-* options.

// RFC 5321 4.5.3.2 asks for minutes; a development tool shortens them (all configurable).
struct RelayTimeouts
{
    int connectMs = 30'000;  // TCP connect and the TLS handshake
    int commandMs = 60'000;  // the greeting and every reply to a command
    int dataEndMs = 120'000; // the reply to the final "." or BDAT LAST
};

struct RelayTarget
{
    enum class Tls : quint8
    {
        Auto,     // STARTTLS when the upstream offers it
        StartTls, // STARTTLS or fail
        Smtps,    // implicit TLS from the first byte
        Off,      // plain text, even when STARTTLS is offered
    };

    QString host; // empty: no relay configured
    quint16 port = 25;
    Tls tls = Tls::Auto;
    bool insecure = false; // accept any certificate (self-signed upstreams), recorded per attempt
    QString user;          // empty: no AUTH
    QString password;
    QByteArray heloName; // empty: this machine's name
    RelayTimeouts timeouts;
    bool showSecrets = false; // AUTH lines unmasked in the outbound transcript

    bool configured() const { return !host.isEmpty(); }
    QString address() const;
};
QString relayTlsName(RelayTarget::Tls tls);

// What may be relayed, what is relayed without being asked, and how.
struct RelaySettings
{
    RelayTarget target;
    QByteArray returnPath; // --relay-from: MAIL FROM and Return-Path; empty: the captured sender
    QString allowedRecipients; // regular expression; empty: anyone
    QString blockedRecipients; // regular expression; empty: nobody
    bool relayAll = false;     // auto-relay every message to its envelope recipients
    QString relayMatching;     // auto-relay messages with a recipient matching this
    QList<QByteArray> forward; // send a copy of every message to these
    bool freshHeaders = false; // new Message-ID and Date in the copy (Mailpit does this)
    int retries = 5;           // further attempts after a temporary failure
    int retryDelayMs = 60'000; // before the first retry; doubles each time
    int retryMaxDelayMs = 3'600'000;

    bool automatic() const { return relayAll || !relayMatching.isEmpty() || !forward.isEmpty(); }
};
