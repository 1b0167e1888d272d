#pragma once

// RFC 5322 syntax of the structured header fields the checks read: addresses (3.4), message
// identifiers (3.6.4), dates (3.3), and MIME's "token *(; parameter)" values (RFC 2045 5.1).
// Pure functions over a raw field value (folding kept: line breaks count as white space).
// Offsets are into that value.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

struct SyntaxProblem
{
    qsizetype offset = -1; // -1: the value is fine
    QString text;
    bool obsolete = false; // accepted by RFC 5322 section 4 for reading, never to be generated

    bool ok() const { return offset < 0; }
};

struct ParsedMailbox
{
    QByteArray addrSpec; // "local@domain" as written, comments and folding removed
    QByteArray domain;
    qsizetype offset = 0;
};

enum class AddressForm
{
    Mailbox,     // Sender: exactly one mailbox
    MailboxList, // From: one or more mailboxes
    AddressList  // To, Cc, Reply-To: mailboxes and groups
};

// The first syntax error of an address field, or an obsolete form, or ok. `mailboxes` (when
// given) receives the mailboxes read before any error.
SyntaxProblem checkAddresses(QByteArrayView value, AddressForm form,
                             QList<ParsedMailbox> *mailboxes = nullptr);

// Message-ID (single: exactly one) or In-Reply-To / References: `<id-left@id-right>` items.
SyntaxProblem checkMessageIds(QByteArrayView value, bool single);

// The RFC 5322 3.3 date-time: names, ranges, zone, and the day of the week against the date.
SyntaxProblem checkDate(QByteArrayView value);

struct HeaderParameter
{
    QByteArray name;  // as sent, e.g. "filename*0*"
    QByteArray value; // quotes and backslash escapes removed
    qsizetype offset = 0;
    bool quoted = false;
};

struct ParameterizedValue
{
    QByteArray token; // lower-cased, e.g. "multipart/mixed" or "attachment"
    QList<HeaderParameter> parameters;
    SyntaxProblem problem;

    // The first parameter with this plain name (case-insensitive), or null.
    const HeaderParameter *parameter(QByteArrayView name) const;
};

ParameterizedValue parseParameterizedValue(QByteArrayView value);
