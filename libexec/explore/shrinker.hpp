// Shrinking a failing exploration seed to a minimal scenario: the random
// faults that fired become explicit [[faults]], then delta debugging drops
// faults and orders while the same invariant still breaks; then settings
// the failure does not need are dropped (libexec/explore/setting_dropper)
// and its times shrunk toward the smallest that still fail
// (libexec/explore/time_shrinker). The result is a plain scenario file that
// `execsim run` reproduces (libexec/explore/minimal_file writes it).
#pragma once

#include "sim/scenario.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace execsim {

class runtime;

/// Runs the settings step may spend, and the times step: bounds on the
/// shrink after delta debugging (which needs O(n^2) runs for n faults or
/// orders). Spent, a step keeps what it has reached.
inline constexpr std::size_t shrink_settings_runs_max = 40;
inline constexpr std::size_t shrink_time_runs_max = 200;

struct shrink_result {
  /// The explicit faults reproduced the violation at all.
  bool reproduced = false;
  scenario minimal;
  /// Runs the reduction took, in all and in the times step.
  std::size_t runs = 0;
  std::size_t time_runs = 0;
  /// Where it came from, for the minimal file's comment block.
  std::uint64_t seed = 0;
  std::string invariant;
  std::string source; // the explored file (its name when built in code)
  std::size_t orders_before = 0;
  std::size_t faults_before = 0; // the faults that fired
  /// Settings dropped and times shrunk, one line each.
  std::vector<std::string> dropped;
  std::vector<std::string> times;
};

/// `fired`: the faults that fired in the failing run (run_outcome::fired).
shrink_result shrink(const scenario& sc, std::uint64_t seed,
                     const std::vector<fault_spec>& fired,
                     const std::string& invariant, runtime& rt);

} // namespace execsim
