#include "SecurityOptions.h"

#include "server/TlsCredentials.h"

bool SecurityOptions::operator==(const SecurityOptions &o) const
{
    return tlsCertificate == o.tlsCertificate && tlsKey == o.tlsKey && tlsAuto == o.tlsAuto &&
           requireTls == o.requireTls && auth == o.auth && requireAuth == o.requireAuth &&
           authOverTlsOnly == o.authOverTlsOnly && showSecrets == o.showSecrets;
}

bool applySecurityOptions(const SecurityOptions &options, const QString &hostname,
                          SessionConfig *config, QString *error, QString *fingerprint)
{
    config->requireTls = options.requireTls;
    config->tls.reset();
    std::optional<TlsCredentials> credentials;
    if (!options.tlsCertificate.isEmpty())
        credentials = TlsCredentials::load(options.tlsCertificate, options.tlsKey, error);
    else if (options.tlsAuto)
        credentials = TlsCredentials::loadOrCreateSelfSigned(TlsCredentials::defaultFolder(),
                                                             hostname, error);
    if (options.tlsConfigured() && !credentials)
        return false;
    if (credentials) {
        config->tls = credentials->serverConfiguration();
        *fingerprint = credentials->sha256Fingerprint();
    }

    config->auth = AuthPolicy{};
    if (options.auth == u"off") {
        config->auth.mode = AuthPolicy::Mode::Off;
    } else if (options.auth.startsWith(u"users:")) {
        config->auth.mode = AuthPolicy::Mode::Users;
        if (!AuthPolicy::loadUsers(options.auth.mid(6), &config->auth.users, error))
            return false;
    }
    config->auth.required = options.requireAuth;
    config->auth.onlyOverTls = options.authOverTlsOnly;
    config->auth.maskSecrets = !options.showSecrets;
    return true;
}
