#pragma once

#include "protocol/SaslExchange.h"

#include <QHash>
#include <QString>

// Who may authenticate, and what AUTH is required for. By default any credentials are accepted
// and recorded: smtpeek is a development tool, the point is to see what the application sent.
struct AuthPolicy
{
    enum class Mode { Off, Any, Users };

    Mode mode = Mode::Any;
    QHash<QByteArray, QByteArray> users; // user -> password, for Mode::Users
    bool required = false;   // MAIL before AUTH gets 530 5.7.0
    bool onlyOverTls = false; // AUTH before STARTTLS gets 538 5.7.11
    bool maskSecrets = true; // the transcript shows "[credentials hidden]"

    bool enabled() const { return mode != Mode::Off; }
    bool accepts(const SaslExchange::Credentials &credentials) const;

    // "user:password" per line; blank lines and lines starting with '#' are skipped.
    static bool loadUsers(const QString &path, QHash<QByteArray, QByteArray> *users,
                          QString *error);
};
