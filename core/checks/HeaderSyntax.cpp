#include "HeaderSyntax.h"

#include <QDate>

namespace {

bool isAtext(char c)
{
    const auto u = static_cast<unsigned char>(c);
    // RFC 6532 3.2 adds UTF-8 (every byte of 0x80 and above) to atext, qtext and dtext.
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
           u >= 0x80 || QByteArrayView("!#$%&'*+-/=?^_`{|}~").contains(c);
}

bool isTokenChar(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && !QByteArrayView("()<>@,;:\\\"/[]?=").contains(c);
}

bool isDotAtomText(QByteArrayView text)
{
    if (text.isEmpty() || text.startsWith('.') || text.endsWith('.') || text.contains(".."))
        return false;
    for (char c : text) {
        if (c != '.' && !isAtext(c))
            return false;
    }
    return true;
}

// A cursor over a structured value that skips CFWS (RFC 5322 3.2.2) between tokens and keeps
// the first problem it meets.
class Lexer
{
public:
    explicit Lexer(QByteArrayView text) : m_text(text) {}

    qsizetype pos() const { return m_pos; }
    const SyntaxProblem &problem() const { return m_problem; }
    bool failed() const { return !m_problem.ok(); }

    void fail(qsizetype at, const QString &text)
    {
        if (m_problem.ok())
            m_problem = {at, text, false};
    }
    void markObsolete(qsizetype at, const QString &text)
    {
        if (m_obsolete.ok())
            m_obsolete = {at, text, true};
    }
    // The first error, else the first obsolete form, else ok.
    SyntaxProblem result() const { return failed() ? m_problem : m_obsolete; }

    void skipCfws()
    {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                ++m_pos;
            } else if (c == '(') {
                skipComment();
            } else {
                break;
            }
        }
    }

    char peek()
    {
        skipCfws();
        return m_pos < m_text.size() ? m_text[m_pos] : '\0';
    }
    bool atEnd()
    {
        skipCfws();
        return m_pos >= m_text.size() || failed();
    }
    bool take(char c)
    {
        if (peek() != c || atEnd())
            return false;
        ++m_pos;
        return true;
    }
    // Raw access for the forms that allow no CFWS inside (msg-id, tokens).
    char at(qsizetype i) const { return i < m_text.size() ? m_text[i] : '\0'; }
    void advance(qsizetype n) { m_pos += n; }

    QByteArray atom()
    {
        skipCfws();
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && isAtext(m_text[m_pos]))
            ++m_pos;
        return m_text.sliced(start, m_pos - start).toByteArray();
    }

    QByteArray token()
    {
        skipCfws();
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && isTokenChar(m_text[m_pos]))
            ++m_pos;
        return m_text.sliced(start, m_pos - start).toByteArray();
    }

    // At a '"': the unescaped content.
    QByteArray quotedString()
    {
        const qsizetype start = m_pos++;
        QByteArray content;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '"')
                return content;
            if (c == '\\' && m_pos < m_text.size())
                content.append(m_text[m_pos++]);
            else if (c != '\r' && c != '\n')
                content.append(c);
        }
        fail(start, QStringLiteral("unterminated quoted string"));
        return content;
    }

    // At a '[': the literal with its brackets.
    QByteArray domainLiteral()
    {
        const qsizetype start = m_pos++;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == ']')
                return m_text.sliced(start, m_pos - start).toByteArray();
            if (c == '[' || c == '\\') {
                fail(m_pos - 1, QStringLiteral("'%1' inside a domain literal").arg(QChar(c)));
                return {};
            }
        }
        fail(start, QStringLiteral("unterminated domain literal"));
        return {};
    }

private:
    void skipComment()
    {
        const qsizetype start = m_pos;
        int depth = 0;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos++];
            if (c == '\\') {
                ++m_pos;
            } else if (c == '(') {
                ++depth;
            } else if (c == ')' && --depth == 0) {
                return;
            }
        }
        fail(start, QStringLiteral("unterminated comment"));
        m_pos = m_text.size();
    }

    QByteArrayView m_text;
    qsizetype m_pos = 0;
    SyntaxProblem m_problem;
    SyntaxProblem m_obsolete;
};

// ---- addresses (RFC 5322 3.4) -----------------------------------------------------------------

