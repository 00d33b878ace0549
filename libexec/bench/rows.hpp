// Turns the measurements into the bench's nine rows: the figure, the
// numbers behind it, and the targets marked MET or MISSED.
#pragma once

#include "libexec/bench/backtest_probe.hpp"
#include "libexec/bench/baselines.hpp"
#include "libexec/bench/end_to_end.hpp"
#include "libexec/bench/report.hpp"
#include "libexec/bench/scaling.hpp"
#include "libexec/bench/suites.hpp"

#include <optional>
#include <vector>

namespace execsim::bench {

bench_row caf_row(const caf_baseline& b);
bench_row sqlite_row(const sqlite_baseline& b);
bench_row writer_row(const sqlite_baseline& b);

/// One end-to-end variant and the rows its runs write.
struct e2e_variant {
  e2e_result run;
  row_shape shape;
};

bench_row e2e_row(const e2e_variant& happy, const e2e_variant& faulted,
                  const caf_baseline& caf, const sqlite_baseline& sqlite);

/// `points` smallest first; the targets are judged on the largest.
bench_row scaling_row(const std::vector<scaling_point>& points);

/// nullopt = no scenario files in `dir`.
bench_row behaviours_row(const std::optional<suite_result>& r,
                         const std::string& dir);

bench_row explore_row(const explore_result& r, const std::string& file);

bench_row backtest_row(const backtest_result& r);

/// The 14 behaviours in plain asyncio (the exploration file left out):
/// `execsim run` start to exit, and in this process with the interpreter
/// already started. nullopt = no such files.
struct asyncio_suites {
  std::optional<process_suite_result> process;
  std::optional<suite_result> warm;
};
bench_row asyncio_behaviours_row(const asyncio_suites& r,
                                 const std::string& dir);

/// Exploration through the asyncio harness, with the JSON-lines example's
/// exploration measured in the same bench as its baseline.
bench_row asyncio_explore_row(const explore_result& harness,
                              const std::string& harness_file,
                              const explore_result& json_lines,
                              const std::string& json_lines_file);

} // namespace execsim::bench
