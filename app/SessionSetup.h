#pragma once

#include "Options.h"

#include "server/SmtpSession.h"

// Turns the command line's TLS, AUTH and limit options into what every session is configured
// with: loads or generates the certificate, reads the user list.
std::optional<SessionConfig> sessionConfigFromOptions(const AppOptions &options, QString *error,
                                                      QString *tlsFingerprint);
