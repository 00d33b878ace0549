// A run's invariant violations as one line each, "invariant order: detail",
// so a test compares them all, in order, with one CHECK.
#pragma once

#include "libexec/run/runner.hpp"

#include <string>
#include <vector>

namespace execsim::testing {

inline std::vector<std::string> violation_rows(const run_outcome& out) {
  std::vector<std::string> v;
  for (const auto& row : out.violations)
    v.push_back(row.invariant + " " + row.order_id.value_or("-") + ": "
                + row.detail);
  return v;
}

} // namespace execsim::testing
