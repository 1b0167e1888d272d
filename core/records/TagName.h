#pragma once

#include <QString>
#include <QStringList>

// A tag is a mailbox: a name shown in the sidebar, an IMAP folder, a POP3 login. Names are
// compared as the store compares them (ASCII letters case-insensitively), and refused when a
// folder list or a comma-separated X-Tags header could not carry them.
namespace tag_name {
constexpr qsizetype kMaxLength = 100;

// Why `name` cannot be a tag (empty, too long, a control character, a character reserved by
// IMAP folder names or X-Tags); an empty string when it can.
QString problem(const QString &name);

bool same(const QString &a, const QString &b);

// `tags` with each name once (the first spelling kept), in their order.
QStringList distinct(const QStringList &tags);
// distinct(tags) in name order (case-insensitive): how a message lists its tags.
QStringList ordered(const QStringList &tags);
} // namespace tag_name
