// The SQLite recording (recording-schema.md): opens or creates the file,
// migrates its schema, and writes each run in one transaction. A run with
// [[check]]s is staged until its checks are done (sim/run_staging.hpp), so
// neither it nor its checks hold the file's write lock.
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
class run_staging;

/// Schema version kept in PRAGMA user_version.
constexpr int recording_schema_version = 6;

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

  /// Starts the run and inserts its `runs` row (verdict `running`); the
  /// run's handle for write, query_scalar and finish_run. Without
  /// `checks_follow` the run goes straight into the file in one write
  /// transaction (the fastest way; the run holds the write lock until it
  /// finishes). With it, the run is staged on this connection and takes the
  /// write lock only when it finishes, after its checks (query_scalar).
  std::int64_t begin_run(const run_header& header, bool checks_follow = false);

  /// Inserts a batch of rows into the open run (prepared statements). On
  /// failure it throws SQLite's reason and ends the run (rolled back).
  void write(std::int64_t run_id, const row_batch& rows);

  /// Runs a [[check]] query (sim/check_query.hpp) under an authorizer that
  /// lets it only read, and a time limit; it never holds the write lock.
  /// For the open run (begun with `checks_follow`), :run is the run's id as
  /// its checks see it, and they see the committed runs plus the run's own
  /// rows (its runs row still `running`), all from one snapshot; the run
  /// stays one transaction and leaves no rows if it does not finish. While
  /// a run begun without `checks_follow` is open, a check is refused (it
  /// would run inside that run's write transaction). Outside a run, :run is
  /// `run_id` and the check reads the file. The query must give exactly one
  /// row of one column; otherwise nullopt and `error` says why.
  std::optional<sql_value> query_scalar(const std::string& sql,
                                        std::int64_t run_id,
                                        std::string& error);

  /// Time limit of each check; by default EXECSIM_CHECK_TIMEOUT_MS or 10 s.
  void set_check_time_limit(std::chrono::milliseconds limit);

  /// Sets the run's verdict, digest, end times and `error` (what stopped
  /// the run, e.g. a broken executor program's message; "" = nothing:
  /// runs.error NULL), then commits. Returns the run's run_id in the file:
  /// `run_id` for a run written straight into the file; for a staged run
  /// the next free one when it commits (its checks saw the one it would
  /// have had then; the two differ only if another process committed a run
  /// in between). A run whose writing failed throws that failure (SQLite's
  /// own message, e.g. "database or disk is full").
  std::int64_t finish_run(std::int64_t run_id, bool pass,
                          const std::string& digest, ns_t virtual_end_ns,
                          double wall_ms, const std::string& error = {});

  /// Rolls the open run back (or drops its staging): it leaves no rows.
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
  void begin_staged();
  void insert_run_row(const run_header& header);
  std::int64_t commit_staged(std::int64_t run_id);
  void fail_run(std::int64_t run_id, std::string why) noexcept;

  sqlite3* db_;
  std::unique_ptr<statements> stmts_;
  std::optional<std::chrono::milliseconds> check_limit_;
  /// Where runs begun with `checks_follow` are kept until they finish;
  /// made at the first such run.
  std::unique_ptr<run_staging> staging_;
  /// Whether the open run is in `staging_`.
  bool staged_ = false;
};

} // namespace execsim
