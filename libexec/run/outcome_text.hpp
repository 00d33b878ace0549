// How a run's outcome is printed: one line per run, details on failure.
#pragma once

#include "libexec/run/runner.hpp"
#include "sim/scenario.hpp"

#include <string>

namespace execsim::cli {

/// "PASS name  (run 12, 3 orders, virtual 4.560s, wall 0.8ms, digest 9f2c..)";
/// FAIL for a failing run, ERROR for one the recording could not take.
std::string outcome_line(const scenario& sc, const run_outcome& out);

/// Expected vs actual, each failing order's timeline, violations.
std::string outcome_details(const run_outcome& out);

/// "0.8ms", "12.3ms", "1.25s"
std::string wall_text(double wall_ms);

} // namespace execsim::cli
