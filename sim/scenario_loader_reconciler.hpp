// The [reconciler] table of a scenario file: when and how often the
// reconciler asks the venue about orders that ended STATUS_UNKNOWN, and
// the deadline of the unknown_resolved invariant.
#pragma once

#include "sim/scenario.hpp"
#include "sim/scenario_loader_fields.hpp"

namespace execsim::scenario_loading {

/// Reads [reconciler] into `out` and marks it present.
void read_reconciler(const table_reader& t, reconciler_config& out);

} // namespace execsim::scenario_loading
