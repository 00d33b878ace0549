// The two baselines the end-to-end figure is judged against: what bare CAF
// messaging on the same test scheduler costs, and what bare SQLite inserts
// (no execsim code) cost; and, labelled as what it is, execsim's own writer
// on the same rows.
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

/// The honest bound: `n` rows shaped like the recording's `attempts` (same
/// columns, types, CHECKs and unique index) inserted with bare sqlite3 calls
/// into a new WAL database at `db_path`: one prepared statement, buffers
/// bound SQLITE_STATIC, one transaction. No execsim code is timed. Timed
/// from BEGIN to the end of COMMIT.
sqlite_baseline measure_sqlite(std::uint64_t n, const std::string& db_path);

/// The same `n` rows as one run (one transaction) through execsim's own
/// writer (recording::write) into a new recording at `db_path`: what the
/// recording layer adds over bare SQLite. Timed from begin_run to the commit
/// in finish_run.
sqlite_baseline measure_writer(std::uint64_t n, const std::string& db_path);

} // namespace execsim::bench
