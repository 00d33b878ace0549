// `run --golden FILE [--update-golden]`: judges each run's digest against
// the golden file, reports entries whose scenario file is gone, and
// rewrites the file (passing runs only) when updating.
#pragma once

#include "libexec/run/golden.hpp"
#include "libexec/run/junit.hpp"
#include "libexec/run/runner.hpp"

#include <optional>
#include <string>
#include <vector>

struct sqlite3;

namespace execsim::cli {

class golden_check {
public:
  /// Reads and validates the golden file before anything runs. Without
  /// `update` the file must exist.
  static std::optional<golden_check> open(const std::string& path,
                                          bool update, std::string& error);

  /// Compares (or, updating, takes) the digest of the run of `file`. A
  /// changed or missing digest fails `out`, naming the first changed trace
  /// line when `db` holds the golden run's trace.
  void judge(const std::string& file, run_outcome& out, sqlite3* db,
             const std::string& db_path);

  /// Entries whose scenario file no longer exists: each a failure (counted
  /// in `failed` and `cases`) unless updating, when they are dropped. Then
  /// writes the file when updating. false (printed) if it cannot be written.
  bool finish(std::size_t& failed, std::vector<junit_case>& cases);

private:
  golden_file old_;
  golden_file next_;
  bool update_ = false;
};

} // namespace execsim::cli
