#include "SessionSetup.h"

#include "server/TlsCredentials.h"

std::optional<SessionConfig> sessionConfigFromOptions(const AppOptions &options, QString *error,
                                                      QString *tlsFingerprint)
{
    SessionConfig config;
    config.hostname = options.hostname.toUtf8();
    config.limits = options.limits;
    config.requireTls = options.requireTls;

    std::optional<TlsCredentials> credentials;
    if (!options.tlsCertificate.isEmpty())
        credentials = TlsCredentials::load(options.tlsCertificate, options.tlsKey, error);
    else if (options.tlsAuto)
        credentials = TlsCredentials::loadOrCreateSelfSigned(TlsCredentials::defaultFolder(),
                                                             options.hostname, error);
    if ((options.tlsAuto || !options.tlsCertificate.isEmpty()) && !credentials)
        return std::nullopt;
    if (credentials) {
        config.tls = credentials->serverConfiguration();
        *tlsFingerprint = credentials->sha256Fingerprint();
    }

    if (options.auth == u"off") {
        config.auth.mode = AuthPolicy::Mode::Off;
    } else if (options.auth.startsWith(u"users:")) {
        config.auth.mode = AuthPolicy::Mode::Users;
        if (!AuthPolicy::loadUsers(options.auth.mid(6), &config.auth.users, error))
            return std::nullopt;
    }
    config.auth.required = options.requireAuth;
    config.auth.onlyOverTls = options.authOverTlsOnly;
    config.auth.maskSecrets = !options.showSecrets;
    return config;
}
