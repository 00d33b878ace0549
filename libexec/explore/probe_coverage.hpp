// What an exploration reached: per probe (sim/probes.hpp), how many seeds
// reached it, and the probes `[explore] must_reach` lists that no seed
// reached. `execsim explore` prints it (one line, and in --format json);
// a report of an exploration calls probe_coverage_of() for the same table.
#pragma once

#include "libexec/explore/explorer.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace execsim {

struct probe_coverage {
  std::string name;
  /// One sentence: what reaching it means.
  std::string meaning;
  /// Seeds of the exploration that reached it.
  std::uint64_t seeds = 0;
  /// Listed in [explore] must_reach.
  bool required = false;
};

/// Every probe, in sim/probes.hpp's order.
std::vector<probe_coverage> probe_coverage_of(const explore_report& report,
                                              const explore_config& ex);

/// One sentence per must_reach probe no seed reached:
/// `must_reach: no seed reached "ack_after_timeout" (2,000 seeds run)`.
std::vector<std::string> must_reach_failures(const explore_report& report,
                                             const explore_config& ex);

/// `probes: ack_after_timeout=12 late_ack_during_backoff=0 ...` (must_reach
/// probes marked with a `*`), one line.
std::string probes_line(const std::vector<probe_coverage>& coverage);

/// { "ack_after_timeout": 12, ... }
nlohmann::json probes_json(const std::vector<probe_coverage>& coverage);

/// 2000 -> "2,000".
std::string grouped_count(std::uint64_t n);

} // namespace execsim
