#pragma once

#include "store/MessageQuery.h"

#include <QRegularExpression>
#include <QStringList>

struct MessageRecord;

// The tags a message gets as it is stored: the names in its X-Tags header, the part after '+'
// of each plus-addressed recipient (user+invoice@… tags "invoice"), the tag of every tag rule
// whose search query matches it (Mailpit's --tag "Invoices=subject:invoice"), and the tag of
// every routing rule whose pattern matches its envelope recipient, sender, client address,
// AUTH user or a header (smtp4dev's mailboxes). Names a header or an address carries that
// could not be a tag (TagName.h) are skipped.
class TagRules
{
public:
    struct QueryRule
    {
        QString tag;
        MessageQuery query;
    };
    struct Route
    {
        enum class Field
        {
            Recipient,
            Sender,
            Client,
            AuthUser,
            Header
        };
        QString tag;
        Field field = Field::Recipient;
        QByteArray header;          // for Field::Header
        QRegularExpression pattern; // from a glob (anchored, case-insensitive) or a /regex/
    };

    bool plusAddressing = true;
    QList<QueryRule> queryRules;
    QList<Route> routes;

    // One rule as the command line and the tags file write it:
    //   TAG=QUERY                           a tag rule (our search syntax)
    //   TAG <- FIELD PATTERN                a routing rule; FIELD is recipient, sender, client,
    //                                       auth or header:NAME; PATTERN a glob (*, ?) or /regex/
    // False with a reason when it is neither.
    bool addRule(const QString &line, QString *error);
    // Every rule of a file, one a line; blank lines and lines starting with '#' are skipped.
    // False with the reason and line number of the first bad one.
    bool addFile(const QString &path, QString *error);

    bool isEmpty() const { return !plusAddressing && queryRules.isEmpty() && routes.isEmpty(); }

    // Its tags from every source, each once, X-Tags first; needs `message.headline`.
    QStringList tagsFor(const MessageRecord &message) const;

    // `*` any run of characters, `?` one, the rest literal; the whole value, any case.
    static QRegularExpression globPattern(const QString &glob);
};
