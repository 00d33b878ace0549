// Runs a list of scenario files on --jobs threads, each thread with its own
// database connection. Results stay in file order, so any number of jobs
// prints what one job prints. Nothing a run does escapes a worker as an
// exception: every error becomes that file's result.
#pragma once

#include "libexec/run/runner.hpp"
#include "sim/scenario_loader.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace execsim {
class recording;
}

namespace execsim::cli {

/// One file's fate: loaded or not, run or not, and its outcome.
struct file_result {
  std::string file;
  load_result loaded;
  run_outcome outcome;
  bool ran = false;
  /// Not loaded or not run for a reason other than the file's own errors
  /// (the recording failed on an earlier file; an unexpected exception).
  std::string not_run;
};

struct file_run_settings {
  std::optional<std::uint64_t> seed;
  /// Overrides every file's executor kind when not empty.
  std::string executor;
};

/// Runs `files`, one worker per connection in `dbs` (at least one). After
/// a run's recording fails (locked, read-only, disk full), no further file
/// is started: the rest would fail the same way, each after the busy
/// timeout.
std::vector<file_result> run_files(const std::vector<std::string>& files,
                                   const file_run_settings& s,
                                   const std::vector<recording*>& dbs);

} // namespace execsim::cli
