// A backtest: replays a market data file and an order file through the
// executor and the simulated exchange (with the settings' latency, faults
// and executor), records it as a run of kind "backtest", and measures
// execution quality (execution_stats.hpp).
//
// Both files are read twice, streamed: a first pass checks every row (so a
// bad row is reported with file:line before anything runs or is recorded)
// and finds the earliest timestamp, which becomes virtual time 0; the
// second pass feeds the run.
#pragma once

#include "libexec/backtest/backtest_extension.hpp"
#include "libexec/backtest/csv_table.hpp"
#include "libexec/backtest/execution_stats.hpp"
#include "sim/records.hpp"
#include "libexec/run/runner.hpp"
#include "sim/scenario.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace execsim {
class recording;
}

namespace execsim::backtest {

struct backtest_inputs {
  std::string market_file;
  std::string orders_file;
  /// Skip (and count) bad rows instead of stopping at the first.
  bool skip_bad_rows = false;
};

struct backtest_options {
  std::optional<std::uint64_t> seed;
  recording* db = nullptr;
  row_batch* capture = nullptr;
  std::size_t trace_lines_max = 100'000;
  backtest_extension::progress_fn progress;
  std::uint64_t progress_every = 1u << 16;
};

/// What one input file held.
struct input_figures {
  read_report report;
  std::uint64_t good_rows = 0;
  std::optional<epoch_ns> first_ts;
  std::optional<epoch_ns> last_ts;
};

struct backtest_result {
  /// Bad input: set, and nothing ran or was recorded.
  std::string error;
  input_figures market;
  input_figures orders;
  /// The timestamp at virtual time 0.
  epoch_ns origin = 0;
  run_outcome run;
  execution_figures figures;
};

/// The settings of a backtest from a scenario (nullopt: the defaults):
/// its [executor], [exchange] latency and duplicate-key policy, [[faults]],
/// [explore] and seed; its orders, expectations and checks are dropped
/// (the order file replaces them).
scenario backtest_settings(std::optional<scenario> settings,
                           const backtest_inputs& in);

backtest_result run_backtest(const scenario& settings,
                             const backtest_inputs& in,
                             const backtest_options& opt);

} // namespace execsim::backtest
