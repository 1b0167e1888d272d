#include "DmarcAlignment.h"

#include <libpsl.h>

QString organizationalDomain(const QString &domain)
{
    const QByteArray name = domain.toLower().toUtf8();
    // psl_builtin() is static data, safe to share between threads.
    const char *registrable =
        name.isEmpty() ? nullptr : psl_registrable_domain(psl_builtin(), name.constData());
    return registrable ? QString::fromUtf8(registrable) : domain.toLower();
}

DomainAlignment alignDomains(const QString &fromDomain, const QString &signingDomain)
{
    DomainAlignment alignment;
    if (fromDomain.isEmpty() || signingDomain.isEmpty())
        return alignment;
    alignment.strict = fromDomain.compare(signingDomain, Qt::CaseInsensitive) == 0;
    alignment.relaxed =
        alignment.strict || organizationalDomain(fromDomain) == organizationalDomain(signingDomain);
    return alignment;
}
