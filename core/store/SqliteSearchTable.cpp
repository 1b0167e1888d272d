#include "SqliteSearchTable.h"

#include "SqliteBlobs.h"
#include "SqliteHandle.h"
#include "SqliteStatement.h"
#include "records/Records.h"

#include <QSqlDatabase>

#include <sqlite3.h>

namespace {
QString valueText(sqlite3_value *value)
{
    // For TEXT this is its UTF-8; BLOB columns (the envelope) hold UTF-8 bytes too. NULL: "".
    const auto *bytes = static_cast<const char *>(sqlite3_value_blob(value));
    return QString::fromUtf8(bytes, sqlite3_value_bytes(value));
}

void resultText(sqlite3_context *context, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    sqlite3_result_text(context, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
}

// smtpeek_fold(text or blob): the folded text.
void foldFunction(sqlite3_context *context, int, sqlite3_value **arguments)
{
    resultText(context, foldedForSearch(valueText(arguments[0])));
}

// smtpeek_fold_recipients(rcpt_to): foldedRecipients() of the envelope recipients.
void foldRecipientsFunction(sqlite3_context *context, int, sqlite3_value **arguments)
{
    const auto *bytes = static_cast<const char *>(sqlite3_value_blob(arguments[0]));
    resultText(context, foldedRecipients(unpack<QList<QByteArray>>(
                            QByteArray::fromRawData(bytes, sqlite3_value_bytes(arguments[0])))));
}

// The values of one search row, as a SELECT from `messages` reads them; addSearchRow() binds
// the same values for a new message.
QString searchRowValues()
{
    return QStringLiteral("id, read != 0, ifnull(has_attachments, 0) != 0, smtpeek_fold(h_subject),"
                          " smtpeek_fold(h_from), smtpeek_fold(mail_from), smtpeek_fold(h_to),"
                          " smtpeek_fold_recipients(rcpt_to)");
}

const char kSearchColumns[] = "id read has_attachments subject header_from envelope_from"
                              " header_to envelope_to";

QString searchColumnList()
{
    return QString::fromLatin1(kSearchColumns).split(u' ').join(QLatin1String(", "));
}
} // namespace

QString foldedForSearch(const QString &text)
{
    return text.toCaseFolded();
}

QString foldedRecipients(const QList<QByteArray> &rcptTo)
{
    QStringList texts;
    texts.reserve(rcptTo.size());
    for (const QByteArray &recipient : rcptTo)
        texts.append(QString::fromUtf8(recipient));
    return foldedForSearch(texts.join(u' '));
}

bool addSearchFunctions(const QSqlDatabase &db)
{
    sqlite3 *sqlite = sqliteHandle(db);
    if (!sqlite)
        return false;
    // Deterministic and innocuous: pure functions of their argument.
    constexpr int kFlags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
    return sqlite3_create_function_v2(sqlite, "smtpeek_fold", 1, kFlags, nullptr, foldFunction,
                                      nullptr, nullptr, nullptr) == SQLITE_OK &&
           sqlite3_create_function_v2(sqlite, "smtpeek_fold_recipients", 1, kFlags, nullptr,
                                      foldRecipientsFunction, nullptr, nullptr,
                                      nullptr) == SQLITE_OK;
}

QStringList searchTableSchema()
{
    // The flags come first and the subject before the addresses: a scan reads a row's columns
    // in order, and subject: and is: searches then stop early in each row.
    return {
        QStringLiteral("CREATE TABLE IF NOT EXISTS message_search (id INTEGER PRIMARY KEY,"
                       " read INTEGER NOT NULL, has_attachments INTEGER NOT NULL,"
                       " subject TEXT NOT NULL, header_from TEXT NOT NULL,"
                       " envelope_from TEXT NOT NULL, header_to TEXT NOT NULL,"
                       " envelope_to TEXT NOT NULL)"),
        QStringLiteral("CREATE TRIGGER IF NOT EXISTS message_search_read AFTER UPDATE OF read ON"
                       " messages BEGIN UPDATE message_search SET read = new.read != 0"
                       " WHERE id = new.id; END"),
        QStringLiteral("CREATE TRIGGER IF NOT EXISTS message_search_delete AFTER DELETE ON"
                       " messages BEGIN DELETE FROM message_search WHERE id = old.id; END"),
    };
}

QStringList searchTableRefill()
{
    return {
        QStringLiteral("DELETE FROM message_search"),
        QStringLiteral("INSERT INTO message_search (%1) SELECT %2 FROM messages")
            .arg(searchColumnList(), searchRowValues()),
    };
}

QString searchRowInsertSql()
{
    return SqliteStatement::insertSql(QStringLiteral("INSERT INTO message_search"), kSearchColumns);
}

bool addSearchRow(SqliteStatement &insert, const MessageRecord &m)
{
    // As smtpeek_fold() answers for SQL NULL: the text columns are NOT NULL, and a null QString
    // would bind as NULL.
    const auto text = [](const QString &folded) {
        return folded.isNull() ? QStringLiteral("") : folded;
    };
    return insert.run(
        m.id, m.read, m.headline.hasAttachments, text(foldedForSearch(m.headline.subject)),
        text(foldedForSearch(m.headline.from)),
        text(foldedForSearch(QString::fromUtf8(m.envelope.mailFrom))),
        text(foldedForSearch(m.headline.to)), text(foldedRecipients(m.envelope.rcptTo)));
}
