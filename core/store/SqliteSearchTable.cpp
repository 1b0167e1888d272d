#include "SqliteSearchTable.h"

#include "SqliteBlobs.h"
#include "SqliteHandle.h"

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

// smtpeek_fold_recipients(rcpt_to): the envelope recipients, joined by blanks as MessageQuery
// joins them, folded.
void foldRecipientsFunction(sqlite3_context *context, int, sqlite3_value **arguments)
{
    const auto *bytes = static_cast<const char *>(sqlite3_value_blob(arguments[0]));
    const auto recipients = unpack<QList<QByteArray>>(
        QByteArray::fromRawData(bytes, sqlite3_value_bytes(arguments[0])));
    QStringList texts;
    for (const QByteArray &recipient : recipients)
        texts.append(QString::fromUtf8(recipient));
    resultText(context, foldedForSearch(texts.join(u' ')));
}

// The values of one search row, taken from the columns of a `messages` row; `row` is "new."
// in a trigger and empty in a SELECT from messages.
QString searchRowValues(const QString &row)
{
    return QStringLiteral("%1id, %1read != 0, ifnull(%1has_attachments, 0) != 0,"
                          " smtpeek_fold(%1h_subject), smtpeek_fold(%1h_from),"
                          " smtpeek_fold(%1mail_from), smtpeek_fold(%1h_to),"
                          " smtpeek_fold_recipients(%1rcpt_to)")
        .arg(row);
}

const char kSearchColumns[] = "id, read, has_attachments, subject, header_from, envelope_from,"
                              " header_to, envelope_to";
} // namespace

QString foldedForSearch(const QString &text)
{
    return text.toCaseFolded();
}

bool addSearchFunctions(const QSqlDatabase &db)
{
    sqlite3 *sqlite = sqliteHandle(db);
    if (!sqlite)
        return false;
    // Deterministic and innocuous: pure functions of their argument, fit for triggers.
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
        QStringLiteral("CREATE TRIGGER IF NOT EXISTS message_search_insert AFTER INSERT ON messages"
                       " BEGIN INSERT OR REPLACE INTO message_search (%1) VALUES (%2); END")
            .arg(QLatin1String(kSearchColumns), searchRowValues(QStringLiteral("new."))),
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
            .arg(QLatin1String(kSearchColumns), searchRowValues(QString())),
    };
}
