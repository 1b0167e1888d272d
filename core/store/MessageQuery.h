#pragma once

#include "records/Records.h"

#include <QStringList>
#include <optional>

// A search over message summaries, in Mailpit's syntax: `from:alice to:bob subject:"weekly
// report" is:unread invoice`. Terms are case-insensitive substrings and all must match; a plain
// word matches the From, To, Subject or envelope addresses. `-term` (or `!term`) excludes.
// `tag:NAME` wants that tag (the whole name, compared as TagName.h compares), `is:tagged` any.
struct MessageQuery
{
    enum class Field { Any, From, To, Subject };
    struct Term
    {
        Field field = Field::Any;
        QString text;
        bool negated = false;
    };

    struct TagTerm
    {
        QString name;
        bool negated = false;
    };

    QList<Term> terms;
    QList<TagTerm> tags;
    std::optional<bool> read;
    std::optional<bool> hasAttachments;
    std::optional<bool> tagged;

    static MessageQuery parse(const QString &text);
    // Why `text` is not a well-formed query (an unclosed quote, a prefix without a value), or
    // empty. parse() reads any text; callers that must refuse bad input ask this first.
    static QString syntaxProblem(const QString &text);
    bool isEmpty() const
    {
        return terms.isEmpty() && tags.isEmpty() && !read && !hasAttachments && !tagged;
    }
    bool matches(const MessageSummary &summary) const;
};
