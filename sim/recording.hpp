// The SQLite recording (recording-schema.md): opens or creates the file,
// migrates its schema, and writes each run in one transaction.
#pragma once

#include "sim/records.hpp"
#include "sim/scenario.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

struct sqlite3;

namespace execsim {

class check_runner;

/// Schema version kept in PRAGMA user_version.
constexpr int recording_schema_version = 4;

class recording {
public:
  /// Opens (creating and migrating as needed) the database at `path`, in WAL
  /// mode with a busy timeout. A file of a newer schema version, or one that
  /// is not an execsim recording, is refused: nullptr and `error` set.
  static std::unique_ptr<recording> open(const std::string& path,
                                         std::string& error);

  ~recording();
  recording(const recording&) = delete;
  recording& operator=(const recording&) = delete;

  /// Starts the run's transaction and inserts its `runs` row.
  std::int64_t begin_run(const run_header& header);

  /// Inserts a batch of rows into the open run (prepared statements). On
  /// failure it throws SQLite's reason and ends the run (rolled back).
  void write(std::int64_t run_id, const row_batch& rows);

  /// Runs a [[check]] query (sim/check_query.hpp) with :run bound, inside
  /// the open run's transaction (so a run stays one transaction, and leaves
  /// no rows if it does not finish), under an authorizer that lets it only
  /// read and a time limit that bounds how long it holds the write lock.
  /// The query must give exactly one row of one column; otherwise nullopt
  /// and `error` says why.
  std::optional<sql_value> query_scalar(const std::string& sql,
                                        std::int64_t run_id,
                                        std::string& error);

  /// Time limit of each check; by default EXECSIM_CHECK_TIMEOUT_MS or 10 s.
  void set_check_time_limit(std::chrono::milliseconds limit);

  /// Sets the run's verdict, digest, end times and `error` (what stopped
  /// the run, e.g. a broken executor program's message; "" = nothing:
  /// runs.error NULL), then commits. A run whose writing failed throws that
  /// failure (SQLite's own message, e.g. "database or disk is full").
  void finish_run(std::int64_t run_id, bool pass, const std::string& digest,
                  ns_t virtual_end_ns, double wall_ms,
                  const std::string& error = {});

  /// Rolls the open run back: it leaves no rows.
  void abort_run() noexcept;

  /// Records one explore process's totals (an `explorations` row) in a
  /// transaction of its own, never while a run is open; its id. On failure
  /// it throws SQLite's reason and records nothing.
  std::int64_t add_exploration(const exploration_row& row);

  sqlite3* handle() const noexcept {
    return db_;
  }

private:
  explicit recording(sqlite3* db);
  struct statements;
  static std::unique_ptr<statements> prepare_statements(
    sqlite3* db, const std::string& path);
  void begin_transaction(const std::string& what);
  void fail_run(std::int64_t run_id, std::string why) noexcept;

  sqlite3* db_;
  std::unique_ptr<statements> stmts_;
  std::optional<std::chrono::milliseconds> check_limit_;
};

} // namespace execsim
