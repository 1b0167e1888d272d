#pragma once

#include <QByteArray>
#include <QString>

#include <type_traits>

struct sqlite3;
struct sqlite3_stmt;

// One SQL statement prepared once on a raw connection and run many times, its values bound by
// position and by their C++ type. The store's writer runs a few statements per message: through
// QSqlQuery, each value went into a QVariant and was bound by name, which was 30-40% of an insert.
class SqliteStatement
{
public:
    SqliteStatement(sqlite3 *db, const QString &sql); // a failure is logged; run() then fails
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // "INSERT ... INTO table (columns) VALUES (?, ...)"; `into` is "INSERT [OR ...] INTO table",
    // `columns` are separated by blanks.
    static QString insertSql(const QString &into, const char *columns);

    // Binds one value per placeholder, in order, and runs the statement, which returns no rows
    // (INSERT, UPDATE, BEGIN...). A null QString or QByteArray is SQL NULL; an empty one is empty
    // TEXT or BLOB. False (logged) on any error.
    template <typename... Values> bool run(const Values &...values)
    {
        if (!ready(int(sizeof...(Values))))
            return false;
        int index = 0;
        (bind(++index, values), ...);
        return step();
    }

private:
    bool ready(int valueCount) const;
    bool step();
    void bind(int index, const QByteArray &blob); // bound without a copy, valid until step()
    void bind(int index, const QString &text);
    void bindInteger(int index, qint64 value);
    template <typename Integer, typename = std::enable_if_t<std::is_integral_v<Integer>>>
    void bind(int index, Integer value)
    {
        bindInteger(index, qint64(value));
    }

    sqlite3_stmt *m_statement = nullptr;
};
