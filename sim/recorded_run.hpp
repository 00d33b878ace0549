// Reading a recorded run back from the SQLite recording, for `replay` and
// `report`. Read-only: looking at a recording never creates or migrates one.
#pragma once

#include "sim/records.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace execsim::cli {

/// A run's `runs` row.
using recorded_run = run_row;

class recorded_db {
public:
  /// Opens an existing recording read-only. A missing file, a file that is
  /// not SQLite or not an execsim recording: nullptr and `error` set.
  static std::unique_ptr<recorded_db> open(const std::string& path,
                                           std::string& error);

  ~recorded_db();
  recorded_db(const recorded_db&) = delete;
  recorded_db& operator=(const recorded_db&) = delete;

  /// The newest finished run (verdict not 'running'); nullopt and `error`
  /// when there is none.
  std::optional<std::int64_t> latest_run(std::string& error);

  /// The run's row; nullopt and `error` when there is no such run.
  std::optional<recorded_run> run(std::int64_t run_id, std::string& error);

  /// Every row of the run except its trace, each table in rowid (= written)
  /// order. False and `error` on a database error.
  bool rows(std::int64_t run_id, row_batch& out, std::string& error);

  /// The run's kept trace, ordered by seq.
  bool trace(std::int64_t run_id, std::vector<trace_row>& out,
             std::string& error);

  /// Every finished run's id, in order; false and `error` on a database
  /// error.
  bool run_ids(std::vector<std::int64_t>& out, std::string& error);

  /// Every `explorations` row, in order (none in a file older than version
  /// 4); false and `error` on a database error.
  bool explorations(std::vector<exploration_row>& out, std::string& error);

  /// The file's schema version (read as it is: never migrated here).
  int version() const noexcept;

private:
  recorded_db(sqlite3* db, std::string path);
  sqlite3* db_;
  std::string path_;
  int version_ = 0;
};

} // namespace execsim::cli
