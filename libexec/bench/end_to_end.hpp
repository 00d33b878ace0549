// The end-to-end measurement: generated orders through executor, exchange,
// bus, status tracker and recorder, exactly as `execsim run` runs them.
#pragma once

#include "sim/virtual_time.hpp"

#include <cstdint>
#include <string>

namespace execsim {
class recording;
}

namespace execsim::bench {

struct e2e_result {
  std::uint64_t orders = 0;
  std::uint64_t successes = 0;
  std::uint64_t faults_fired = 0;
  /// Scheduler jobs (messages, spawns, timers) the run handled.
  std::uint64_t steps = 0;
  ns_t virtual_end = 0;
  double seconds = 0;
  double cpu_seconds = 0; // the process: simulation and writer threads
  /// Of cpu_seconds, the thread that wrote rows to SQLite.
  double writer_cpu_seconds = 0;
  bool pass = false;
  /// Why it did not pass (error, first violation or check), "" if it did.
  std::string problem;
};

/// Runs `n` orders of bench_scenario(faulted), recorded into `db` (nullptr =
/// not recorded). Timed from the first order to the run's commit.
e2e_result measure_e2e(std::uint64_t n, bool faulted, recording* db);

/// Rows a run writes, by table.
struct row_shape {
  std::uint64_t orders = 0;
  std::uint64_t attempts = 0;
  std::uint64_t checks = 0;
  std::uint64_t fills = 0;
  std::uint64_t events = 0;
  std::uint64_t faults = 0;
  std::uint64_t trace = 0;

  /// orders + attempts + checks + fills + events: the rows every order
  /// writes. Faults and trace lines are left out: the trace is capped
  /// (run_options::trace_lines_max), so it is not a per-order cost.
  std::uint64_t per_order_rows() const noexcept {
    return orders + attempts + checks + fills + events;
  }
};

/// The rows of an `n`-order run, counted through run_options::capture.
row_shape measure_rows(std::uint64_t n, bool faulted);

} // namespace execsim::bench
