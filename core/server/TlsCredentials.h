#pragma once

#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <optional>

// The certificate and key smtpeek presents for STARTTLS and implicit TLS: the user's own PEM
// files, or a self-signed pair generated once and kept in the app data folder.
struct TlsCredentials
{
    QSslCertificate certificate;
    QSslKey key;

    static std::optional<TlsCredentials> load(const QString &certificatePath,
                                              const QString &keyPath, QString *error);
    // Loads the pair in `folder`, or generates it there (key readable by the user only), with
    // subject alternative names for hostname, localhost, 127.0.0.1 and ::1.
    static std::optional<TlsCredentials> loadOrCreateSelfSigned(const QString &folder,
                                                                const QString &hostname,
                                                                QString *error);
    static QString defaultFolder();

    QString sha256Fingerprint() const; // "AB:CD:…"
    QSslConfiguration serverConfiguration() const;
};

// Makes a self-signed certificate with the OpenSSL 3 API. PEM certificate and key, or an error.
struct GeneratedCertificate
{
    QByteArray certificatePem;
    QByteArray keyPem;
};
std::optional<GeneratedCertificate> generateSelfSignedCertificate(const QString &hostname,
                                                                  QString *error);
