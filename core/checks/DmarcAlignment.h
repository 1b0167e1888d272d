#pragma once

// DMARC identifier alignment (RFC 7489 3.1.1) of the RFC 5322 From domain with a DKIM d=.
// Organisational domains come from the public suffix list compiled into libpsl.

#include <QString>

// "mail.example.co.uk" -> "example.co.uk"; a public suffix or a name the list does not know
// is its own organisational domain. Lower-cased.
QString organizationalDomain(const QString &domain);

struct DomainAlignment
{
    bool relaxed = false; // same organisational domain
    bool strict = false;  // the same domain
};
DomainAlignment alignDomains(const QString &fromDomain, const QString &signingDomain);
