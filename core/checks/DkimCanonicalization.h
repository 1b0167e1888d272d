#pragma once

// DKIM canonicalization (RFC 6376 3.4): what the signer hashed, rebuilt from the bytes as
// received. Pure functions; the RFC's own examples (3.4.5) are the unit test.

#include <QByteArray>
#include <QByteArrayView>

enum class DkimCanonicalization
{
    Simple,
    Relaxed
};

// One header field, given whole as sent (name, colon, value with folding, final line break).
// Simple: unchanged. Relaxed: lower-case name, unfolded, white space runs as one space,
// none around the colon or at the end, then CRLF.
QByteArray canonicalHeaderField(DkimCanonicalization canonicalization, QByteArrayView field);

// The body. Simple: trailing empty lines removed, one CRLF at the end (an empty body is CRLF).
// Relaxed: white space runs as one space, none at line ends, trailing empty lines removed; an
// empty body stays empty.
QByteArray canonicalBody(DkimCanonicalization canonicalization, QByteArrayView body);
