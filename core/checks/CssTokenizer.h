#pragma once

// A CSS tokenizer that follows CSS Syntax Module Level 3, section 4 ("Tokenization"), over the
// UTF-8 bytes of a style sheet or a style="" attribute. Debian 12 packages no maintained CSS
// parsing library for C or C++ (libcroco is unmaintained and CSS 2 only), so the HTML
// compatibility check tokenizes CSS itself. Offsets are byte offsets into the input, so a
// finding can point at its place in the HTML source.
//
// Deviations from the specification, both deliberate: comments are kept as Comment tokens
// (caniemail scores "CSS comments" as a feature), and the input is not preprocessed (CR, FF and
// CRLF count as newlines where they occur; NUL is left alone), so offsets stay exact.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

enum class CssTokenType
{
    Ident,
    Function, // value: the name, without "("
    AtKeyword,
    Hash,
    String,
    BadString,
    Url,
    BadUrl,
    Delim,
    Number,
    Percentage,
    Dimension, // value: the number as written, unit: the unit
    Whitespace,
    Cdo,
    Cdc,
    Colon,
    Semicolon,
    Comma,
    LeftBracket,
    RightBracket,
    LeftParen,
    RightParen,
    LeftBrace,
    RightBrace,
    Comment,
};

struct CssToken
{
    CssTokenType type = CssTokenType::Delim;
    QByteArray value;          // names and strings with escapes resolved; Delim: the code point
    QByteArray unit;           // Dimension only
    bool hashIsId = false;     // Hash only: "id" type flag (a valid identifier follows "#")
    bool unterminated = false; // Comment, String or Url that ran into the end of the input
    qsizetype offset = 0;
    qsizetype length = 0;
};

// Bounds hostile input: tokenizing stops after this many tokens (`*truncated` says so).
constexpr qsizetype kMaxCssTokens = 1'000'000;

// Every token of `css`, in order. Never fails: malformed CSS yields the tokens the
// specification says (BadString, BadUrl, a Comment or String that ends at the end of input).
QList<CssToken> tokenizeCss(QByteArrayView css, bool *truncated = nullptr);
