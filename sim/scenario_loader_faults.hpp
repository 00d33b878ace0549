// The [[faults]] tables of a scenario file: which keys each fault kind
// takes, and what they must hold.
#pragma once

#include "sim/scenario.hpp"
#include "sim/scenario_loader_fields.hpp"
#include "sim/scenario_loader_orders.hpp"

#include <optional>

namespace execsim::scenario_loading {

/// The largest executor.max_attempts accepted, so also the largest attempt
/// a fault can name.
constexpr int max_attempts_max = 100;

/// Reads one [[faults]] table. `attempt_limit` is executor.max_attempts,
/// or nullopt when that is itself wrong (then attempts are only checked
/// to be >= 1, so one mistake is not reported twice).
fault_spec read_fault(const table_reader& t, const order_ids& ids,
                      std::optional<int> attempt_limit);

} // namespace execsim::scenario_loading
