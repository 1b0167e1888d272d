#include "DkimSignature.h"

namespace {

struct AlgorithmName
{
    const char *name;
    DkimAlgorithm algorithm;
    int hashSize;
};
const AlgorithmName kAlgorithms[] = {{"rsa-sha256", DkimAlgorithm::RsaSha256, 32},
                                     {"rsa-sha1", DkimAlgorithm::RsaSha1, 20},
                                     {"ed25519-sha256", DkimAlgorithm::Ed25519Sha256, 32}};

std::optional<DkimCanonicalization> canonicalizationNamed(QByteArrayView name)
{
    if (name == "simple")
        return DkimCanonicalization::Simple;
    if (name == "relaxed")
        return DkimCanonicalization::Relaxed;
    return std::nullopt;
}

QString text(QByteArrayView bytes)
{
    return QString::fromUtf8(bytes.first(qMin<qsizetype>(bytes.size(), 40)));
}

bool isSubdomainOrSame(QByteArrayView domain, QByteArrayView parent)
{
    return domain.compare(parent, Qt::CaseInsensitive) == 0 ||
           (domain.size() > parent.size() && domain[domain.size() - parent.size() - 1] == '.' &&
            domain.last(parent.size()).compare(parent, Qt::CaseInsensitive) == 0);
}

class SignatureReader
{
public:
    SignatureReader(QByteArrayView value, DkimSignatureKind kind) : m_kind(kind)
    {
        m_parse.signature.tags = parseTagList(value);
        if (!m_parse.signature.tags.error.isEmpty())
            m_parse.problems.append(m_parse.signature.tags.error);
    }

    DkimSignatureParse read()
    {
        if (!m_parse.ok())
            return m_parse;
        DkimSignature &s = m_parse.signature;
        const bool arc = m_kind == DkimSignatureKind::ArcMessageSignature;
        if (!arc) {
            if (const Tag *v = required("v"); v && v->value != "1")
                problem(QStringLiteral("unsupported version v=%1").arg(text(v->value)));
        }
        algorithm();
        if (const Tag *b = required("b")) {
            if (const auto decoded = decodeBase64Value(b->value); !decoded || decoded->isEmpty())
                problem(QStringLiteral("b= is not base64"));
            else
                s.signature = *decoded;
        }
        if (const Tag *bh = required("bh")) {
            if (const auto decoded = decodeBase64Value(bh->value); !decoded)
                problem(QStringLiteral("bh= is not base64"));
            else if (m_hashSize && decoded->size() != m_hashSize)
                problem(QStringLiteral("bh= has %1 bytes, %2 expected for %3")
                            .arg(decoded->size())
                            .arg(m_hashSize)
                            .arg(QString::fromLatin1(s.algorithmName)));
            else
                s.bodyHash = *decoded;
        }
        canonicalization();
        if (const Tag *d = required("d")) {
            s.domain = d->value.toLower();
            if (s.domain.isEmpty())
                problem(QStringLiteral("d= is empty"));
        }
        if (const Tag *selector = required("s")) {
            s.selector = selector->value;
            if (s.selector.isEmpty())
                problem(QStringLiteral("s= is empty"));
        }
        signedHeaders();
        if (arc)
            instance();
        else
            identity();
        s.bodyLength = number("l");
        s.timestamp = number("t");
        s.expiration = number("x");
        if (s.timestamp && s.expiration && *s.expiration < *s.timestamp)
            problem(QStringLiteral("x= is before t="));
        if (const Tag *q = s.tags.tag("q");
            q && !withoutWhiteSpace(q->value).split(':').contains("dns/txt"))
            problem(QStringLiteral("unsupported key query method q=%1").arg(text(q->value)));
        return m_parse;
    }

private:
    void problem(const QString &text) { m_parse.problems.append(text); }

    const Tag *required(const char *name)
    {
        const Tag *tag = m_parse.signature.tags.tag(name);
        if (!tag)
            problem(QStringLiteral("missing tag %1=").arg(QLatin1String(name)));
        return tag;
    }

