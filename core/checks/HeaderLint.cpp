#include "EncodedWords.h"
#include "HeaderSyntax.h"
#include "LintContext.h"

#include <QStringDecoder>

namespace {

// RFC 5322 3.6: fields a message has at most once.
const char *const kSingletons[] = {"Date",        "From",       "Sender", "Reply-To",
                                   "To",          "Cc",         "Bcc",    "Message-ID",
                                   "In-Reply-To", "References", "Subject"};

struct AddressField
{
    const char *name;
    AddressForm form;
};
const AddressField kAddressFields[] = {{"From", AddressForm::MailboxList},
                                       {"Sender", AddressForm::Mailbox},
                                       {"Reply-To", AddressForm::AddressList},
                                       {"To", AddressForm::AddressList},
                                       {"Cc", AddressForm::AddressList}};

// Structured fields that allow encoded-words in comments only (RFC 2047 5 (1)).
const char *const kStructured[] = {"Date",
                                   "Message-ID",
                                   "In-Reply-To",
                                   "References",
                                   "Received",
                                   "Return-Path",
                                   "MIME-Version",
                                   "Content-Transfer-Encoding",
                                   "Content-ID",
                                   "List-Unsubscribe",
                                   "List-Unsubscribe-Post",
                                   "List-Id",
                                   "DKIM-Signature",
                                   "ARC-Seal",
                                   "ARC-Message-Signature",
                                   "ARC-Authentication-Results",
                                   "Authentication-Results"};
const char *const kAddressFieldNames[] = {"From",      "Sender",    "Reply-To",    "To",
                                          "Cc",        "Bcc",       "Resent-From", "Resent-Sender",
                                          "Resent-To", "Resent-Cc", "Resent-Bcc"};

template <size_t N> bool isOneOf(const RawHeaderField &field, const char *const (&names)[N])
{
    for (const char *name : names) {
        if (field.is(name))
            return true;
    }
    return false;
}

EncodedWordPlace placeOf(const RawHeaderField &field)
{
    if (isOneOf(field, kAddressFieldNames))
        return EncodedWordPlace::Address;
    if (field.is("Content-Type") || field.is("Content-Disposition"))
        return EncodedWordPlace::Parameterized;
    if (isOneOf(field, kStructured))
        return EncodedWordPlace::Structured;
    return EncodedWordPlace::Text;
}

QString shown(QByteArrayView bytes)
{
    QString text = QString::fromUtf8(bytes.first(qMin<qsizetype>(bytes.size(), 40)));
    if (bytes.size() > 40)
        text += QStringLiteral("...");
    return text;
}

void checkFieldSyntax(LintContext &context, const RawHeaderField &field)
{
    if (!field.hasColon) {
        context.report("rfc5322.field-colon", field.offset,
                       QStringLiteral("header line '%1' has no colon").arg(shown(field.name)));
        return;
    }
    if (field.name.isEmpty()) {
        context.report("rfc5322.field-name", field.offset,
                       QStringLiteral("header line starts with ':' (no field name)"));
    }
    for (qsizetype i = 0; i < field.name.size(); ++i) {
        const auto c = static_cast<unsigned char>(field.name[i]);
        if (c < 33 || c > 126) {
            context.report("rfc5322.field-name", field.offset + i,
                           QStringLiteral("field name '%1' contains byte 0x%2")
                               .arg(shown(field.name))
                               .arg(c, 2, 16, QLatin1Char('0')));
            break;
        }
    }
    if (field.blankBeforeColon)
        context.report("rfc5322.obsolete-syntax", field.offset + field.name.size(),
                       QStringLiteral("white space between '%1' and its colon (RFC 5322 4.5)")
                           .arg(shown(field.name)));
    // RFC 5322 4.2: obs-FWS lets a folded line hold nothing but white space.
    const QByteArray &value = field.value;
    for (qsizetype lf = value.indexOf('\n'); lf >= 0; lf = value.indexOf('\n', lf + 1)) {
        qsizetype i = lf + 1;
        while (i < value.size() && (value[i] == ' ' || value[i] == '\t'))
            ++i;
        if (i == value.size() || value[i] == '\r' || value[i] == '\n') {
            context.report("rfc5322.obsolete-syntax", field.valueOffset() + lf + 1,
                           QStringLiteral("%1: a folded line of only white space (RFC 5322 4.2)")
                               .arg(shown(field.name)));
            break;
        }
    }
}

void checkEightBit(LintContext &context, const RawHeaderField &field)
{
    const QByteArrayView bytes = QByteArrayView(context.raw).sliced(field.offset, field.length);
    qsizetype first = -1;
    for (qsizetype i = 0; i < bytes.size() && first < 0; ++i) {
        if (static_cast<unsigned char>(bytes[i]) >= 0x80)
            first = i;
    }
    if (first < 0)
        return;
    QStringDecoder utf8(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString text = utf8(bytes); // hasError() tells only after a decode
    if (utf8.hasError()) {
        context.report("rfc6532.invalid-utf8", field.offset + first,
                       QStringLiteral("%1: 8-bit bytes that are not UTF-8").arg(shown(field.name)));
    } else if (!context.options.smtpUtf8) {
        context.report("rfc6532.utf8-without-smtputf8", field.offset + first,
                       QStringLiteral("%1: raw UTF-8 in the header, but the envelope had no "
                                      "SMTPUTF8")
                           .arg(shown(field.name)));
    }
}

void checkEncodedWordsOf(LintContext &context, const RawHeaderField &field)
{
    using Kind = EncodedWordProblem::Kind;
    for (const EncodedWordProblem &problem : checkEncodedWords(field.value, placeOf(field))) {
        const char *id = problem.kind == Kind::TooLong    ? "rfc2047.encoded-word-length"
                         : problem.kind == Kind::Syntax   ? "rfc2047.encoded-word-syntax"
                         : problem.kind == Kind::InQuotes ? "rfc2047.encoded-word-quoted"
                                                          : "rfc2047.encoded-word-placement";
        context.report(id, field.valueOffset() + problem.offset,
                       QStringLiteral("%1: %2").arg(shown(field.name), problem.text));
    }
}

void reportSyntax(LintContext &context, const RawHeaderField &field, const SyntaxProblem &problem,
                  const char *errorId)
{
    if (problem.ok())
        return;
    context.report(problem.obsolete ? "rfc5322.obsolete-syntax" : errorId,
                   field.valueOffset() + problem.offset,
                   QStringLiteral("%1: %2").arg(shown(field.name), problem.text));
}

void checkPresence(LintContext &context)
{
    const RawHeaderBlock &header = context.header();
    if (!header.field("From"))
        context.report("rfc5322.from-missing", context.headerEnd(),
                       QStringLiteral("the message has no From: field"));
    if (!header.field("Date"))
        context.report("rfc5322.date-missing", context.headerEnd(),
                       QStringLiteral("the message has no Date: field"));
    if (!header.field("Message-ID"))
        context.report("rfc5322.message-id-missing", context.headerEnd(),
                       QStringLiteral("the message has no Message-ID: field"));
    for (const char *name : kSingletons) {
        const QList<const RawHeaderField *> copies = header.all(name);
        for (qsizetype i = 1; i < copies.size(); ++i)
            context.report("rfc5322.field-repeated", copies[i]->offset,
                           QStringLiteral("%1: appears %2 times (first on line %3)")
                               .arg(QLatin1String(name))
                               .arg(copies.size())
                               .arg(context.lineOf(copies.first()->offset)));
    }
}

void checkStructuredValues(LintContext &context)
{
    const RawHeaderBlock &header = context.header();
    for (const AddressField &spec : kAddressFields) {
        for (const RawHeaderField *field : header.all(spec.name)) {
            QList<ParsedMailbox> mailboxes;
            const SyntaxProblem problem = checkAddresses(field->value, spec.form, &mailboxes);
            reportSyntax(context, *field, problem, "rfc5322.address-syntax");
            if (field->is("From") && mailboxes.size() > 1 && !header.field("Sender"))
                context.report("rfc5322.sender-missing", field->offset,
                               QStringLiteral("From: names %1 mailboxes but there is no Sender:")
                                   .arg(mailboxes.size()));
        }
    }
    for (const RawHeaderField *field : header.all("Message-ID"))
        reportSyntax(context, *field, checkMessageIds(field->value, true),
                     "rfc5322.message-id-form");
    for (const char *name : {"In-Reply-To", "References"}) {
        for (const RawHeaderField *field : header.all(name))
            reportSyntax(context, *field, checkMessageIds(field->value, false),
                         "rfc5322.message-id-form");
    }
    for (const RawHeaderField *field : header.all("Date"))
        reportSyntax(context, *field, checkDate(field->value), "rfc5322.date-syntax");
}

} // namespace

void lintHeaderFields(LintContext &context)
{
    checkPresence(context);
    checkStructuredValues(context);
    for (const RawMimeEntity &entity : context.entities) {
        for (const RawHeaderField &field : entity.header.fields) {
            checkFieldSyntax(context, field);
            checkEightBit(context, field);
            if (field.hasColon)
                checkEncodedWordsOf(context, field);
        }
    }
}

void lintLineLengths(LintContext &context)
{
    constexpr qsizetype kHardLimit = 998; // RFC 5322 2.1.1, CRLF excluded
    constexpr qsizetype kSoftLimit = 78;
    const QByteArray &raw = context.raw;
    qsizetype start = 0;
    while (start < raw.size()) {
        qsizetype end = raw.indexOf('\n', start);
        const qsizetype next = end < 0 ? raw.size() : end + 1;
        if (end < 0)
            end = raw.size();
        const qsizetype length = end - start - (end > start && raw[end - 1] == '\r' ? 1 : 0);
        if (length > kHardLimit)
            context.report("rfc5322.line-too-long", start,
                           QStringLiteral("a line of %1 octets (at most 998)").arg(length));
        else if (length > kSoftLimit)
            context.report("rfc5322.line-long", start,
                           QStringLiteral("a line of %1 characters (78 recommended)").arg(length));
        start = next;
    }
}
