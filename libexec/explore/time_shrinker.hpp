// After delta debugging has removed faults and orders: the times of the
// failing scenario shrunk toward the smallest values that still fail the
// same way (libexec/explore/value_search.hpp), so a minimal file says
// "delay 400ms at 0s" rather than "delay 812.345678ms at 80ms".
#pragma once

#include "sim/scenario.hpp"

#include <string>
#include <vector>

namespace execsim {

class shrink_oracle;

/// Shrinks, in this order, each while `oracle.still_fails`: every time at
/// once (orders' `at` and outage windows shifted earlier together, so
/// their distances stay); per fault, its delay (delay_ack, delay_check: to
/// 1ns) or its outage's length (to 1ns) then start (to 0s); each order's
/// `at` (to 0s; a default timestamp follows it); the latency (a range's
/// max down to its min, then the min, a fixed latency as one value, to 0s;
/// lognormal latencies are left alone), lookup_lag (to 0s) and a latency
/// spike's extra (to 1ns). Returns one line per value changed ("o1 at:
/// 80ms -> 0s"). Runs within the oracle's budget.
std::vector<std::string> shrink_times(scenario& sc, shrink_oracle& oracle);

} // namespace execsim