struct Word
{
    QByteArray text; // "." for a dot
    qsizetype offset;
    bool quoted;
};

class AddressParser
{
public:
    AddressParser(QByteArrayView value, QList<ParsedMailbox> *mailboxes)
        : m_lex(value), m_mailboxes(mailboxes)
    {}

    SyntaxProblem parse(AddressForm form)
    {
        int count = 0;
        while (!m_lex.atEnd()) {
            if (m_lex.peek() == ',') {
                m_lex.markObsolete(m_lex.pos(),
                                   QStringLiteral("empty list element (RFC 5322 4.4)"));
                m_lex.take(',');
                continue;
            }
            const qsizetype start = m_lex.pos();
            address(form);
            ++count;
            if (form == AddressForm::Mailbox && count > 1)
                m_lex.fail(start, QStringLiteral("more than one mailbox where one is allowed"));
            if (m_lex.atEnd())
                break;
            if (!m_lex.take(','))
                m_lex.fail(m_lex.pos(), QStringLiteral("expected ',' between addresses, found "
                                                       "'%1'")
                                            .arg(QChar(m_lex.peek())));
        }
        if (count == 0)
            m_lex.fail(0, QStringLiteral("no address"));
        return m_lex.result();
    }

private:
    QList<Word> words()
    {
        QList<Word> found;
        while (!m_lex.failed()) {
            const char c = m_lex.peek();
            const qsizetype at = m_lex.pos();
            if (c == '"') {
                found.append({m_lex.quotedString(), at, true});
            } else if (c == '.') {
                m_lex.take('.');
                found.append({QByteArray("."), at, false});
            } else if (isAtext(c) && !m_lex.atEnd()) {
                found.append({m_lex.atom(), at, false});
            } else {
                break;
            }
        }
        return found;
    }

    static bool hasDot(const QList<Word> &list)
    {
        for (const Word &w : list) {
            if (!w.quoted && w.text == ".")
                return true;
        }
        return false;
    }

    void address(AddressForm form)
    {
        const qsizetype start = m_lex.pos();
        const QList<Word> phrase = words();
        if (m_lex.failed())
            return;
        switch (m_lex.peek()) {
        case '@':
            addrSpec(phrase, start);
            return;
        case '<':
            displayName(phrase);
            angleAddr();
            return;
        case ':':
            if (form != AddressForm::AddressList) {
                m_lex.fail(m_lex.pos(), QStringLiteral("a group is not allowed in this field"));
                return;
            }
            if (phrase.isEmpty()) {
                m_lex.fail(m_lex.pos(), QStringLiteral("a group needs a name before ':'"));
                return;
            }
            displayName(phrase);
            group();
            return;
        default:
            break;
        }
        if (phrase.isEmpty())
            m_lex.fail(m_lex.pos(),
                       QStringLiteral("expected an address, found '%1'").arg(QChar(m_lex.peek())));
        else
            m_lex.fail(start, QStringLiteral("'%1' is not an address: no '@'")
                                  .arg(QString::fromUtf8(phrase.first().text)));
    }

    void displayName(const QList<Word> &phrase)
    {
        if (hasDot(phrase))
            m_lex.markObsolete(phrase.first().offset,
                               QStringLiteral("unquoted '.' in a display name (RFC 5322 4.1)"));
    }

    void group()
    {
        m_lex.take(':');
        while (!m_lex.atEnd() && m_lex.peek() != ';') {
            if (m_lex.take(','))
                continue;
            const QList<Word> phrase = words();
            const qsizetype at = m_lex.pos();
            if (m_lex.peek() == '@') {
                addrSpec(phrase, phrase.isEmpty() ? at : phrase.first().offset);
            } else if (m_lex.peek() == '<') {
                displayName(phrase);
                angleAddr();
            } else {
                m_lex.fail(at, QStringLiteral("expected a mailbox or ';' in the group"));
            }
            if (m_lex.failed())
                return;
        }
        if (!m_lex.take(';'))
            m_lex.fail(m_lex.pos(), QStringLiteral("the group has no closing ';'"));
    }

