#include "CssFeatures.h"

#include "CssTokenizer.h"

#include <vector>

namespace {

using Type = CssTokenType;

bool isDelim(const CssToken &token, char c)
{
    return token.type == Type::Delim && token.value.size() == 1 && token.value[0] == c;
}

bool opensBlock(Type type)
{
    return type == Type::LeftParen || type == Type::LeftBracket || type == Type::Function;
}

bool closesBlock(Type type)
{
    return type == Type::RightParen || type == Type::RightBracket;
}

// At-rules whose block holds rules; the others (font-face, page, ...) hold declarations.
bool holdsRules(const QByteArray &name)
{
    return name == "media" || name == "supports" || name == "document" || name == "container" ||
           name == "layer" || name == "scope" || name == "-moz-document" ||
           name == "starting-style";
}

bool holdsKeyframes(const QByteArray &name)
{
    return name.endsWith("keyframes"); // with or without a vendor prefix
}

// CSS 2 wrote these pseudo-elements with one colon; browsers still accept that.
bool isLegacyPseudoElement(const QByteArray &name)
{
    return name == "before" || name == "after" || name == "first-line" || name == "first-letter";
}

class Walker
{
public:
    enum class Block
    {
        Rules,
        Declarations,
        Keyframes
    };

    explicit Walker(QByteArrayView css)
    {
        m_tokens = tokenizeCss(css, &m_result.truncated);
        for (const CssToken &token : m_tokens)
            m_result.unterminated = m_result.unterminated || token.unterminated;
    }

    CssFeatures run(Block outermost)
    {
        m_blocks.push_back(outermost);
        while (m_at < m_tokens.size()) {
            const CssToken &token = m_tokens[m_at];
            switch (token.type) {
            case Type::Whitespace:
            case Type::Cdo:
            case Type::Cdc:
            case Type::Semicolon:
                ++m_at;
                break;
            case Type::Comment:
                add(CssFeatureKind::Comment, {}, token.offset);
                ++m_at;
                break;
            case Type::RightBrace:
                if (m_blocks.size() > 1)
                    m_blocks.pop_back();
                ++m_at;
                break;
            case Type::AtKeyword:
                atRule();
                break;
            default:
                if (m_blocks.back() == Block::Declarations && !ruleFollows())
                    declaration();
                else
                    qualifiedRule();
                break;
            }
        }
        return std::move(m_result);
    }

private:
    void add(CssFeatureKind kind, const QByteArray &name, qsizetype offset,
             const QByteArray &value = {})
    {
        m_result.uses.append(CssFeatureUse{kind, name.toLower(), value, offset});
    }

    // In a declaration list, "a:hover { ... }" is a nested rule, "color: red;" a declaration:
    // whichever of "{" and ";" comes first decides.
    bool ruleFollows() const
    {
        int depth = 0;
        for (qsizetype i = m_at; i < m_tokens.size(); ++i) {
            const Type type = m_tokens[i].type;
            if (opensBlock(type))
                ++depth;
            else if (closesBlock(type) && depth > 0)
                --depth;
            else if (depth == 0 && type == Type::LeftBrace)
                return true;
            else if (depth == 0 && (type == Type::Semicolon || type == Type::RightBrace))
                return false;
        }
        return false;
    }

    // The end of a prelude or a value: the first ";", "{" or "}" outside parentheses.
    qsizetype endOfComponent(qsizetype from, bool stopAtBrace) const
    {
        int depth = 0;
        for (qsizetype i = from; i < m_tokens.size(); ++i) {
            const Type type = m_tokens[i].type;
            if (opensBlock(type))
                ++depth;
            else if (closesBlock(type) && depth > 0)
                --depth;
            else if (depth == 0 && (type == Type::Semicolon || type == Type::RightBrace ||
                                    (stopAtBrace && type == Type::LeftBrace)))
                return i;
        }
        return m_tokens.size();
    }

