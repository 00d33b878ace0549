// Runs one scenario: builds the run's actors on a virtual-time runtime,
// feeds the orders, runs to quiescence, then checks expectations, SQL
// checks and invariants, and records the run in one transaction.
#pragma once

#include "actors/status_tracker.hpp"
#include "sim/expectations.hpp"
#include "sim/probes.hpp"
#include "sim/records.hpp"
#include "sim/runtime.hpp"
#include "sim/scenario.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace execsim {

class recording;
class order_source;
class run_extension;

struct run_options {
  /// Overrides the scenario's seed.
  std::optional<std::uint64_t> seed;
  /// Also draw random faults from the scenario's [explore] table.
  bool explore = false;
  /// Where to record the run; nullptr = not recorded.
  recording* db = nullptr;
  /// Keep every recorded row in memory here too (tests, reports).
  row_batch* capture = nullptr;
  /// runs.kind: run | explore | replay | backtest.
  std::string kind = "run";
  /// Trace lines kept in memory (and written to the `trace` table).
  std::size_t trace_lines_max = 100'000;
  run_limits limits;
  /// Orders to run instead of the scenario's [[orders]] (not owned).
  order_source* source = nullptr;
  /// What the run drives besides its orders, e.g. a backtest's market data
  /// (not owned; see sim/run_extension.hpp).
  run_extension* extension = nullptr;
};

struct run_outcome {
  std::int64_t run_id = 0; // 0 = not recorded
  bool pass = false;
  /// Set when the run could not complete (a limit, a recording error, a
  /// broken executor).
  std::string error;
  /// The executor itself failed (a plug-in program crashed, hung or broke
  /// the protocol): bad input rather than a failing scenario.
  bool executor_broken = false;
  /// The recording could not begin, write or commit the run (locked,
  /// read-only, disk full): `error` holds SQLite's cause and nothing of the
  /// run is recorded (run_id 0). Bad input/environment, not a failing run.
  bool recording_failed = false;
  std::string digest;
  std::uint64_t seed = 0;
  ns_t virtual_end = 0;
  double wall_ms = 0;
  /// CPU seconds of the thread that wrote the run's rows to SQLite
  /// (sim/batch_writer.hpp); 0 when nothing was recorded.
  double writer_cpu_seconds = 0;
  std::uint64_t orders = 0;
  std::uint64_t successes = 0;
  std::uint64_t fills = 0;
  std::uint64_t faults_fired = 0;
  std::map<std::string, std::uint64_t> faults_by_kind;
  std::uint64_t trace_lines = 0;
  std::uint64_t steps = 0;
  std::vector<expectation_failure> failures;
  /// [[check]] and expect_violations mismatches, as sentences.
  std::vector<std::string> check_failures;
  std::vector<violation_row> violations;
  std::map<std::string, std::uint64_t> violation_counts;
  std::vector<std::string> trace;
  /// Every fault that fired, as explicit [[faults]] (for shrinking; only
  /// with `explore`).
  std::vector<fault_spec> fired;
  status_counts statuses;
  /// The probes the run reached (sim/probes.hpp).
  probe_hits probes;
};

/// The wall clock now, ISO 8601 UTC: the one wall-clock read of a run or
/// an exploration (runs.started_at, explorations.started_at). Never in a
/// trace.
std::string wall_clock_iso8601();

/// Runs `sc`. `rt` may be shared by consecutive runs on one thread (as
/// exploration does); nullptr = a runtime of its own.
run_outcome run_scenario(const scenario& sc, const run_options& options,
                         runtime* rt = nullptr);

/// Whether the invariant names the run violated match `expect_violations`.
std::vector<std::string>
violation_mismatches(const std::vector<std::string>& expected,
                     const std::map<std::string, std::uint64_t>& counts);

} // namespace execsim
