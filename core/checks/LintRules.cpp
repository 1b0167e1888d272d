#include "LintFinding.h"

namespace {
using S = LintSeverity;

// The lint table. Ids are stable: clients may filter on them.
const QList<LintRule> kRules = {
    // RFC 5322
    {"rfc5322.from-missing", S::Error, "RFC 5322 3.6",
     "Add a From: field with the author's address."},
    {"rfc5322.date-missing", S::Error, "RFC 5322 3.6",
     "Add a Date: field, e.g. Date: Tue, 03 Nov 2026 10:00:00 +0100."},
    {"rfc5322.field-repeated", S::Error, "RFC 5322 3.6",
     "Send this field once; merge the values or drop the copy."},
    {"rfc5322.sender-missing", S::Error, "RFC 5322 3.6.2",
     "Add a Sender: field with the one mailbox that sent the message."},
    {"rfc5322.message-id-missing", S::Warning, "RFC 5322 3.6.4",
     "Add a Message-ID: <unique@your.domain> field."},
    {"rfc5322.line-too-long", S::Error, "RFC 5322 2.1.1",
     "Fold header lines; encode body text as quoted-printable or base64."},
    {"rfc5322.line-long", S::Info, "RFC 5322 2.1.1",
     "Keep lines to 78 characters: fold headers, wrap or encode text."},
    {"rfc5322.field-name", S::Error, "RFC 5322 3.6.8",
     "Use only printable ASCII except ':' and space in field names."},
    {"rfc5322.field-colon", S::Error, "RFC 5322 2.2",
     "Write every header line as Name: value, or fold it with leading white space."},
    {"rfc5322.obsolete-syntax", S::Warning, "RFC 5322 4",
     "Generate the current syntax; the obsolete forms are for reading old mail only."},
    {"rfc5322.address-syntax", S::Error, "RFC 5322 3.4",
     "Write addresses as local@domain or \"Name\" <local@domain>, separated by commas."},
    {"rfc5322.message-id-form", S::Error, "RFC 5322 3.6.4",
     "Write message identifiers as <left@right> with dot-atoms on both sides."},
    {"rfc5322.date-syntax", S::Error, "RFC 5322 3.3",
     "Write the date as [Day, ]DD Mon YYYY HH:MM[:SS] +hhmm."},
    // RFC 2045-2049
    {"rfc2045.mime-version-missing", S::Error, "RFC 2045 4",
     "Add MIME-Version: 1.0 to the message header."},
    {"rfc2045.transfer-encoding-unknown", S::Error, "RFC 2045 6.1",
     "Use 7bit, 8bit, binary, quoted-printable or base64."},
    {"rfc2045.8bit-undeclared", S::Error, "RFC 2045 6.2",
     "Declare Content-Transfer-Encoding: 8bit (with BODY=8BITMIME) or encode as "
     "quoted-printable/base64."},
    {"rfc2045.binary-content", S::Error, "RFC 2045 2.8",
     "Encode binary data (NUL bytes, bare CR) as base64."},
    {"rfc2045.binary-transfer-encoding", S::Warning, "RFC 3030 3",
     "Prefer base64: binary needs BINARYMIME on every hop."},
    {"rfc2045.multipart-encoding", S::Error, "RFC 2045 6.4",
     "Give multiparts 7bit, 8bit or binary and encode their parts instead."},
    {"rfc2045.qp-line-length", S::Error, "RFC 2045 6.7",
     "Break quoted-printable lines at 76 characters with a soft line break (=)."},
    {"rfc2045.qp-bad-escape", S::Error, "RFC 2045 6.7",
     "Write '=' as =3D; escapes are '=' and two hex digits."},
    {"rfc2045.base64-alphabet", S::Error, "RFC 2045 6.8",
     "Emit only A-Z a-z 0-9 + / and = padding in base64 bodies."},
    {"rfc2045.base64-padding", S::Error, "RFC 2045 6.8",
     "Pad base64 to a multiple of 4 characters with '=' at the very end only."},
    {"rfc2045.base64-line-length", S::Error, "RFC 2045 6.8", "Wrap base64 lines at 76 characters."},
    {"rfc2046.boundary-missing", S::Error, "RFC 2046 5.1.1",
     "Add a boundary parameter to the multipart Content-Type."},
    {"rfc2046.boundary-syntax", S::Error, "RFC 2046 5.1.1",
     "Use 1-70 boundary characters from the bchars set, not ending in a space."},
    {"rfc2046.boundary-not-found", S::Error, "RFC 2046 5.1.1",
     "Start each part with a line --boundary matching the declared boundary."},
    {"rfc2046.closing-delimiter-missing", S::Error, "RFC 2046 5.1.1",
     "End the multipart with a line --boundary--."},
    // RFC 2047, 2231, 6532
    {"rfc2047.encoded-word-length", S::Error, "RFC 2047 2",
     "Split the text into encoded-words of at most 75 characters each."},
    {"rfc2047.encoded-word-syntax", S::Error, "RFC 2047 2",
     "Write =?charset?B|Q?encoded-text?= with a valid charset and encoding."},
    {"rfc2047.encoded-word-quoted", S::Error, "RFC 2047 5",
     "Put the encoded-word outside the quotes; readers do not decode it inside."},
    {"rfc2047.encoded-word-placement", S::Error, "RFC 2047 5",
     "Use encoded-words only in text, display names and comments, as separate words; use RFC 2231 "
     "for parameters."},
    {"rfc2231.continuation-gap", S::Error, "RFC 2231 3",
     "Number parameter continuations *0, *1, *2 ... without gaps or repeats."},
    {"rfc6532.utf8-without-smtputf8", S::Warning, "RFC 6532 3; RFC 6531 3.4",
     "Send with SMTPUTF8, or encode the header text with RFC 2047."},
    {"rfc6532.invalid-utf8", S::Error, "RFC 6532 3.2",
     "Header bytes over 127 must be UTF-8: encode other charsets with RFC 2047."},
    // Unsubscribing: RFC 2369, RFC 8058 and the 2024 Gmail/Yahoo bulk sender rules
    {"bulk.list-unsubscribe-missing", S::Info, "RFC 8058 3.1; Gmail/Yahoo bulk sender rules (2024)",
     "Bulk mail: add List-Unsubscribe: <https://...>, <mailto:...>."},
    {"rfc2369.list-unsubscribe-uri", S::Error, "RFC 2369 3.2; RFC 8058 3.1",
     "List <https://...> and/or <mailto:...> URIs in angle brackets."},
    {"rfc8058.post-value", S::Error, "RFC 8058 3.1",
     "Send exactly List-Unsubscribe-Post: List-Unsubscribe=One-Click."},
    {"rfc8058.post-without-https", S::Error, "RFC 8058 3.1",
     "Add an https URI to List-Unsubscribe for the one-click POST."},
    {"bulk.one-click-missing", S::Warning, "RFC 8058 3.1; Gmail/Yahoo bulk sender rules (2024)",
     "Add List-Unsubscribe-Post: List-Unsubscribe=One-Click."},
    // Content
    {"html.text-alternative-missing", S::Warning, "RFC 2046 5.1.4",
     "Send multipart/alternative with a text/plain part before the HTML."},
    {"html.img-alt-missing", S::Warning, "WCAG 2.1 1.1.1",
     "Give every <img> an alt attribute (alt=\"\" for decoration)."},
    // What was recorded while the message arrived
    {"smtp.compliance", S::Warning, "RFC 5321",
     "Fix the sending client so that its SMTP data follows RFC 5321."},
    {"mime.parser", S::Warning, "RFC 2045", "Fix the MIME structure the decoder stumbled over."},
};
} // namespace

QString lintSeverityName(LintSeverity severity)
{
    switch (severity) {
    case LintSeverity::Error:
        return QStringLiteral("error");
    case LintSeverity::Warning:
        return QStringLiteral("warning");
    case LintSeverity::Info:
        break;
    }
    return QStringLiteral("info");
}

const QList<LintRule> &lintRules()
{
    return kRules;
}

const LintRule *lintRule(const QString &id)
{
    for (const LintRule &rule : kRules) {
        if (id == QLatin1String(rule.id))
            return &rule;
    }
    return nullptr;
}
