// After delta debugging: the settings a minimal scenario does not need,
// dropped one at a time, each only if a run confirms the failure stays
// the same (libexec/explore/shrink_oracle.hpp). What is left is what the
// failure needs, and the writer leaves out what is at its default.
#pragma once

#include "sim/scenario.hpp"

#include <string>
#include <vector>

namespace execsim {

class shrink_oracle;

/// Tries, in this order: the [exchange] prices and symbols of symbols no
/// order trades (all at once), latency spikes, the rate limit, key_ttl,
/// then per order its limit price (a market order instead) and its
/// quantity (1). The executor's settings are never touched: they are the
/// code under test. Returns one line per setting dropped
/// ("o3 price 151.00 (now a market order)").
std::vector<std::string> drop_settings(scenario& sc, shrink_oracle& oracle);

} // namespace execsim
