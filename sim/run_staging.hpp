// Where a run whose [[check]]s are still to come is kept until they are
// done: the recording connection's temp schema (recording-schema.md: a run
// is one transaction; a check sees its run's rows and the committed runs,
// and never holds the write lock).
//
// Written into the file directly, a run holds the write lock from its first
// row to its commit, and its checks would hold it too: another process's
// writer (busy timeout 60 s) fails behind a slow check. Staged, the run's
// rows go to temp tables shaped like the file's (temp.execsim_staged_<t>),
// in a transaction that touches only the temp schema. Temp views named like
// the file's tables (and a temp copy of each of its views) show the
// committed runs plus the staged rows, so a check's unqualified names see
// both, from one read snapshot (WAL: readers never block writers). Only
// after the checks does the run take the write lock, for as long as copying
// its rows takes. A process killed at any moment leaves nothing of the run
// in the file.
//
// Made once per connection, at its first run with checks, and kept: between
// runs the staging tables are empty, so the views show exactly the file
// (the recording's own statements name main.<table> anyway).
#pragma once

#include "sim/sqlite_stmt.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace execsim {

class run_staging {
public:
  /// Creates the staging tables (with the file's indexes but their run_id),
  /// the views and the INSERTs. Throws SQLite's reason (prefixed with
  /// `path`); the connection is then left without them.
  run_staging(sqlite3* db, std::string path);
  /// Drops everything it made.
  ~run_staging();
  run_staging(const run_staging&) = delete;
  run_staging& operator=(const run_staging&) = delete;

  /// Starts a run: picks its id and opens the temp-only transaction its
  /// rows go into. Throws.
  void begin();

  /// The id the checks see as :run and in the run's rows: the one the run
  /// would get if it were committed now (the committed runs' largest + 1;
  /// picked again when the checks begin, from their snapshot).
  std::int64_t id() const noexcept {
    return id_;
  }

  /// INSERT of the runs row: ?1 the id, then the columns written at insert
  /// (as recording's own INSERT of runs from ?1).
  sqlite3_stmt* insert_run() const noexcept {
    return insert_run_.get();
  }

  /// The INSERT of each table of a batch, in for_each_batch_table order,
  /// with the same parameters as recording's own INSERTs.
  const std::vector<sql::stmt_ptr>& inserts() const noexcept {
    return inserts_;
  }

  /// Before the first check of the run: takes the read snapshot its checks
  /// share, and renumbers the staged rows if another process committed a
  /// run since id() was picked. Does nothing the second time. Returns id().
  /// Throws.
  std::int64_t show_to_checks();

  /// After the checks: ends the temp-only transaction (the snapshot with
  /// it); the staged rows stay. Throws.
  void end_checks();

  /// Inside the caller's write transaction: inserts the runs row into the
  /// file (it gets the next free run_id) and every staged row under that
  /// id, in the order they were written. Returns the id. Throws.
  std::int64_t copy_into_file();

  /// Ends the run, whatever happened: rolls back the connection's open
  /// transaction and empties the staging tables.
  void clear() noexcept;

private:
  void exec(const std::string& sql) const;
  std::int64_t next_free_id() const;
  void create_tables() const;
  void index_tables() const;
  void create_views() const;
  void prepare_inserts();

  sqlite3* db_;
  std::string path_;
  std::int64_t id_ = 0;
  bool shown_ = false;
  sql::stmt_ptr insert_run_;
  std::vector<sql::stmt_ptr> inserts_;
};

} // namespace execsim