    void angleAddr()
    {
        const qsizetype open = m_lex.pos();
        m_lex.take('<');
        if (m_lex.peek() == '>') {
            m_lex.fail(open, QStringLiteral("empty address '<>'"));
            return;
        }
        if (m_lex.peek() == '@')
            obsoleteRoute();
        const QList<Word> local = words();
        if (m_lex.peek() != '@') {
            m_lex.fail(m_lex.pos(), QStringLiteral("no '@' in the address"));
            return;
        }
        addrSpec(local, local.isEmpty() ? m_lex.pos() : local.first().offset);
        if (!m_lex.failed() && !m_lex.take('>'))
            m_lex.fail(m_lex.pos(), QStringLiteral("expected '>' after the address"));
    }

    void obsoleteRoute()
    {
        m_lex.markObsolete(m_lex.pos(), QStringLiteral("source route (RFC 5322 4.4)"));
        while (m_lex.take('@') || m_lex.take(',')) {
            if (m_lex.peek() != ',' && m_lex.peek() != ':')
                domain();
            if (m_lex.failed())
                return;
        }
        if (!m_lex.take(':'))
            m_lex.fail(m_lex.pos(), QStringLiteral("source route without ':'"));
    }

    void addrSpec(const QList<Word> &local, qsizetype start)
    {
        if (local.isEmpty()) {
            m_lex.fail(m_lex.pos(), QStringLiteral("nothing before '@'"));
            return;
        }
        QByteArray text;
        bool expectWord = true;
        for (const Word &w : local) {
            const bool dot = !w.quoted && w.text == ".";
            if (dot == expectWord) {
                m_lex.fail(w.offset, dot ? QStringLiteral("misplaced '.' in the local part")
                                         : QStringLiteral("white space in the local part"));
                return;
            }
            if (w.quoted && local.size() > 1)
                m_lex.markObsolete(w.offset,
                                   QStringLiteral("quoted word in a dotted local part (RFC 5322 "
                                                  "4.4)"));
            text += w.quoted ? '"' + w.text + '"' : w.text;
            expectWord = !expectWord;
        }
        if (expectWord) {
            m_lex.fail(local.last().offset, QStringLiteral("the local part ends with '.'"));
            return;
        }
        m_lex.take('@');
        const QByteArray host = domain();
        if (m_lex.failed())
            return;
        if (m_mailboxes)
            m_mailboxes->append({text + '@' + host, host, start});
    }

    QByteArray domain()
    {
        if (m_lex.peek() == '[')
            return m_lex.domainLiteral();
        QByteArray host;
        while (true) {
            const qsizetype at = m_lex.pos();
            const QByteArray part = m_lex.atom();
            if (part.isEmpty()) {
                m_lex.fail(at, QStringLiteral("expected a domain"));
                return {};
            }
            host += part;
            if (m_lex.peek() != '.')
                return host;
            m_lex.take('.');
            host += '.';
        }
    }

    Lexer m_lex;
    QList<ParsedMailbox> *m_mailboxes;
};

// ---- dates (RFC 5322 3.3) ---------------------------------------------------------------------

