// What loads but is most likely a mistake: the file still runs, and the
// commands that run it print each warning to stderr as
// "file:line:column: warning: message" without changing their exit status.
//   - two orders with one idempotency key (the original key format has no
//     side: a buy and a sell of one trader, symbol, quantity and timestamp
//     share it, and the exchange takes them for one order), for the builtin
//     executor, unless the file expects the distinct_keys violation;
//   - orders on a symbol the exchange accepts but has no price for (they
//     rest unfilled: right for a resting order, wrong for a typo).
#pragma once

#include "sim/scenario.hpp"
#include "sim/scenario_loader.hpp"

#include <vector>

namespace execsim::scenario_loading {

/// The warnings of a valid scenario, by line, then column.
std::vector<load_error> scenario_warnings(const scenario& sc,
                                          const std::string& file);

} // namespace execsim::scenario_loading
