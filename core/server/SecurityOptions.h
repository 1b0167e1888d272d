#pragma once

#include "server/SmtpSession.h"

#include <QString>

// The TLS and AUTH a server offers, as the command line or the desktop settings say it; one
// function turns either into session configuration.
struct SecurityOptions
{
    QString tlsCertificate; // PEM files; or tlsAuto for a generated self-signed pair
    QString tlsKey;
    bool tlsAuto = false;
    bool requireTls = false;
    QString auth = QStringLiteral("any"); // any | off | users:FILE
    bool requireAuth = false;
    bool authOverTlsOnly = false;
    bool showSecrets = false; // AUTH secrets unmasked in transcripts

    bool tlsConfigured() const { return tlsAuto || !tlsCertificate.isEmpty(); }
    bool operator==(const SecurityOptions &o) const;
    bool operator!=(const SecurityOptions &o) const { return !(*this == o); }
};

// Loads or creates the certificate (its SHA-256 fingerprint into *fingerprint) and reads the
// user list into `config`. False with a reason when a file cannot be used.
bool applySecurityOptions(const SecurityOptions &options, const QString &hostname,
                          SessionConfig *config, QString *error, QString *fingerprint);
