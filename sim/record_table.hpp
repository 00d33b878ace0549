// How one table of the recording is described, once: its name, its columns
// with their SQL declarations, and how a row binds to and reads back from
// them. The DDL, the INSERT, the SELECT and the reading are derived from
// this (sim/record_tables.cpp holds the descriptions).
#pragma once

#include "sim/sqlite_stmt.hpp"

#include <string>
#include <vector>

namespace execsim {

/// When the recording writes a column (a bit set).
enum column_write : unsigned {
  written_never = 0,     // a key SQLite assigns (runs.run_id)
  written_at_insert = 1, // by the row's INSERT
  written_at_finish = 2, // by the UPDATE that finishes a run (runs only)
};

/// A column as the schema sees it.
struct column_schema {
  const char* name;
  const char* decl;    // SQL type and constraints, as in CREATE TABLE
  const char* comment; // "" = none; kept in sqlite_master for `.schema`
  unsigned written = written_at_insert;
  /// The schema version that added it to an existing table; 0 = it came
  /// with its table. (A released table is never changed otherwise: a new
  /// column is a new version, added by ALTER TABLE to older files.)
  int since = 0;
};

/// A table as the schema sees it: its columns in order.
struct table_schema {
  const char* name;
  int since; // the schema version that created it
  std::vector<column_schema> columns;
  const char* indexes = ""; // its CREATE INDEX statements
};

/// The schema version that brought `column` of `table`.
inline int column_since(const table_schema& table, const column_schema& c) {
  return c.since != 0 ? c.since : table.since;
}

/// What migrating a file to `version` does to `table`: CREATE TABLE IF NOT
/// EXISTS (with each column's comment, only the columns of that version)
/// and its indexes if the table is new in `version`; ALTER TABLE ADD
/// COLUMN for each column new in `version`; "" otherwise.
std::string migrate_table_sql(const table_schema& table, int version);

/// "INSERT INTO t (a, b) VALUES (?1, ?2)" for the columns written at insert;
/// `into` names the table written ("main.t", a staging table), "" = t.
std::string insert_sql(const table_schema& table, const std::string& into = {});

/// "UPDATE t SET a = ?1, b = ?2 WHERE <key> = ?3" for the columns written
/// at finish; `into` as for insert_sql.
std::string finish_sql(const table_schema& table, const char* key,
                       const std::string& into = {});

/// "SELECT <every column but the first> FROM t WHERE <first> = ?1
/// ORDER BY <order_by>". Reading a file of an older schema `version`, a
/// column added after it is selected as NULL (such files are read as they
/// are, never migrated by a reader).
std::string select_sql(const table_schema& table, const char* order_by,
                       int version = 0);

/// One column of a table whose rows are `Row`s.
template <class Row>
struct record_column {
  column_schema schema;
  int (*bind)(sqlite3_stmt* stmt, int i, const Row& row);
  void (*read)(sqlite3_stmt* stmt, int i, Row& row);
};

namespace detail {
template <class M>
struct member_of;
template <class R, class V>
struct member_of<V R::*> {
  using row = R;
};
} // namespace detail

/// `c`, added to its table by schema version `version` (its `since`).
template <class Row>
record_column<Row> added_in(int version, record_column<Row> c) {
  c.schema.since = version;
  return c;
}

/// A column that is the member `M` of its row, e.g.
/// `column<&order_row::quantity>("quantity", "INTEGER NOT NULL")`.
template <auto M>
auto column(const char* name, const char* decl, const char* comment = "") {
  using Row = typename detail::member_of<decltype(M)>::row;
  return record_column<Row>{
    {name, decl, comment, written_at_insert},
    [](sqlite3_stmt* stmt, int i, const Row& row) {
      return sql::bind(stmt, i, row.*M);
    },
    [](sqlite3_stmt* stmt, int i, Row& row) { sql::read(stmt, i, row.*M); }};
}

/// A table of `Row`s: its schema (the key column first) and its columns.
template <class Row>
struct record_table {
  table_schema schema;
  /// schema.columns[i + 1] is columns[i] (the key column has no binding).
  std::vector<record_column<Row>> columns;
  const char* order_by; // reading order within a run
};

/// A table with one row per recorded thing of a run: `run_id` (a reference
/// to runs) comes first, then `columns`.
template <class Row>
record_table<Row> per_run_table(const char* name, int since,
                                const char* order_by, const char* indexes,
                                std::vector<record_column<Row>> columns) {
  record_table<Row> table{{name, since, {}, indexes}, std::move(columns),
                          order_by};
  table.schema.columns.push_back(
    {"run_id", "INTEGER NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE",
     "", written_at_insert});
  for (const auto& c : table.columns)
    table.schema.columns.push_back(c.schema);
  return table;
}

/// Binds `row`'s columns that `written` selects to ?first, ?first+1, ...;
/// the next free parameter index, or 0 if a bind failed.
template <class Row>
int bind_row(sqlite3_stmt* stmt, const record_table<Row>& table,
             const Row& row, unsigned written, int first) {
  int i = first;
  for (const auto& c : table.columns) {
    if ((c.schema.written & written) == 0)
      continue;
    if (c.bind(stmt, i++, row) != 0)
      return 0;
  }
  return i;
}

/// Reads a row from the columns of a select_sql() result.
template <class Row>
Row read_row(sqlite3_stmt* stmt, const record_table<Row>& table) {
  Row row{};
  int i = 0;
  for (const auto& c : table.columns)
    c.read(stmt, i++, row);
  return row;
}

} // namespace execsim
