#pragma once

// The tag=value lists of DKIM (RFC 6376 3.2), shared by DKIM-Signature, key records and the
// ARC headers (RFC 8617 4.1).

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

struct Tag
{
    QByteArray name;
    QByteArray value;     // surrounding white space removed; inner folding kept
    qsizetype valueBegin; // in the parsed text: just after the '='
    qsizetype valueEnd;   // the terminating ';' or the end of the text
};

struct TagList
{
    QList<Tag> tags;
    QString error; // empty when the list is well formed

    const Tag *tag(QByteArrayView name) const; // case-sensitive, as tag names are
};

// Strict: a malformed tag, a tag without '=', a value with a byte outside VALCHAR / white
// space, or a repeated tag is an error (RFC 6376 3.2: "Tags with duplicate names MUST NOT
// occur"). An empty list is well formed.
TagList parseTagList(QByteArrayView text);

// The value with all white space (folding included) removed: what b=, bh= and p= mean.
QByteArray withoutWhiteSpace(QByteArrayView value);
