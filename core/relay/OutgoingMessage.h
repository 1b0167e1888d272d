#pragma once

#include "records/Records.h"
#include "relay/RelaySettings.h"

// The copy of a captured message that goes upstream, and what its transfer needs. Pure.
struct OutgoingMessage
{
    QByteArray mailFrom; // empty: the null sender
    QList<QByteArray> recipients;
    QByteArray data; // the stored bytes, Bcc removed (and Return-Path etc. as settings say)

    bool eightBit = false; // an octet over 127: BODY=8BITMIME (RFC 6152)
    bool smtpUtf8 = false; // a non-ASCII address, or captured with SMTPUTF8 (RFC 6531)
    bool binary = false;   // captured as BODY=BINARYMIME: needs CHUNKING and BINARYMIME
    // Bare CR or LF, NUL, or no CRLF at the end: DATA would not carry the bytes exactly
    // (servers differ on bare line ends), BDAT does, so BDAT is used when offered.
    bool needsChunking = false;

    // This data to these recipients, as it is, with what its transfer needs worked out.
    static OutgoingMessage of(const QByteArray &mailFrom, const QList<QByteArray> &recipients,
                              const QByteArray &data);
    static OutgoingMessage prepare(const MessageRecord &message,
                                   const QList<QByteArray> &recipients,
                                   const RelaySettings &settings, qint64 nowMs);
};

// Header editing on raw bytes: only the header block changes, every other byte stays.
namespace HeaderEdit {
// Without every field of that name (case-insensitive), folded lines included.
QByteArray removeFields(const QByteArray &raw, const QList<QByteArray> &names);
// With these "Name: value" fields first, in the message's own line ending.
QByteArray prependFields(const QByteArray &raw, const QList<QByteArray> &fields);
} // namespace HeaderEdit

// DATA's transparency (RFC 5321 4.5.2): a dot doubled at the start of each line, then the
// terminating CRLF "." CRLF (after a CRLF added when the data lacks one).
QByteArray dotStuffed(const QByteArray &data);

// Whether an address is one RFC 5321 Mailbox: local@domain, printable, no spaces or brackets.
bool isPlausibleAddress(const QByteArray &address);
