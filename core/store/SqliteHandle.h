#pragma once

struct sqlite3;
class QSqlDatabase;

// The SQLite connection under an open QtSql one, for what QtSql does not offer (SQL functions,
// the WAL commit hook); nullptr when the connection is not a SQLite one, or its SQLite is not
// the library this program links.
sqlite3 *sqliteHandle(const QSqlDatabase &db);
