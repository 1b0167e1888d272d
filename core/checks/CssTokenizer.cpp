#include "CssTokenizer.h"

// Section numbers refer to CSS Syntax Module Level 3 (W3C Candidate Recommendation, 2021).

namespace {

bool isNewline(char c)
{
    return c == '\n' || c == '\r' || c == '\f';
}

bool isWhitespace(char c)
{
    return isNewline(c) || c == ' ' || c == '\t';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

bool isHexDigit(char c)
{
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char32_t hexValue(char c)
{
    if (isDigit(c))
        return static_cast<char32_t>(c - '0');
    return static_cast<char32_t>((c | 0x20) - 'a' + 10);
}

// 4.2 "ident-start code point": a letter, a non-ASCII code point or "_".
bool isNameStart(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool isName(char c)
{
    return isNameStart(c) || isDigit(c) || c == '-';
}

bool isNonPrintable(char c)
{
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x08 || u == 0x0B || (u >= 0x0E && u <= 0x1F) || u == 0x7F;
}

void appendUtf8(QByteArray &out, char32_t cp)
{
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = 0xFFFD; // 4.3.7
    if (cp < 0x80) {
        out.append(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.append(static_cast<char>(0xC0 | (cp >> 6)));
        out.append(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.append(static_cast<char>(0xE0 | (cp >> 12)));
        out.append(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.append(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.append(static_cast<char>(0xF0 | (cp >> 18)));
        out.append(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.append(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.append(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

class Tokenizer
{
public:
    explicit Tokenizer(QByteArrayView css) : m_css(css) {}

    QList<CssToken> run(bool *truncated)
    {
        QList<CssToken> tokens;
        while (m_pos < m_css.size()) {
            if (tokens.size() >= kMaxCssTokens) {
                if (truncated)
                    *truncated = true;
                return tokens;
            }
            const qsizetype start = m_pos;
            CssToken token = next();
            token.offset = start;
            token.length = m_pos - start;
            tokens.append(std::move(token));
        }
        if (truncated)
            *truncated = false;
        return tokens;
    }

private:
    char at(qsizetype i) const { return i < m_css.size() ? m_css[i] : '\0'; }
    bool atEnd(qsizetype i) const { return i >= m_css.size(); }
    char peek(qsizetype ahead = 0) const { return at(m_pos + ahead); }

    // 4.3.8: a backslash not followed by a newline (or the end) starts an escape.
    bool validEscape(qsizetype i) const
    {
        return at(i) == '\\' && !atEnd(i + 1) && !isNewline(at(i + 1));
    }

    // 4.3.9
    bool startsIdent(qsizetype i) const
    {
        if (at(i) == '-')
            return (!atEnd(i + 1) && (isNameStart(at(i + 1)) || at(i + 1) == '-')) ||
                   validEscape(i + 1);
        if (!atEnd(i) && isNameStart(at(i)))
            return true;
        return validEscape(i);
    }

    // 4.3.10
    bool startsNumber(qsizetype i) const
    {
        if (at(i) == '+' || at(i) == '-') {
            if (isDigit(at(i + 1)) && !atEnd(i + 1))
                return true;
            return at(i + 1) == '.' && isDigit(at(i + 2)) && !atEnd(i + 2);
        }
        if (at(i) == '.')
            return !atEnd(i + 1) && isDigit(at(i + 1));
        return !atEnd(i) && isDigit(at(i));
    }

    // 4.3.7, called with m_pos after the backslash.
    void consumeEscape(QByteArray &out)
    {
        if (atEnd(m_pos)) {
            appendUtf8(out, 0xFFFD);
            return;
        }
        if (isHexDigit(peek())) {
            char32_t cp = 0;
            for (int n = 0; n < 6 && !atEnd(m_pos) && isHexDigit(peek()); ++n, ++m_pos)
                cp = cp * 16 + hexValue(m_css[m_pos]);
            if (peek() == '\r' && at(m_pos + 1) == '\n')
                m_pos += 2;
            else if (!atEnd(m_pos) && isWhitespace(peek()))
                ++m_pos;
            appendUtf8(out, cp);
            return;
        }
        out.append(m_css[m_pos++]);
    }

    // 4.3.11
    QByteArray consumeName()
    {
        QByteArray name;
        while (!atEnd(m_pos)) {
            if (isName(peek())) {
                name.append(m_css[m_pos++]);
            } else if (validEscape(m_pos)) {
                ++m_pos;
                consumeEscape(name);
            } else {
                break;
            }
        }
        return name;
    }

    // 4.3.12; returns the number as written.
    QByteArray consumeNumber()
    {
        const qsizetype start = m_pos;
        if (peek() == '+' || peek() == '-')
            ++m_pos;
        while (!atEnd(m_pos) && isDigit(peek()))
            ++m_pos;
        if (peek() == '.' && isDigit(at(m_pos + 1)) && !atEnd(m_pos + 1)) {
            m_pos += 2;
            while (!atEnd(m_pos) && isDigit(peek()))
                ++m_pos;
        }
        if ((peek() == 'e' || peek() == 'E') && !atEnd(m_pos)) {
            qsizetype i = m_pos + 1;
            if (at(i) == '+' || at(i) == '-')
                ++i;
            if (!atEnd(i) && isDigit(at(i))) {
                m_pos = i;
                while (!atEnd(m_pos) && isDigit(peek()))
                    ++m_pos;
            }
        }
        return m_css.sliced(start, m_pos - start).toByteArray();
    }

    // 4.3.3
    CssToken consumeNumeric()
    {
        CssToken token;
        token.value = consumeNumber();
        if (startsIdent(m_pos)) {
            token.type = CssTokenType::Dimension;
            token.unit = consumeName();
        } else if (peek() == '%' && !atEnd(m_pos)) {
            ++m_pos;
            token.type = CssTokenType::Percentage;
        } else {
            token.type = CssTokenType::Number;
        }
        return token;
    }

    // 4.3.5, called with m_pos after the opening quote.
    CssToken consumeString(char quote)
    {
        CssToken token{CssTokenType::String, {}, {}, false, false, 0, 0};
        while (true) {
            if (atEnd(m_pos)) {
                token.unterminated = true; // a parse error; the string ends here
                return token;
            }
            const char c = m_css[m_pos];
            if (c == quote) {
                ++m_pos;
                return token;
            }
            if (isNewline(c)) { // left unconsumed: it becomes whitespace
                token.type = CssTokenType::BadString;
                return token;
            }
            ++m_pos;
            if (c == '\\') {
                if (atEnd(m_pos))
                    continue;
                if (isNewline(peek())) {
                    m_pos += (peek() == '\r' && at(m_pos + 1) == '\n') ? 2 : 1;
                    continue;
                }
                consumeEscape(token.value);
                continue;
            }
            token.value.append(c);
        }
    }

    // 4.3.14
    void consumeBadUrlRemnants()
    {
        while (!atEnd(m_pos)) {
            if (peek() == ')') {
                ++m_pos;
                return;
            }
            if (validEscape(m_pos)) {
                ++m_pos;
                QByteArray ignored;
                consumeEscape(ignored);
                continue;
            }
            ++m_pos;
        }
    }

    // 4.3.6, called with m_pos after "url(".
    CssToken consumeUrl()
    {
        CssToken token{CssTokenType::Url, {}, {}, false, false, 0, 0};
        while (!atEnd(m_pos) && isWhitespace(peek()))
            ++m_pos;
        while (true) {
            if (atEnd(m_pos)) {
                token.unterminated = true;
                return token;
            }
            const char c = m_css[m_pos];
            if (c == ')') {
                ++m_pos;
                return token;
            }
            if (isWhitespace(c)) {
                while (!atEnd(m_pos) && isWhitespace(peek()))
                    ++m_pos;
                if (atEnd(m_pos)) {
                    token.unterminated = true;
                    return token;
                }
                if (peek() == ')') {
                    ++m_pos;
                    return token;
                }
                consumeBadUrlRemnants();
                return CssToken{CssTokenType::BadUrl, {}, {}, false, false, 0, 0};
            }
            if (c == '"' || c == '\'' || c == '(' || isNonPrintable(c)) {
                consumeBadUrlRemnants();
                return CssToken{CssTokenType::BadUrl, {}, {}, false, false, 0, 0};
            }
            if (c == '\\') {
                if (validEscape(m_pos)) {
                    ++m_pos;
                    consumeEscape(token.value);
                    continue;
                }
                consumeBadUrlRemnants();
                return CssToken{CssTokenType::BadUrl, {}, {}, false, false, 0, 0};
            }
            token.value.append(c);
            ++m_pos;
        }
    }

    // 4.3.4
    CssToken consumeIdentLike()
    {
        QByteArray name = consumeName();
        if (name.compare("url", Qt::CaseInsensitive) == 0 && peek() == '(' && !atEnd(m_pos)) {
            ++m_pos;
            qsizetype i = m_pos;
            while (!atEnd(i) && isWhitespace(at(i)))
                ++i;
            // url( "x" ) is a function with a string argument; url(x) a url token.
            if (at(i) == '"' || at(i) == '\'')
                return CssToken{CssTokenType::Function, name, {}, false, false, 0, 0};
            return consumeUrl();
        }
        if (peek() == '(' && !atEnd(m_pos)) {
            ++m_pos;
            return CssToken{CssTokenType::Function, name, {}, false, false, 0, 0};
        }
        return CssToken{CssTokenType::Ident, name, {}, false, false, 0, 0};
    }

    CssToken simple(CssTokenType type)
    {
        ++m_pos;
        return CssToken{type, {}, {}, false, false, 0, 0};
    }

    CssToken delim()
    {
        return CssToken{CssTokenType::Delim, QByteArray(1, m_css[m_pos++]), {}, false, false, 0, 0};
    }

    // 4.3.1
    CssToken next()
    {
        const char c = peek();
        if (c == '/' && at(m_pos + 1) == '*' && !atEnd(m_pos + 1)) { // 4.3.2
            CssToken token{CssTokenType::Comment, {}, {}, false, false, 0, 0};
            const qsizetype end = m_css.sliced(m_pos + 2).indexOf(QByteArrayView("*/"));
            if (end < 0) {
                token.unterminated = true;
                m_pos = m_css.size();
            } else {
                m_pos += 2 + end + 2;
            }
            return token;
        }
        if (isWhitespace(c)) {
            while (!atEnd(m_pos) && isWhitespace(peek()))
                ++m_pos;
            return CssToken{CssTokenType::Whitespace, {}, {}, false, false, 0, 0};
        }
        switch (c) {
        case '"':
        case '\'':
            ++m_pos;
            return consumeString(c);
        case '#':
            if (!atEnd(m_pos + 1) && (isName(at(m_pos + 1)) || validEscape(m_pos + 1))) {
                ++m_pos;
                CssToken token{CssTokenType::Hash, {}, {}, startsIdent(m_pos), false, 0, 0};
                token.value = consumeName();
                return token;
            }
            return delim();
        case '(':
            return simple(CssTokenType::LeftParen);
        case ')':
            return simple(CssTokenType::RightParen);
        case '+':
        case '.':
            if (startsNumber(m_pos))
                return consumeNumeric();
            return delim();
        case ',':
            return simple(CssTokenType::Comma);
        case '-':
            if (startsNumber(m_pos))
                return consumeNumeric();
            if (at(m_pos + 1) == '-' && at(m_pos + 2) == '>' && !atEnd(m_pos + 2)) {
                m_pos += 3;
                return CssToken{CssTokenType::Cdc, {}, {}, false, false, 0, 0};
            }
            if (startsIdent(m_pos))
                return consumeIdentLike();
            return delim();
        case ':':
            return simple(CssTokenType::Colon);
        case ';':
            return simple(CssTokenType::Semicolon);
        case '<':
            if (m_css.sliced(m_pos).startsWith(QByteArrayView("<!--"))) {
                m_pos += 4;
                return CssToken{CssTokenType::Cdo, {}, {}, false, false, 0, 0};
            }
            return delim();
        case '@':
            if (startsIdent(m_pos + 1)) {
                ++m_pos;
                return CssToken{CssTokenType::AtKeyword, consumeName(), {}, false, false, 0, 0};
            }
            return delim();
        case '[':
            return simple(CssTokenType::LeftBracket);
        case ']':
            return simple(CssTokenType::RightBracket);
        case '{':
            return simple(CssTokenType::LeftBrace);
        case '}':
            return simple(CssTokenType::RightBrace);
        case '\\':
            if (validEscape(m_pos))
                return consumeIdentLike();
            return delim(); // a parse error
        default:
            break;
        }
        if (isDigit(c))
            return consumeNumeric();
        if (isNameStart(c))
            return consumeIdentLike();
        return delim();
    }

    QByteArrayView m_css;
    qsizetype m_pos = 0;
};

} // namespace

QList<CssToken> tokenizeCss(QByteArrayView css, bool *truncated)
{
    return Tokenizer(css).run(truncated);
}
