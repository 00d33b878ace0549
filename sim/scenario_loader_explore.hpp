// The [explore] table of a scenario file: chances of random faults for
// `execsim explore`.
#pragma once

#include "sim/scenario.hpp"
#include "sim/scenario_loader_fields.hpp"

namespace execsim::scenario_loading {

/// Reads [explore] into `out` and marks it present.
void read_explore(const table_reader& t, explore_config& out);

} // namespace execsim::scenario_loading
