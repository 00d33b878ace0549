// The scenario-file rows: the original service's 14 behaviours run as
// `execsim run` runs them, and exploration of the original service.
#pragma once

#include "sim/virtual_time.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace execsim::bench {

struct suite_result {
  std::size_t files = 0;
  std::size_t passed = 0;
  /// Files that did not load or did not pass, with the first reason.
  std::vector<std::string> problems;
  ns_t virtual_total = 0;
  /// Load, run, check and record every file, a runtime per file (as
  /// `execsim run` does): the median of `repeats` passes, and every pass
  /// (the first one is cold: files and SQLite pages not cached yet).
  double seconds = 0;
  std::vector<double> passes;
  /// The same runs on one shared runtime, median (what CAF start-up and
  /// shut-down cost is the difference).
  double seconds_shared_runtime = 0;
};

/// The *.toml files directly in `dir`, sorted; empty if there are none.
std::vector<std::string> toml_files(const std::string& dir);

/// Runs `files` with their own settings, recorded into a new recording at
/// `db_path`, `repeats` times: a pass takes milliseconds, so one pass is at
/// the mercy of a single WAL checkpoint or a busy neighbour.
suite_result run_suite(const std::vector<std::string>& files,
                       const std::string& db_path, int repeats);

/// `execsim run FILES --quiet` as a process of its own, start to exit (so
/// every start-up is in: execsim's, CAF's and a process executor's
/// interpreter's), `repeats` times.
struct process_suite_result {
  std::size_t files = 0;
  /// Median wall time of the passes, and every pass.
  double seconds = 0;
  std::vector<double> passes;
  /// The first pass's exit status and its summary line ("14 passed, ...").
  int status = -1;
  std::string summary;
};

process_suite_result run_suite_process(const std::string& exe,
                                       const std::vector<std::string>& files,
                                       const std::string& scratch,
                                       int repeats);

struct explore_result {
  std::uint64_t seeds = 0;
  std::uint64_t failing_seeds = 0;
  double seconds = 0;
  double cpu_seconds = 0;
  std::string error; // the file did not load
};

/// explore() over seeds 0..seeds-1 of `file` with one job.
explore_result measure_explore(const std::string& file, std::uint64_t seeds);

} // namespace execsim::bench
