#include "SaslExchange.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

namespace {
SmtpReply challenge(const QByteArray &text) { return SmtpReply{334, {}, {text.toBase64()}}; }
SmtpReply malformed() { return SmtpReply{501, "5.5.2", {"Cannot decode the response"}}; }
SmtpReply cancelled() { return SmtpReply{501, "5.7.0", {"Authentication cancelled"}}; }
} // namespace

std::optional<SaslExchange::Mechanism> SaslExchange::mechanismFromName(const QByteArray &name)
{
    const QByteArray upper = name.toUpper();
    if (upper == "PLAIN")
        return Mechanism::Plain;
    if (upper == "LOGIN")
        return Mechanism::Login;
    if (upper == "CRAM-MD5")
        return Mechanism::CramMd5;
    return std::nullopt;
}

QList<QByteArray> SaslExchange::mechanismNames() { return {"PLAIN", "LOGIN", "CRAM-MD5"}; }

std::optional<QByteArray> SaslExchange::decodeBase64(const QByteArray &text)
{
    if (text == "=") // RFC 4954: an empty initial response
        return QByteArray();
    const auto result = QByteArray::fromBase64Encoding(
        text, QByteArray::Base64Encoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!result)
        return std::nullopt;
    return *result;
}

SaslExchange::Step SaslExchange::start(const QByteArray &argument, const QByteArray &hostname)
{
    const QList<QByteArray> words = argument.split(' ');
    const auto mechanism = mechanismFromName(words.value(0));
    if (!mechanism || words.size() > 2) {
        Step step;
        step.error = mechanism ? Reply::syntax("AUTH mechanism [initial-response]")
                               : SmtpReply{504, "5.5.4", {"Unrecognized authentication type"}};
        return step;
    }
    m_mechanism = *mechanism;
    m_step = 0;
    m_credentials = Credentials{};
    if (m_mechanism == Mechanism::CramMd5) {
        if (words.size() == 2) {
            Step step;
            step.error = Reply::syntax("AUTH CRAM-MD5 takes no initial response");
            return step;
        }
        m_credentials.challenge = '<' + QByteArray::number(QRandomGenerator::global()->generate()) +
                                  '.' + QByteArray::number(QDateTime::currentSecsSinceEpoch()) +
                                  '@' + hostname + '>';
        return Step{challenge(m_credentials.challenge), {}, {}};
    }
    if (words.size() == 2)
        return respond(words[1]);
    return Step{challenge(m_mechanism == Mechanism::Login ? "Username:" : ""), {}, {}};
}

SaslExchange::Step SaslExchange::respond(const QByteArray &line)
{
    Step step;
    if (line == "*") {
        step.error = cancelled();
        return step;
    }
    const auto decoded = decodeBase64(line);
    if (!decoded) {
        step.error = malformed();
        return step;
    }
    return consume(*decoded);
}

SaslExchange::Step SaslExchange::consume(const QByteArray &decoded)
{
    Step step;
    switch (m_mechanism) {
    case Mechanism::Plain: {
        // authzid NUL authcid NUL passwd (RFC 4616)
        const QList<QByteArray> fields = decoded.split('\0');
        if (fields.size() != 3 || fields[1].isEmpty()) {
            step.error = malformed();
            return step;
        }
        m_credentials.user = fields[1];
        m_credentials.password = fields[2];
        step.credentials = m_credentials;
        return step;
    }
    case Mechanism::Login:
        if (m_step++ == 0) {
            m_credentials.user = decoded;
            step.challenge = challenge("Password:");
            return step;
        }
        m_credentials.password = decoded;
        step.credentials = m_credentials;
        return step;
    case Mechanism::CramMd5: {
        const qsizetype space = decoded.lastIndexOf(' ');
        if (space <= 0) {
            step.error = malformed();
            return step;
        }
        m_credentials.user = decoded.left(space);
        m_credentials.responseDigest = decoded.mid(space + 1).toLower();
        step.credentials = m_credentials;
        return step;
    }
    }
    return step;
}

bool SaslExchange::cramMd5Matches(const Credentials &credentials, const QByteArray &password)
{
    return cramMd5Digest(credentials.challenge, password) == credentials.responseDigest;
}

QByteArray SaslExchange::cramMd5Digest(const QByteArray &challenge, const QByteArray &password)
{
    return QMessageAuthenticationCode::hash(challenge, password, QCryptographicHash::Md5).toHex();
}