    void atRule()
    {
        const CssToken &keyword = m_tokens[m_at];
        const QByteArray name = keyword.value.toLower();
        add(CssFeatureKind::AtRule, name, keyword.offset);
        const qsizetype end = endOfComponent(m_at + 1, true);
        for (qsizetype i = m_at + 1; i < end; ++i) {
            const CssToken &token = m_tokens[i];
            if (token.type == Type::LeftParen || token.type == Type::Function) {
                qsizetype j = i + 1;
                while (j < end && m_tokens[j].type == Type::Whitespace)
                    ++j;
                if (j < end && m_tokens[j].type == Type::Ident)
                    add(CssFeatureKind::MediaFeature, m_tokens[j].value, m_tokens[j].offset);
            }
            if (token.type == Type::Function)
                add(CssFeatureKind::Function, token.value, token.offset);
        }
        m_at = end;
        if (m_at < m_tokens.size() && m_tokens[m_at].type == Type::LeftBrace) {
            ++m_at;
            if (holdsKeyframes(name))
                m_blocks.push_back(Block::Keyframes);
            else if (holdsRules(name) && m_blocks.back() != Block::Declarations)
                m_blocks.push_back(Block::Rules);
            else
                m_blocks.push_back(Block::Declarations);
        } else if (m_at < m_tokens.size() && m_tokens[m_at].type == Type::Semicolon) {
            ++m_at;
        }
    }

    void qualifiedRule()
    {
        const qsizetype end = endOfComponent(m_at, true);
        if (end >= m_tokens.size() || m_tokens[end].type != Type::LeftBrace) {
            m_at = end; // not a rule: skip up to the ";" or "}" (CSS Syntax 3 5.4.3)
            if (m_at < m_tokens.size() && m_tokens[m_at].type == Type::Semicolon)
                ++m_at;
            return;
        }
        if (m_blocks.back() == Block::Declarations)
            add(CssFeatureKind::Nesting, {}, m_tokens[m_at].offset);
        if (m_blocks.back() != Block::Keyframes)
            selector(m_at, end);
        m_at = end + 1;
        m_blocks.push_back(Block::Declarations);
    }

    void declaration()
    {
        const CssToken &nameToken = m_tokens[m_at];
        const qsizetype end = endOfComponent(m_at, false);
        qsizetype i = m_at + 1;
        while (i < end && m_tokens[i].type == Type::Whitespace)
            ++i;
        if (nameToken.type != Type::Ident || i >= end || m_tokens[i].type != Type::Colon) {
            m_at = end < m_tokens.size() && m_tokens[end].type == Type::Semicolon ? end + 1 : end;
            return; // not a declaration (CSS Syntax 3 5.4.5: skip to the ";")
        }
        if (nameToken.value.startsWith("--"))
            add(CssFeatureKind::CustomProperty, nameToken.value, nameToken.offset);
        QByteArray keywords;
        for (++i; i < end; ++i) {
            const CssToken &token = m_tokens[i];
            switch (token.type) {
            case Type::Ident:
                if (!keywords.isEmpty())
                    keywords.append(' ');
                keywords.append(token.value.toLower());
                break;
            case Type::Function:
                add(CssFeatureKind::Function, token.value, token.offset);
                if (token.value.compare("var", Qt::CaseInsensitive) == 0)
                    add(CssFeatureKind::CustomProperty, "var", token.offset);
                break;
            case Type::Url:
                add(CssFeatureKind::Function, "url", token.offset);
                break;
            case Type::Dimension:
                add(CssFeatureKind::Unit, token.unit, token.offset);
                break;
            case Type::Percentage:
                add(CssFeatureKind::Unit, "%", token.offset);
                break;
            case Type::Comment:
                add(CssFeatureKind::Comment, {}, token.offset);
                break;
            default:
                if (isDelim(token, '!')) {
                    qsizetype j = i + 1;
                    while (j < end && m_tokens[j].type == Type::Whitespace)
                        ++j;
                    if (j < end && m_tokens[j].type == Type::Ident &&
                        m_tokens[j].value.compare("important", Qt::CaseInsensitive) == 0) {
                        add(CssFeatureKind::Important, {}, token.offset);
                        i = j;
                    }
                }
                break;
            }
        }
        add(CssFeatureKind::Property, nameToken.value, nameToken.offset, keywords);
        m_at = end < m_tokens.size() && m_tokens[end].type == Type::Semicolon ? end + 1 : end;
    }

