#pragma once

#include "protocol/SmtpReply.h"

#include <QByteArray>
#include <QHash>
#include <optional>

// One SASL authentication exchange of RFC 4954 (PLAIN, LOGIN, CRAM-MD5), as a pure state
// machine: it is fed the AUTH argument and each client response line, and answers with the next
// 334 challenge or with the outcome. Checking the credentials is the caller's policy.
class SaslExchange
{
public:
    enum class Mechanism { Plain, Login, CramMd5 };

    struct Credentials
    {
        QByteArray user;
        QByteArray password;       // PLAIN and LOGIN
        QByteArray challenge;      // CRAM-MD5: what the server sent
        QByteArray responseDigest; // CRAM-MD5: the client's hex HMAC-MD5
    };

    struct Step
    {
        std::optional<SmtpReply> challenge;     // send this 334 and wait for a response line
        std::optional<Credentials> credentials; // the exchange is complete: check these
        std::optional<SmtpReply> error;         // the exchange failed (syntax or cancel)
    };

    static std::optional<Mechanism> mechanismFromName(const QByteArray &name);
    static QList<QByteArray> mechanismNames();

    // `argument` is what follows "AUTH ": the mechanism and an optional initial response.
    // `hostname` goes into the CRAM-MD5 challenge.
    Step start(const QByteArray &argument, const QByteArray &hostname);
    Step respond(const QByteArray &line);

    // Whether the CRAM-MD5 digest matches `password`.
    static bool cramMd5Matches(const Credentials &credentials, const QByteArray &password);
    // The lower-case hex HMAC-MD5 of `challenge` (decoded) keyed with `password` (RFC 2195).
    static QByteArray cramMd5Digest(const QByteArray &challenge, const QByteArray &password);

    // What transcripts show instead of a secret, unless the user asked to see secrets.
    static constexpr char kHiddenCredentials[] = "[credentials hidden]";

private:
    Step consume(const QByteArray &decoded);
    static std::optional<QByteArray> decodeBase64(const QByteArray &text);

    Mechanism m_mechanism = Mechanism::Plain;
    int m_step = 0;
    Credentials m_credentials;
};
