// Shrinking a failing exploration seed to a minimal scenario: the random
// faults that fired become explicit [[faults]], then delta debugging drops
// faults and orders while the same invariant still breaks. The result is a
// plain scenario file that `execsim run` reproduces.
#pragma once

#include "sim/scenario.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace execsim {

class runtime;

struct shrink_result {
  /// The explicit faults reproduced the violation at all.
  bool reproduced = false;
  scenario minimal;
  /// Runs the reduction took.
  std::size_t runs = 0;
};

/// `fired`: the faults that fired in the failing run (run_outcome::fired).
shrink_result shrink(const scenario& sc, std::uint64_t seed,
                     const std::vector<fault_spec>& fired,
                     const std::string& invariant, runtime& rt);

} // namespace execsim