const char *const kDayNames[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
const char *const kMonthNames[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int nameIndex(const char *const *names, int count, QByteArrayView word)
{
    for (int i = 0; i < count; ++i) {
        if (word.compare(QByteArrayView(names[i]), Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

// RFC 5322 4.3: the zones it may read but never write.
bool isObsoleteZone(QByteArrayView zone)
{
    static const char *const names[] = {"UT",  "GMT", "EST", "EDT", "CST",
                                        "CDT", "MST", "MDT", "PST", "PDT"};
    if (nameIndex(names, 10, zone) >= 0)
        return true;
    if (zone.size() != 1)
        return false;
    const char c = char(zone[0] | 0x20);
    return c >= 'a' && c <= 'z' && c != 'j';
}

class DateParser
{
public:
    explicit DateParser(QByteArrayView value) : m_lex(value) {}

    SyntaxProblem parse()
    {
        QByteArray word = m_lex.atom();
        qsizetype at = m_lex.pos();
        int weekday = -1;
        if (!word.isEmpty() && !isDigits(word)) {
            weekday = nameIndex(kDayNames, 7, word);
            if (weekday < 0)
                return failAt(at - word.size(),
                              QStringLiteral("unknown day name '%1'").arg(text(word)));
            if (!m_lex.take(','))
                return failAt(m_lex.pos(), QStringLiteral("expected ',' after the day name"));
            at = m_lex.pos();
            word = m_lex.atom();
        }
        const int day = number(word, 1, 2, at, QStringLiteral("day"));
        at = m_lex.pos();
        const QByteArray monthName = m_lex.atom();
        const int month = nameIndex(kMonthNames, 12, monthName) + 1;
        if (month == 0 && !m_lex.failed())
            return failAt(at, QStringLiteral("unknown month '%1'").arg(text(monthName)));
        at = m_lex.pos();
        const QByteArray yearText = m_lex.atom();
        int year = number(yearText, 2, 4, at, QStringLiteral("year"));
        if (!m_lex.failed() && yearText.size() < 4) {
            m_lex.markObsolete(at, QStringLiteral("two- or three-digit year (RFC 5322 4.3)"));
            year += yearText.size() == 3 || year >= 50 ? 1900 : 2000;
        }
        at = m_lex.pos();
        const int hour = number(m_lex.atom(), 2, 2, at, QStringLiteral("hour"));
        expectColon();
        at = m_lex.pos();
        const int minute = number(m_lex.atom(), 2, 2, at, QStringLiteral("minute"));
        int second = 0;
        if (m_lex.take(':')) {
            at = m_lex.pos();
            second = number(m_lex.atom(), 2, 2, at, QStringLiteral("second"));
        }
        zone();
        if (m_lex.failed())
            return m_lex.result();
        if (!m_lex.atEnd())
            return failAt(m_lex.pos(), QStringLiteral("unexpected text after the date"));
        const QDate date(year, month, day);
        if (year < 1900)
            return failAt(0, QStringLiteral("year %1 is before 1900").arg(year));
        if (!date.isValid())
            return failAt(0, QStringLiteral("%1 %2 %3 is not a date")
                                 .arg(day)
                                 .arg(QLatin1String(kMonthNames[month - 1]))
                                 .arg(year));
        if (hour > 23 || minute > 59 || second > 60)
            return failAt(0, QStringLiteral("%1:%2:%3 is not a time of day")
                                 .arg(hour, 2, 10, QLatin1Char('0'))
                                 .arg(minute, 2, 10, QLatin1Char('0'))
                                 .arg(second, 2, 10, QLatin1Char('0')));
        if (weekday >= 0 && date.dayOfWeek() != weekday + 1)
            return failAt(0, QStringLiteral("%1 %2 %3 is a %4, not a %5")
                                 .arg(day)
                                 .arg(QLatin1String(kMonthNames[month - 1]))
                                 .arg(year)
                                 .arg(QLatin1String(kDayNames[date.dayOfWeek() - 1]),
                                      QLatin1String(kDayNames[weekday])));
        return m_lex.result();
    }

private:
    static bool isDigits(QByteArrayView word)
    {
        for (char c : word) {
            if (c < '0' || c > '9')
                return false;
        }
        return !word.isEmpty();
    }
    static QString text(const QByteArray &word) { return QString::fromUtf8(word); }

    SyntaxProblem failAt(qsizetype at, const QString &why)
    {
        m_lex.fail(at, why);
        return m_lex.result();
    }

    int number(const QByteArray &word, int minDigits, int maxDigits, qsizetype at,
               const QString &what)
    {
        if (m_lex.failed())
            return 0;
        if (!isDigits(word) || word.size() < minDigits || word.size() > maxDigits) {
            m_lex.fail(at, word.isEmpty()
                               ? QStringLiteral("missing %1").arg(what)
                               : QStringLiteral("'%1' is not a %2").arg(text(word), what));
            return 0;
        }
        return word.toInt();
    }

    void expectColon()
    {
        if (!m_lex.failed() && !m_lex.take(':'))
            m_lex.fail(m_lex.pos(), QStringLiteral("expected ':' in the time"));
    }

    void zone()
    {
        if (m_lex.failed())
            return;
        const char sign = m_lex.peek();
        const qsizetype at = m_lex.pos();
        if (sign == '+' || sign == '-') {
            m_lex.advance(1);
            QByteArray digits;
            qsizetype p = m_lex.pos();
            while (m_lex.at(p) >= '0' && m_lex.at(p) <= '9')
                digits.append(m_lex.at(p++));
            m_lex.advance(p - m_lex.pos());
            if (digits.size() != 4 || digits.mid(2).toInt() > 59)
                m_lex.fail(at, QStringLiteral("the zone must be +hhmm or -hhmm"));
            return;
        }
        const QByteArray name = m_lex.atom();
        if (name.isEmpty())
            m_lex.fail(at, QStringLiteral("missing zone"));
        else if (isObsoleteZone(name))
            m_lex.markObsolete(at, QStringLiteral("zone name '%1' instead of an offset (RFC 5322 "
                                                  "4.3)")
                                       .arg(text(name)));
        else
            m_lex.fail(at, QStringLiteral("unknown zone '%1'").arg(text(name)));
    }

    Lexer m_lex;
};

} // namespace

SyntaxProblem checkAddresses(QByteArrayView value, AddressForm form,
                             QList<ParsedMailbox> *mailboxes)
{
    return AddressParser(value, mailboxes).parse(form);
}

SyntaxProblem checkMessageIds(QByteArrayView value, bool single)
{
    Lexer lex(value);
    int count = 0;
    while (!lex.atEnd()) {
        const qsizetype open = lex.pos();
        if (!lex.take('<')) {
            lex.fail(open, QStringLiteral("expected '<' to start a message identifier"));
            break;
        }
        qsizetype close = open + 1;
        while (lex.at(close) != '>' && lex.at(close) != '\0')
            ++close;
        const QByteArrayView id = value.sliced(open + 1, close - open - 1);
        const qsizetype at = id.lastIndexOf('@');
        if (lex.at(close) != '>')
            lex.fail(open, QStringLiteral("no closing '>'"));
        else if (at < 0)
            lex.fail(open, QStringLiteral("no '@' in the message identifier"));
        else if (!isDotAtomText(id.first(at)))
            lex.fail(open + 1, QStringLiteral("the part before '@' is not a dot-atom"));
        else if (!isDotAtomText(id.sliced(at + 1)) &&
                 !(id.sliced(at + 1).startsWith('[') && id.endsWith(']')))
            lex.fail(open + 2 + at, QStringLiteral("the part after '@' is not a domain"));
        if (lex.failed())
            break;
        lex.advance(close + 1 - lex.pos());
        ++count;
    }
    if (!lex.failed() && count == 0)
        lex.fail(0, QStringLiteral("no message identifier"));
    if (!lex.failed() && single && count > 1)
        lex.fail(0, QStringLiteral("more than one message identifier"));
    return lex.result();
}

SyntaxProblem checkDate(QByteArrayView value)
{
    return DateParser(value).parse();
}

const HeaderParameter *ParameterizedValue::parameter(QByteArrayView name) const
{
    for (const HeaderParameter &p : parameters) {
        if (QByteArrayView(p.name).compare(name, Qt::CaseInsensitive) == 0)
            return &p;
    }
    return nullptr;
}

ParameterizedValue parseParameterizedValue(QByteArrayView value)
{
    ParameterizedValue parsed;
    Lexer lex(value);
    parsed.token = lex.token().toLower();
    if (lex.peek() == '/') {
        lex.take('/');
        parsed.token += '/' + lex.token().toLower();
    }
    if (parsed.token.isEmpty() || parsed.token.endsWith('/'))
        lex.fail(lex.pos(), QStringLiteral("expected a value before the parameters"));
    while (!lex.atEnd()) {
        if (!lex.take(';')) {
            lex.fail(lex.pos(), QStringLiteral("expected ';' before a parameter"));
            break;
        }
        if (lex.atEnd())
            break;
        HeaderParameter parameter;
        parameter.offset = lex.pos();
        parameter.name = lex.token();
        if (parameter.name.isEmpty() || !lex.take('=')) {
            lex.fail(parameter.offset, QStringLiteral("expected name=value"));
            break;
        }
        if (lex.peek() == '"') {
            parameter.quoted = true;
            parameter.value = lex.quotedString();
        } else {
            parameter.value = lex.token();
            if (parameter.value.isEmpty())
                lex.fail(lex.pos(), QStringLiteral("parameter %1 has no value")
                                        .arg(QString::fromLatin1(parameter.name)));
        }
        if (lex.failed())
            break;
        parsed.parameters.append(parameter);
    }
    parsed.problem = lex.result();
    return parsed;
}
