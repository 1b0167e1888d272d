#include "SqliteStatement.h"

#include <QLoggingCategory>
#include <QStringList>

#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcStatement, "smtpeek.store")

SqliteStatement::SqliteStatement(sqlite3 *db, const QString &sql)
{
    const QByteArray utf8 = sql.toUtf8();
    if (!db || sqlite3_prepare_v3(db, utf8.constData(), int(utf8.size()), SQLITE_PREPARE_PERSISTENT,
                                  &m_statement, nullptr) != SQLITE_OK) {
        qCWarning(lcStatement) << "cannot prepare" << sql << ":"
                               << (db ? sqlite3_errmsg(db) : "no connection");
        sqlite3_finalize(m_statement);
        m_statement = nullptr;
    }
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_statement);
}

QString SqliteStatement::insertSql(const QString &into, const char *columns)
{
    const QStringList names = QString::fromLatin1(columns).split(u' ', Qt::SkipEmptyParts);
    QStringList placeholders;
    placeholders.fill(QStringLiteral("?"), names.size());
    return QStringLiteral("%1 (%2) VALUES (%3)")
        .arg(into, names.join(u','), placeholders.join(u','));
}

bool SqliteStatement::ready(int valueCount) const
{
    Q_ASSERT(!m_statement || valueCount == sqlite3_bind_parameter_count(m_statement));
    Q_UNUSED(valueCount);
    return m_statement != nullptr;
}

bool SqliteStatement::step()
{
    const bool done = sqlite3_step(m_statement) == SQLITE_DONE;
    if (!done) {
        qCWarning(lcStatement) << "statement failed:"
                               << sqlite3_errmsg(sqlite3_db_handle(m_statement))
                               << sqlite3_sql(m_statement);
    }
    // Blobs were bound without a copy: nothing may point at them once run() returns.
    sqlite3_reset(m_statement);
    sqlite3_clear_bindings(m_statement);
    return done;
}

void SqliteStatement::bind(int index, const QByteArray &blob)
{
    if (blob.isNull())
        sqlite3_bind_null(m_statement, index);
    else
        sqlite3_bind_blob64(m_statement, index, blob.constData(), sqlite3_uint64(blob.size()),
                            SQLITE_STATIC);
}

void SqliteStatement::bind(int index, const QString &text)
{
    if (text.isNull()) {
        sqlite3_bind_null(m_statement, index);
        return;
    }
    const QByteArray utf8 = text.toUtf8();
    // A pointer is needed even for empty text: a null one would bind NULL.
    sqlite3_bind_text64(m_statement, index, utf8.isEmpty() ? "" : utf8.constData(),
                        sqlite3_uint64(utf8.size()), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void SqliteStatement::bindInteger(int index, qint64 value)
{
    sqlite3_bind_int64(m_statement, index, value);
}