    void algorithm()
    {
        const Tag *a = required("a");
        if (!a)
            return;
        m_parse.signature.algorithmName = a->value;
        for (const AlgorithmName &known : kAlgorithms) {
            if (a->value.compare(QByteArrayView(known.name), Qt::CaseInsensitive) == 0) {
                m_parse.signature.algorithm = known.algorithm;
                m_hashSize = known.hashSize;
                return;
            }
        }
        problem(QStringLiteral("unknown algorithm a=%1").arg(text(a->value)));
    }

    void canonicalization()
    {
        DkimSignature &s = m_parse.signature;
        const Tag *c = s.tags.tag("c");
        s.canonicalizationName = c ? c->value.toLower() : QByteArray("simple/simple");
        const QList<QByteArray> parts = s.canonicalizationName.split('/');
        const auto header = canonicalizationNamed(parts.value(0));
        const auto body = parts.size() > 1 ? canonicalizationNamed(parts.value(1))
                                           : std::optional(DkimCanonicalization::Simple);
        if (!header || !body || parts.size() > 2) {
            problem(
                QStringLiteral("unknown canonicalization c=%1").arg(text(s.canonicalizationName)));
            return;
        }
        if (parts.size() == 1)
            s.canonicalizationName += "/simple";
        s.headerCanonicalization = *header;
        s.bodyCanonicalization = *body;
    }

    void signedHeaders()
    {
        const Tag *h = required("h");
        if (!h)
            return;
        DkimSignature &s = m_parse.signature;
        for (const QByteArray &name : withoutWhiteSpace(h->value).split(':')) {
            if (name.isEmpty()) {
                problem(QStringLiteral("h= has an empty header name"));
                return;
            }
            s.signedHeaders.append(name.toLower());
        }
        if (!s.signedHeaders.contains("from"))
            problem(QStringLiteral("h= does not sign From (RFC 6376 5.4)"));
    }

    void identity()
    {
        DkimSignature &s = m_parse.signature;
        const Tag *i = s.tags.tag("i");
        s.identity = i ? i->value : '@' + s.domain;
        const qsizetype at = s.identity.lastIndexOf('@');
        if (at < 0) {
            problem(QStringLiteral("i= has no '@'"));
        } else if (!s.domain.isEmpty() &&
                   !isSubdomainOrSame(QByteArrayView(s.identity).sliced(at + 1), s.domain)) {
            problem(QStringLiteral("i= domain %1 is not d= or a subdomain of it")
                        .arg(text(QByteArrayView(s.identity).sliced(at + 1))));
        }
    }

    void instance()
    {
        const Tag *i = required("i");
        const std::optional<qint64> n = i ? decimalValue(i->value) : std::nullopt;
        if (i && (!n || *n < 1 || *n > 50))
            problem(QStringLiteral("i= is not an ARC instance 1-50"));
        m_parse.signature.instance = n && *n <= 50 ? int(*n) : 0;
    }

    std::optional<qint64> number(const char *name)
    {
        const Tag *tag = m_parse.signature.tags.tag(name);
        if (!tag)
            return std::nullopt;
        const std::optional<qint64> n = decimalValue(tag->value);
        if (!n)
            problem(QStringLiteral("%1= is not a number").arg(QLatin1String(name)));
        return n;
    }

    DkimSignatureKind m_kind;
    DkimSignatureParse m_parse;
    int m_hashSize = 0;
};

} // namespace

QString DkimSignature::keyName() const
{
    return QString::fromUtf8(selector + "._domainkey." + domain).toLower();
}

DkimSignatureParse parseDkimSignature(QByteArrayView value, DkimSignatureKind kind)
{
    return SignatureReader(value, kind).read();
}

std::optional<QByteArray> decodeBase64Value(QByteArrayView value)
{
    const QByteArray compact = withoutWhiteSpace(value);
    for (char c : compact) {
        const bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                              (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
        if (!alphabet)
            return std::nullopt;
    }
    if (compact.size() % 4 != 0)
        return std::nullopt;
    QByteArray::FromBase64Result decoded =
        QByteArray::fromBase64Encoding(compact, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return std::move(decoded.decoded);
}

std::optional<qint64> decimalValue(QByteArrayView value)
{
    if (value.isEmpty() || value.size() > 18)
        return std::nullopt;
    qint64 n = 0;
    for (char c : value) {
        if (c < '0' || c > '9')
            return std::nullopt;
        n = n * 10 + (c - '0');
    }
    return n;
}