    // Selectors Level 3/4 structure: compound selectors joined by combinators, grouped by ",".
    void selector(qsizetype begin, qsizetype end)
    {
        int simpleInCompound = 0;
        bool pendingSpace = false;
        bool afterCombinator = true; // at the start nothing precedes
        const auto simple = [&](const char *name, qsizetype offset) {
            if (pendingSpace && !afterCombinator)
                add(CssFeatureKind::Selector, "descendant", offset);
            if (pendingSpace && !afterCombinator)
                simpleInCompound = 0;
            pendingSpace = false;
            afterCombinator = false;
            if (name) {
                add(CssFeatureKind::Selector, name, offset);
                if (++simpleInCompound == 2)
                    add(CssFeatureKind::Selector, "chaining", offset);
            }
        };
        const auto combinator = [&](const char *name, qsizetype offset) {
            add(CssFeatureKind::Selector, name, offset);
            simpleInCompound = 0;
            pendingSpace = false;
            afterCombinator = true;
        };
        for (qsizetype i = begin; i < end; ++i) {
            const CssToken &token = m_tokens[i];
            if (token.type == Type::Whitespace || token.type == Type::Comment) {
                pendingSpace = true;
            } else if (token.type == Type::Comma) {
                combinator("grouping", token.offset);
            } else if (isDelim(token, '>')) {
                combinator("child", token.offset);
            } else if (isDelim(token, '+')) {
                combinator("adjacent-sibling", token.offset);
            } else if (isDelim(token, '~')) {
                combinator("general-sibling", token.offset);
            } else if (isDelim(token, '*')) {
                simple("universal", token.offset);
            } else if (token.type == Type::Ident) {
                simple("type", token.offset);
            } else if (token.type == Type::Hash) {
                simple("id", token.offset);
            } else if (isDelim(token, '.') && i + 1 < end && m_tokens[i + 1].type == Type::Ident) {
                simple("class", token.offset);
                ++i;
            } else if (token.type == Type::LeftBracket) {
                simple("attribute", token.offset);
                while (i + 1 < end && m_tokens[i].type != Type::RightBracket)
                    ++i;
            } else if (token.type == Type::Colon && i + 1 < end) {
                simple(nullptr, token.offset);
                const bool element = m_tokens[i + 1].type == Type::Colon;
                if (element)
                    ++i;
                if (i + 1 >= end)
                    continue;
                const CssToken &name = m_tokens[++i];
                if (name.type != Type::Ident && name.type != Type::Function)
                    continue;
                const bool legacy = !element && isLegacyPseudoElement(name.value.toLower());
                add(element || legacy ? CssFeatureKind::PseudoElement : CssFeatureKind::PseudoClass,
                    name.value, token.offset);
                if (name.type == Type::Function)
                    i = skipArguments(i + 1, end);
            }
        }
    }

    // The index of the ")" closing a function whose arguments start at `from`.
    qsizetype skipArguments(qsizetype from, qsizetype end) const
    {
        int depth = 1;
        for (qsizetype i = from; i < end; ++i) {
            if (opensBlock(m_tokens[i].type))
                ++depth;
            else if (closesBlock(m_tokens[i].type) && --depth == 0)
                return i;
        }
        return end;
    }

    QList<CssToken> m_tokens;
    qsizetype m_at = 0;
    std::vector<Block> m_blocks;
    CssFeatures m_result;
};

} // namespace

CssFeatures findStyleSheetFeatures(QByteArrayView css)
{
    return Walker(css).run(Walker::Block::Rules);
}

CssFeatures findDeclarationFeatures(QByteArrayView css)
{
    return Walker(css).run(Walker::Block::Declarations);
}
