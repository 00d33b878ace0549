// The backtest row: generates quotes with `execsim gen-market` (and orders
// with `gen-orders`) and times `execsim backtest` on them, as a user would
// run it. The commands are found by asking the binary for their help, so a
// build without them reports "n/a" rather than failing.
#pragma once

#include <cstdint>
#include <string>

namespace execsim::bench {

struct backtest_result {
  bool available = false;
  std::string why_not; // when not available or when it failed
  std::uint64_t quotes = 0;
  std::uint64_t orders = 0;
  double seconds = 0;     // the backtest process, start to exit
  double gen_seconds = 0; // generating the input files
  std::int64_t max_rss_kb = 0;
  int status = -1;
  /// From the backtest's own JSON summary, when it gives one: the quotes it
  /// read and its run's wall time (without process start and exit).
  std::uint64_t quotes_read = 0;
  double run_seconds = 0;
};

backtest_result measure_backtest(const std::string& exe, std::uint64_t quotes,
                                 const std::string& scratch);

} // namespace execsim::bench
