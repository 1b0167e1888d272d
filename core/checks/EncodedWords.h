#pragma once

// RFC 2047 encoded-words ("=?charset?B?...?=") in a raw header value: where they are, whether
// they are well formed, and whether the field allows one there (RFC 2047 5).

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

enum class EncodedWordPlace
{
    Text,          // unstructured fields (Subject, Comments, X-*): anywhere, as its own word
    Address,       // address fields: in a display name or a comment only
    Parameterized, // Content-Type, Content-Disposition: in comments only
    Structured     // other structured fields: in comments only
};

struct EncodedWordProblem
{
    enum class Kind
    {
        TooLong,  // over 75 characters (RFC 2047 2)
        Syntax,   // bad charset, encoding letter or encoded text (RFC 2047 2, 4)
        InQuotes, // inside a quoted string (RFC 2047 5 (3))
        Misplaced // where the field allows none, or glued to other text (RFC 2047 5)
    };
    Kind kind;
    qsizetype offset; // into the value
    QString text;
};

// Every problem of every encoded-word in `value`, read as a field of `place`.
QList<EncodedWordProblem> checkEncodedWords(QByteArrayView value, EncodedWordPlace place);
