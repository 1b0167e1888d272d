#include "TlsCredentials.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace {
template <auto Free> struct OpenSslFree
{
    template <typename T> void operator()(T *p) const { Free(p); }
};
using EvpKey = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO_free_all>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslFree<X509_EXTENSION_free>>;

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

bool addExtension(X509 *certificate, int nid, const QByteArray &value)
{
    X509V3_CTX context;
    X509V3_set_ctx_nodb(&context);
    X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
    ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.constData()));
    return extension && X509_add_ext(certificate, extension.get(), -1) == 1;
}

bool writePrivateFile(const QString &path, const QByteArray &bytes, bool secret, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    if (secret)
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    if (file.write(bytes) != bytes.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}
} // namespace

std::optional<GeneratedCertificate> generateSelfSignedCertificate(const QString &hostname,
                                                                  QString *error)
{
    EvpKey key(EVP_EC_gen("P-256"));
    X509Ptr certificate(X509_new());
    if (!key || !certificate) {
        *error = QStringLiteral("OpenSSL could not generate a key");
        return std::nullopt;
    }
    X509_set_version(certificate.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()),
                     long(QDateTime::currentSecsSinceEpoch() & 0x7fffffff));
    X509_gmtime_adj(X509_getm_notBefore(certificate.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 10L * 365 * 24 * 3600);
    X509_set_pubkey(certificate.get(), key.get());
    X509_NAME *name = X509_get_subject_name(certificate.get());
    const QByteArray commonName = hostname.isEmpty() ? QByteArray("localhost") : hostname.toUtf8();
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>("smtpeek"), -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char *>(commonName.constData()), -1,
                               -1, 0);
    X509_set_issuer_name(certificate.get(), name);

    QByteArray altNames = "DNS:localhost,IP:127.0.0.1,IP:::1";
    if (!hostname.isEmpty() && hostname != u"localhost")
        altNames.prepend("DNS:" + hostname.toUtf8() + ',');
    const bool extended = addExtension(certificate.get(), NID_subject_alt_name, altNames) &&
                          addExtension(certificate.get(), NID_basic_constraints, "critical,CA:FALSE") &&
                          addExtension(certificate.get(), NID_ext_key_usage, "serverAuth");
    if (!extended || X509_sign(certificate.get(), key.get(), EVP_sha256()) == 0) {
        *error = QStringLiteral("OpenSSL could not sign the certificate");
        return std::nullopt;
    }

    BioPtr certificateBio(BIO_new(BIO_s_mem()));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_X509(certificateBio.get(), certificate.get()) ||
        !PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)) {
        *error = QStringLiteral("OpenSSL could not encode the certificate");
        return std::nullopt;
    }
    return GeneratedCertificate{bioBytes(certificateBio.get()), bioBytes(keyBio.get())};
}

std::optional<TlsCredentials> TlsCredentials::load(const QString &certificatePath,
                                                   const QString &keyPath, QString *error)
{
    QFile certificateFile(certificatePath);
    QFile keyFile(keyPath);
    if (!certificateFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the certificate %1: %2")
                     .arg(certificatePath, certificateFile.errorString());
        return std::nullopt;
    }
    if (!keyFile.open(QIODevice::ReadOnly)) {
        *error = QStringLiteral("cannot read the key %1: %2").arg(keyPath, keyFile.errorString());
        return std::nullopt;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificateFile.readAll());
    const QByteArray keyPem = keyFile.readAll();
    TlsCredentials credentials;
    for (QSsl::KeyAlgorithm algorithm : {QSsl::Ec, QSsl::Rsa}) {
        credentials.key = QSslKey(keyPem, algorithm, QSsl::Pem, QSsl::PrivateKey);
        if (!credentials.key.isNull())
            break;
    }
    if (chain.isEmpty() || chain.first().isNull()) {
        *error = QStringLiteral("%1 holds no PEM certificate").arg(certificatePath);
        return std::nullopt;
    }
    if (credentials.key.isNull()) {
        *error = QStringLiteral("%1 holds no unencrypted PEM EC or RSA private key").arg(keyPath);
        return std::nullopt;
    }
    credentials.certificate = chain.first();
    return credentials;
}

QString TlsCredentials::defaultFolder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
        .filePath(QStringLiteral("tls"));
}

std::optional<TlsCredentials> TlsCredentials::loadOrCreateSelfSigned(const QString &folder,
                                                                     const QString &hostname,
                                                                     QString *error)
{
    const QDir dir(folder);
    const QString certificatePath = dir.filePath(QStringLiteral("smtpeek-cert.pem"));
    const QString keyPath = dir.filePath(QStringLiteral("smtpeek-key.pem"));
    if (QFile::exists(certificatePath) && QFile::exists(keyPath))
        return load(certificatePath, keyPath, error);
    if (!QDir().mkpath(folder)) {
        *error = QStringLiteral("cannot create the folder %1").arg(folder);
        return std::nullopt;
    }
    const auto generated = generateSelfSignedCertificate(hostname, error);
    if (!generated || !writePrivateFile(keyPath, generated->keyPem, true, error) ||
        !writePrivateFile(certificatePath, generated->certificatePem, false, error))
        return std::nullopt;
    return load(certificatePath, keyPath, error);
}

QString TlsCredentials::sha256Fingerprint() const
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

QSslConfiguration TlsCredentials::serverConfiguration() const
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(certificate);
    configuration.setPrivateKey(key);
    configuration.setProtocol(QSsl::TlsV1_2OrLater);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    return configuration;
}
