// The two baselines the end-to-end figure is judged against: what bare CAF
// messaging on the same test scheduler costs, and what bare SQLite inserts
// through the recording cost.
#pragma once

#include <cstdint>
#include <string>

namespace execsim::bench {

struct caf_baseline {
  std::uint64_t round_trips = 0;
  /// Scheduler jobs handled (spawn, request, reply...), as run_outcome::steps
  /// counts them for a scenario.
  std::uint64_t steps = 0;
  double seconds = 0;
  double cpu_seconds = 0;
};

/// Spawns `n` client actors, each sending one message to a server actor that
/// sends it back; runs the runtime until every client has its answer.
caf_baseline measure_caf(std::uint64_t n);

struct sqlite_baseline {
  std::uint64_t rows = 0;
  double seconds = 0;
  double cpu_seconds = 0;
};

/// Writes `n` attempt rows as one run (one transaction) into a new recording
/// at `db_path`, through recording::write's prepared statements. Timed from
/// begin_run to the commit in finish_run.
sqlite_baseline measure_sqlite(std::uint64_t n, const std::string& db_path);

} // namespace execsim::bench
