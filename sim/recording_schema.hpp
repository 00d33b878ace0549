// The recording's schema (recording-schema.md): the SQL of every version and
// the code that brings a file up to the version this execsim writes.
#pragma once

#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace execsim {

/// One step of the schema's history: turns a file of `version - 1` into one
/// of `version`. Its SQL comes from the table descriptions
/// (sim/record_tables.cpp: each table's and column's `since`) plus the views
/// of that version. A released table or column is never edited: a change
/// is a new version (recording_schema_version + 1) with new tables or
/// columns marked `since` it, and tests/data/recording/released_v*.sql
/// gains that version's SQL. (Version 6 rewrote four CHECKs' text into
/// equivalent forms, in place: the only edit, and one of text, not of
/// what a column accepts.)
struct schema_migration {
  int version;
  const char* summary;
  std::string sql; // the new tables (from their descriptions), then views
  // Run after `sql`, in the same transaction, for what SQL alone cannot do
  // (version 6 rewrites CHECK texts in sqlite_master); nullptr = nothing.
  bool (*after_sql)(sqlite3* db, std::string& error) = nullptr;
};

/// Every step, oldest first; the last one's version is
/// recording_schema_version (checked at compile time).
const std::vector<schema_migration>& recording_migrations();

/// A view and the schema version that brought it.
struct recording_view {
  const char* name;
  int since;
};

/// The views a file must have (those up to its version; the tables and
/// their columns: recording_tables() in sim/record_tables.hpp).
const std::vector<recording_view>& recording_views();

/// Reads the file's schema version without writing anything. A file that is
/// not SQLite, not an execsim recording, or of a newer version is refused:
/// nullopt and `error` says why (prefixed with `path`).
std::optional<int> read_recording_version(sqlite3* db, const std::string& path,
                                          std::string& error);

/// read_recording_version, then checks that the file has the tables (with
/// their columns) and views of its version; a version-0 file, only that the
/// tables it has fit. Reads only: a foreign file is refused before anything
/// in it is changed.
std::optional<int> identify_recording(sqlite3* db, const std::string& path,
                                      std::string& error);

/// Applies the missing steps in one write transaction (so concurrent openers
/// of a fresh file create the schema once) and verifies the tables, columns
/// and views. On failure nothing is changed: false and `error` says why.
bool migrate_recording(sqlite3* db, const std::string& path,
                       std::string& error);

} // namespace execsim
