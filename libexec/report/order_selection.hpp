// A run's rows narrowed to some of its orders (`report --order ID`): their
// orders, attempts, checks, fills, events, faults and violations, faults
// and violations tied to no order, and the trace lines to or from their
// executors or about their events ("publish seq=N", "event seq=N").
#pragma once

#include "sim/records.hpp"

#include <string>
#include <vector>

namespace execsim::cli {

/// `rows` (trace included) with only the orders `ids`. An id the run does
/// not have is in `unknown` (the caller says so); empty `ids` = all.
row_batch select_orders(const row_batch& rows,
                        const std::vector<std::string>& ids,
                        std::vector<std::string>& unknown);

} // namespace execsim::cli
